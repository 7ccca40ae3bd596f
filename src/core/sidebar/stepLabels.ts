/**
 * What a sidebar step item says — its label, one-line description and tooltip — from the step's
 * summary (its record, a cached trace, or a remembered Recent/Pinned entry). Pure.
 */
import { shortStepId } from '../stepIds';
import { formatLatency, formatTime, formatTokens, formatUsage, totalTokens, type StepSummary } from '../stepSummary';
import { statusLabel } from '../stepStatus';
import { dropUndefined } from '../conversation/util';
import type { TraceEntry } from './treeModel';

/** From a remembered Recent/Pinned entry. */
export function summaryFromEntry(entry: TraceEntry): StepSummary {
  return dropUndefined({
    stepId: entry.stepId,
    model: entry.model,
    createdAt: entry.createdAt,
    status: entry.status,
    usage: entry.totalTokens !== undefined ? { totalTokens: entry.totalTokens } : undefined,
    origin: entry.origin,
    file: entry.file,
  });
}

/** What Recent/Pinned keep of a step: the short summary, never the trace or a key. */
export function entryFromSummary(summary: StepSummary, openedAt: number): TraceEntry {
  return dropUndefined({
    stepId: summary.stepId,
    openedAt,
    origin: summary.origin,
    file: summary.file,
    model: summary.model,
    createdAt: summary.createdAt,
    totalTokens: totalTokens(summary.usage),
    status: summary.status,
  });
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Local time, as short as stays unambiguous: `09:05` today, `03-14 09:05` this year, else
 * `2025-03-14`. The tooltip has the full UTC time.
 */
export function formatShortTime(iso: string | undefined, now: Date = new Date()): string | undefined {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) {
    return undefined;
  }
  const d = new Date(ms);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.getFullYear() !== now.getFullYear()) {
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }
  if (d.getMonth() === now.getMonth() && d.getDate() === now.getDate()) {
    return hm;
  }
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

/** The item's label: the short step ID (the full one is in the tooltip). */
export function stepLabel(summary: StepSummary): string {
  return shortStepId(summary.stepId);
}

/** `03-14 09:05 · gpt-4o · 1,234 tok`: only the parts known. */
export function stepDescription(summary: StepSummary, now?: Date): string {
  const tokens = totalTokens(summary.usage);
  const feedback = summary.feedback === 'positive' ? '👍' : summary.feedback === 'negative' ? '👎' : undefined;
  return [formatShortTime(summary.createdAt, now), summary.model, tokens !== undefined ? `${formatTokens(tokens)} tok` : undefined, feedback].filter(Boolean).join(' · ');
}

/** Plain text (never Markdown: model names and errors come from the server). */
export function stepTooltip(summary: StepSummary): string {
  const lines = [summary.stepId];
  if (summary.status) {
    lines.push(`Status: ${statusLabel(summary.status)}${summary.stopReason ? ` (${summary.stopReason})` : ''}`);
  } else if (summary.stopReason) {
    lines.push(`Stop reason: ${summary.stopReason}`);
  }
  if (summary.model) {
    lines.push(`Model: ${summary.model}`);
  }
  const tokens = totalTokens(summary.usage);
  const detail = formatUsage(summary.usage);
  if (tokens !== undefined) {
    lines.push(`Tokens: ${formatTokens(tokens)}${detail ? ` (${detail})` : ''}`);
  } else if (detail) {
    lines.push(`Tokens: ${detail}`);
  }
  if (summary.latencyMs !== undefined) {
    lines.push(`Latency: ${formatLatency(summary.latencyMs)}`);
  }
  if (summary.createdAt) {
    lines.push(`Time: ${formatTime(summary.createdAt) ?? summary.createdAt}`);
  }
  if (summary.callType && summary.callType !== 'agent_step') {
    lines.push(`Call: ${summary.callType}`);
  }
  if (summary.error) {
    const error = summary.error.message;
    lines.push(`Error: ${error.length > 300 ? `${error.slice(0, 299)}…` : error}`);
  }
  if (summary.feedback) {
    lines.push(`Feedback: ${summary.feedback}`);
  }
  if (summary.agentId) {
    lines.push(`Agent: ${summary.agentId}`);
  }
  if (summary.origin) {
    lines.push(`Server: ${summary.origin}`);
  } else if (summary.file) {
    lines.push(`File: ${summary.file}`);
  }
  return lines.join('\n');
}

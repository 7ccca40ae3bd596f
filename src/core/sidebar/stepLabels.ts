/**
 * What a sidebar step item says — its label, one-line description and tooltip — from the step's
 * summary (its record, a cached trace, or a remembered Recent/Pinned entry). Pure.
 */
import * as l10n from '@vscode/l10n';
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
  return [formatShortTime(summary.createdAt, now), summary.model, tokens !== undefined ? l10n.t('{0} tok', formatTokens(tokens)) : undefined, feedback].filter(Boolean).join(' · ');
}

/** Plain text (never Markdown: model names and errors come from the server). */
export function stepTooltip(summary: StepSummary): string {
  const lines = [summary.stepId];
  if (summary.status) {
    const status = statusLabel(summary.status);
    lines.push(summary.stopReason ? l10n.t('Status: {0} ({1})', status, summary.stopReason) : l10n.t('Status: {0}', status));
  } else if (summary.stopReason) {
    lines.push(l10n.t('Stop reason: {0}', summary.stopReason));
  }
  if (summary.model) {
    lines.push(l10n.t('Model: {0}', summary.model));
  }
  const tokens = totalTokens(summary.usage);
  const detail = formatUsage(summary.usage);
  if (tokens !== undefined) {
    lines.push(detail ? l10n.t('Tokens: {0} ({1})', formatTokens(tokens), detail) : l10n.t('Tokens: {0}', formatTokens(tokens)));
  } else if (detail) {
    lines.push(l10n.t('Tokens: {0}', detail));
  }
  if (summary.latencyMs !== undefined) {
    lines.push(l10n.t('Latency: {0}', formatLatency(summary.latencyMs)));
  }
  if (summary.createdAt) {
    lines.push(l10n.t('Time: {0}', formatTime(summary.createdAt) ?? summary.createdAt));
  }
  if (summary.callType && summary.callType !== 'agent_step') {
    lines.push(l10n.t('Call: {0}', summary.callType));
  }
  if (summary.error) {
    const error = summary.error.message;
    lines.push(l10n.t('Error: {0}', error.length > 300 ? `${error.slice(0, 299)}…` : error));
  }
  if (summary.feedback) {
    lines.push(l10n.t('Feedback: {0}', summary.feedback));
  }
  if (summary.agentId) {
    lines.push(l10n.t('Agent: {0}', summary.agentId));
  }
  if (summary.origin) {
    lines.push(l10n.t('Server: {0}', summary.origin));
  } else if (summary.file) {
    lines.push(l10n.t('File: {0}', summary.file));
  }
  return lines.join('\n');
}

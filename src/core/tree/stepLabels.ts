/**
 * What a sidebar step item says: its label, one-line description and tooltip, from whatever is known
 * of the step (its record, a cached trace, or a remembered Recent/Pinned entry). Pure.
 */
import type { Usage } from '../conversation/model';
import type { LoadedTrace, ProviderTrace, Step } from '../lettaTypes';
import { shortStepId } from '../stepIds';
import { formatLatency, formatTokens, formatUsage, stepUsage, summarizeTrace } from '../traceSummary';
import type { TraceEntry } from '../treeModel';

/** The facts a step item can show; any may be missing. */
export interface StepInfo {
  stepId: string;
  model?: string;
  /** ISO time, from the trace (a Step has no time of its own). */
  createdAt?: string;
  status?: string;
  stopReason?: string;
  usage?: Usage;
  latencyMs?: number;
  error?: string;
  agentId?: string;
  callType?: string;
  /** The server it came from. */
  origin?: string;
  /** A file it was read from. */
  file?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}


function compact(info: StepInfo): StepInfo {
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as unknown as StepInfo;
}

/** From a step record, and its trace when the cache has it (the trace gives the time). */
export function stepInfoFromStep(step: Step, trace?: ProviderTrace): StepInfo {
  if (trace) {
    const s = summarizeTrace(trace, step);
    return compact({
      stepId: step.id,
      model: s.model,
      createdAt: s.createdAt,
      status: s.status,
      stopReason: s.stopReason,
      usage: s.usage,
      latencyMs: s.latencyMs,
      error: s.error?.message,
      agentId: s.agentId,
      callType: s.callType,
    });
  }
  const usage = stepUsage(step) ?? {};
  const errorData = step.error_data && typeof step.error_data === 'object' ? step.error_data : undefined;
  return compact({
    stepId: step.id,
    model: text(step.model) ?? text(step.model_handle),
    status: text(step.status),
    stopReason: text(step.stop_reason),
    usage: Object.keys(usage).length > 0 ? usage : undefined,
    error: text(errorData?.message) ?? text(step.error_type),
    agentId: text(step.agent_id),
  });
}

/** From a loaded trace (with its step record when the server had one). */
export function stepInfoFromLoaded(loaded: LoadedTrace): StepInfo {
  const base = stepInfoFromStep(loaded.step ?? { id: loaded.stepId }, loaded.trace);
  return compact({
    ...base,
    stepId: loaded.stepId,
    origin: loaded.source.kind === 'server' ? loaded.source.origin : undefined,
    file: loaded.source.kind === 'file' ? loaded.source.path : undefined,
  });
}

/** From a remembered Recent/Pinned entry. */
export function stepInfoFromEntry(entry: TraceEntry): StepInfo {
  return compact({
    stepId: entry.stepId,
    model: entry.model,
    createdAt: entry.createdAt,
    status: entry.status,
    usage: entry.totalTokens !== undefined ? { totalTokens: entry.totalTokens } : undefined,
    origin: entry.origin,
  });
}

/** What Recent/Pinned keep of a step: the short summary, never the trace or a key. */
export function entryFromInfo(info: StepInfo, openedAt: number): TraceEntry {
  const entry: TraceEntry = { stepId: info.stepId, openedAt };
  const tokens = totalTokens(info.usage);
  if (info.origin) {
    entry.origin = info.origin;
  }
  if (info.model) {
    entry.model = info.model;
  }
  if (info.createdAt) {
    entry.createdAt = info.createdAt;
  }
  if (tokens !== undefined) {
    entry.totalTokens = tokens;
  }
  if (info.status) {
    entry.status = info.status;
  }
  return entry;
}

export function totalTokens(usage: Usage | undefined): number | undefined {
  if (!usage) {
    return undefined;
  }
  if (usage.totalTokens !== undefined) {
    return usage.totalTokens;
  }
  return usage.promptTokens !== undefined && usage.completionTokens !== undefined ? usage.promptTokens + usage.completionTokens : undefined;
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
export function stepLabel(info: StepInfo): string {
  return shortStepId(info.stepId);
}

/** `03-14 09:05 · gpt-4o · 1,234 tok`: only the parts known. */
export function stepDescription(info: StepInfo, now?: Date): string {
  const tokens = totalTokens(info.usage);
  return [formatShortTime(info.createdAt, now), info.model, tokens !== undefined ? `${formatTokens(tokens)} tok` : undefined].filter(Boolean).join(' · ');
}

/** Plain text (never Markdown: model names and errors come from the server). */
export function stepTooltip(info: StepInfo): string {
  const lines = [info.stepId];
  if (info.status) {
    lines.push(`Status: ${info.status}${info.stopReason ? ` (${info.stopReason})` : ''}`);
  } else if (info.stopReason) {
    lines.push(`Stop reason: ${info.stopReason}`);
  }
  if (info.model) {
    lines.push(`Model: ${info.model}`);
  }
  const tokens = totalTokens(info.usage);
  const detail = formatUsage(info.usage);
  if (tokens !== undefined) {
    lines.push(`Tokens: ${formatTokens(tokens)}${detail ? ` (${detail})` : ''}`);
  } else if (detail) {
    lines.push(`Tokens: ${detail}`);
  }
  if (info.latencyMs !== undefined) {
    lines.push(`Latency: ${formatLatency(info.latencyMs)}`);
  }
  if (info.createdAt) {
    const ms = Date.parse(info.createdAt);
    lines.push(`Time: ${Number.isNaN(ms) ? info.createdAt : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`}`);
  }
  if (info.callType && info.callType !== 'agent_step') {
    lines.push(`Call: ${info.callType}`);
  }
  if (info.error) {
    lines.push(`Error: ${info.error.length > 300 ? `${info.error.slice(0, 299)}…` : info.error}`);
  }
  if (info.agentId) {
    lines.push(`Agent: ${info.agentId}`);
  }
  if (info.origin) {
    lines.push(`Server: ${info.origin}`);
  } else if (info.file) {
    lines.push(`File: ${info.file}`);
  }
  return lines.join('\n');
}

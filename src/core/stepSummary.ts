/**
 * The one summary of a step — status, model, tokens, latency, time, stop reason, error, feedback —
 * built from a Step record, from a trace (with its step when known), or from a loaded trace, and the
 * formatting the hover, the sidebar, the viewer's header and the run view share. Pure: no `vscode`, no DOM.
 */
import * as l10n from '@vscode/l10n';
import { detectTraceFormats, normalizeResponseSide, readError } from './conversation/normalize';
import { formatLatency, formatTokens, formatUsage } from './conversation/format';
import type { TraceFormat, Usage } from './conversation/model';
import { dropUndefined, isRecord } from './conversation/util';
import type { LoadedTrace, ProviderTrace, Step } from './lettaTypes';
import { finiteNumber, nonEmptyText } from './values';

/** What is known of a step; every field but the ID may be missing. */
export interface StepSummary {
  stepId: string;
  /** ISO time the trace was recorded (a Step has no time of its own). */
  createdAt?: string;
  model?: string;
  /** e.g. `openai`, `anthropic`, `google_ai`: the server's endpoint type or provider name, else the detected format's provider. */
  provider?: string;
  /** `agent_step`, `summarization`, `tool_generation`, ... */
  callType?: string;
  latencyMs?: number;
  usage?: Usage;
  agentId?: string;
  runId?: string;
  /** The step's status; without a step, `failed` when the response is an error. */
  status?: string;
  stopReason?: string;
  error?: { message: string; type?: string };
  /** The developer's thumbs up or down (`PATCH /v1/steps/{id}/feedback`). */
  feedback?: 'positive' | 'negative';
  /** The request's format when recognised, else the response's (only from a trace). */
  format?: TraceFormat;
  formatLabel?: string;
  /** Where it was read: a server's origin, or a file's path. */
  origin?: string;
  file?: string;
}

/** A summary built from a trace always knows its format. */
export type TraceSummary = StepSummary & { format: TraceFormat; formatLabel: string };

const FORMAT_PROVIDERS: Partial<Record<TraceFormat, string>> = {
  'openai-chat': 'openai',
  'openai-responses': 'openai',
  anthropic: 'anthropic',
  google: 'google_ai',
};

/** The token counts of a Step record, undefined when it has none. */
export function stepUsage(step: Step | undefined): Usage | undefined {
  if (!step) {
    return undefined;
  }
  const usage: Usage = dropUndefined({
    promptTokens: finiteNumber(step.prompt_tokens),
    completionTokens: finiteNumber(step.completion_tokens),
    totalTokens: finiteNumber(step.total_tokens),
    cachedTokens: finiteNumber(step.cached_input_tokens),
    cacheWriteTokens: finiteNumber(step.cache_write_tokens),
    reasoningTokens: finiteNumber(step.reasoning_tokens),
  });
  return Object.keys(usage).length > 0 ? usage : undefined;
}

function stepError(step: Step | undefined): { message: string; type?: string } | undefined {
  if (!step || ((step.error_type ?? null) === null && (step.error_data ?? null) === null)) {
    return undefined;
  }
  const data = step.error_data;
  const fromData = isRecord(data) ? (nonEmptyText(data.message) ?? nonEmptyText(data.error) ?? nonEmptyText(data.detail)) : undefined;
  const type = nonEmptyText(step.error_type);
  const message = fromData ?? type ?? l10n.t('The step failed.');
  return type === undefined ? { message } : { message, type };
}

function feedbackOf(step: Step | undefined): StepSummary['feedback'] {
  const value: unknown = step?.feedback;
  return value === 'positive' || value === 'negative' ? value : undefined;
}

/** The summary of a Step record (`GET /v1/steps/{id}`), for a step whose trace is not loaded. */
export function summaryFromStep(step: Step): StepSummary {
  return dropUndefined({
    stepId: step.id,
    model: nonEmptyText(step.model) ?? nonEmptyText(step.model_handle),
    provider: nonEmptyText(step.provider_name),
    status: nonEmptyText(step.status),
    stopReason: nonEmptyText(step.stop_reason),
    usage: stepUsage(step),
    error: stepError(step),
    feedback: feedbackOf(step),
    agentId: nonEmptyText(step.agent_id),
    runId: nonEmptyText(step.run_id),
  });
}

/** Summarises a trace; the step's own fields (tokens, status, stop reason) win over what the trace says. Never throws on odd shapes. */
export function summarizeTrace(trace: ProviderTrace, step?: Step): TraceSummary {
  const llm = isRecord(trace.llm_config) ? trace.llm_config : {};
  const req: unknown = trace.request_json;
  const res: unknown = trace.response_json;
  const formats = detectTraceFormats(req, res);
  const format = formats.format;
  const response = normalizeResponseSide(res);
  const reqModel = isRecord(req) ? nonEmptyText(req.model) : undefined;
  const error = stepError(step) ?? readError(res);

  return dropUndefined({
    format,
    formatLabel: formats.label,
    stepId: nonEmptyText(trace.step_id) ?? nonEmptyText(step?.id) ?? '',
    createdAt: nonEmptyText(trace.created_at),
    model: nonEmptyText(llm.model) ?? reqModel ?? nonEmptyText(step?.model) ?? nonEmptyText(step?.model_handle) ?? response?.model,
    provider: nonEmptyText(llm.model_endpoint_type) ?? nonEmptyText(llm.provider_name) ?? nonEmptyText(step?.provider_name) ?? FORMAT_PROVIDERS[format],
    callType: nonEmptyText(trace.call_type),
    latencyMs: finiteNumber(trace.latency_ms),
    usage: stepUsage(step) ?? response?.usage,
    agentId: nonEmptyText(trace.agent_id) ?? nonEmptyText(step?.agent_id),
    runId: nonEmptyText(trace.run_id) ?? nonEmptyText(step?.run_id),
    status: nonEmptyText(step?.status) ?? (error ? 'failed' : undefined),
    stopReason: nonEmptyText(step?.stop_reason) ?? response?.finishReason,
    error,
    feedback: feedbackOf(step),
  });
}

/** From a step record, and its trace when at hand (the trace gives the time and latency). */
export function summaryOfStep(step: Step, trace?: ProviderTrace): StepSummary {
  return trace ? { ...summarizeTrace(trace, step), stepId: step.id } : summaryFromStep(step);
}

/** The summary of a trace already loaded, with where it came from. */
export function summaryFromLoaded(loaded: LoadedTrace): TraceSummary {
  return dropUndefined({
    ...summarizeTrace(loaded.trace, loaded.step),
    stepId: loaded.stepId,
    origin: loaded.source.kind === 'server' ? loaded.source.origin : undefined,
    file: loaded.source.kind === 'file' ? loaded.source.path : undefined,
  });
}

/** Total tokens: the reported total, else prompt + completion when both are known. */
export function totalTokens(usage: Usage | undefined): number | undefined {
  if (!usage) {
    return undefined;
  }
  if (usage.totalTokens !== undefined) {
    return usage.totalTokens;
  }
  return usage.promptTokens !== undefined && usage.completionTokens !== undefined ? usage.promptTokens + usage.completionTokens : undefined;
}

/** `2026-11-28 10:00:05 UTC`: unambiguous and the same on every machine. */
export function formatTime(iso: string): string | undefined {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    return undefined;
  }
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `1,234 tokens (1,200 in · 34 out)`, or undefined when nothing is known. */
export function formatTokenLine(usage: Usage | undefined): string | undefined {
  if (!usage) {
    return undefined;
  }
  const total = totalTokens(usage);
  const detail = formatUsage(usage);
  if (total !== undefined) {
    return detail ? l10n.t('{0} tokens ({1})', formatTokens(total), detail) : l10n.t('{0} tokens', formatTokens(total));
  }
  return detail ? l10n.t('tokens: {0}', detail) : undefined;
}

/** The summary as short phrases for one line, e.g. `["success", "gpt-4o", "1,234 tokens (1,200 in · 34 out)"]`. */
export function formatStepSummary(summary: Partial<StepSummary>): string[] {
  const parts: string[] = [];
  if (summary.status) {
    parts.push(summary.stopReason ? `${summary.status} (${summary.stopReason})` : summary.status);
  }
  if (summary.model) {
    parts.push(summary.model);
  }
  const tokens = formatTokenLine(summary.usage);
  if (tokens) {
    parts.push(tokens);
  }
  if (summary.latencyMs !== undefined) {
    parts.push(formatLatency(summary.latencyMs));
  }
  const time = summary.createdAt ? formatTime(summary.createdAt) : undefined;
  if (time) {
    parts.push(time);
  }
  if (summary.feedback) {
    parts.push(summary.feedback === 'positive' ? l10n.t('feedback: 👍') : l10n.t('feedback: 👎'));
  }
  return parts;
}

// The formatters live beside the conversation model so the webview bundle can import them too.
export { formatLatency, formatTokens, formatUsage } from './conversation/format';

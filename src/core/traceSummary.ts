/**
 * A short summary of one trace (and its step, when known) for the hover, the tree and the viewer's
 * header, plus number formatting they share. Pure: no `vscode`, no DOM.
 */
import { detectTraceFormats, normalizeResponseSide, readError } from './conversation/normalize';
import type { TraceFormat, Usage } from './conversation/model';
import type { ProviderTrace, Step } from './lettaTypes';

export interface TraceSummary {
  stepId?: string;
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
  /** The request's format when recognised, else the response's. */
  format: TraceFormat;
  formatLabel: string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

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
  const usage: Usage = {};
  const set = (key: keyof Usage, value: unknown) => {
    const n = count(value);
    if (n !== undefined) {
      usage[key] = n;
    }
  };
  set('promptTokens', step.prompt_tokens);
  set('completionTokens', step.completion_tokens);
  set('totalTokens', step.total_tokens);
  set('cachedTokens', step.cached_input_tokens);
  set('cacheWriteTokens', step.cache_write_tokens);
  set('reasoningTokens', step.reasoning_tokens);
  return Object.keys(usage).length > 0 ? usage : undefined;
}

function stepError(step: Step | undefined): { message: string; type?: string } | undefined {
  if (!step || ((step.error_type ?? null) === null && (step.error_data ?? null) === null)) {
    return undefined;
  }
  const data = step.error_data;
  const fromData = data && typeof data === 'object' ? (str(data.message) ?? str(data.error) ?? str(data.detail)) : undefined;
  const type = str(step.error_type);
  const message = fromData ?? type ?? 'The step failed.';
  return type === undefined ? { message } : { message, type };
}

/** Summarises a trace; the step's own fields (tokens, status, stop reason) win over what the trace says. Never throws on odd shapes. */
export function summarizeTrace(trace: ProviderTrace, step?: Step): TraceSummary {
  const llm = trace.llm_config && typeof trace.llm_config === 'object' ? trace.llm_config : {};
  const req: unknown = trace.request_json;
  const res: unknown = trace.response_json;
  const formats = detectTraceFormats(req, res);
  const format = formats.format;
  const response = normalizeResponseSide(res);
  const reqModel = req && typeof req === 'object' && !Array.isArray(req) ? str((req as Record<string, unknown>).model) : undefined;
  const error = stepError(step) ?? readError(res);

  const summary: TraceSummary = {
    format,
    formatLabel: formats.label,
    stepId: str(trace.step_id) ?? str(step?.id),
    createdAt: str(trace.created_at),
    model: str(llm.model) ?? reqModel ?? str(step?.model) ?? str(step?.model_handle) ?? response?.model,
    provider: str(llm.model_endpoint_type) ?? str(llm.provider_name) ?? str(step?.provider_name) ?? FORMAT_PROVIDERS[format],
    callType: str(trace.call_type),
    latencyMs: count(trace.latency_ms),
    usage: stepUsage(step) ?? response?.usage,
    agentId: str(trace.agent_id) ?? str(step?.agent_id),
    runId: str(trace.run_id) ?? str(step?.run_id),
    status: str(step?.status) ?? (error ? 'failed' : undefined),
    stopReason: str(step?.stop_reason) ?? response?.finishReason,
    error,
  };
  for (const key of Object.keys(summary) as (keyof TraceSummary)[]) {
    if (summary[key] === undefined) {
      delete summary[key];
    }
  }
  return summary;
}

// The formatters live beside the conversation model so the webview bundle can import them too.
export { formatLatency, formatTokens, formatUsage } from './conversation/format';

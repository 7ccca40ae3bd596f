/**
 * The Letta API objects this extension reads. Servers differ in what they send (open-source 0.16.x
 * versus Letta Cloud), so every field but the trace's request and response is optional, and unknown
 * fields are kept as they came. Pure: no `vscode` import.
 */

/** `GET /v1/steps/{step_id}/trace`: the raw provider call of one step. */
export interface ProviderTrace {
  request_json: Record<string, unknown>;
  response_json: Record<string, unknown>;
  id?: string;
  step_id?: string | null;
  agent_id?: string | null;
  agent_tags?: string[] | null;
  run_id?: string | null;
  call_type?: string | null;
  source?: string | null;
  org_id?: string | null;
  llm_config?: Record<string, unknown> | null;
  latency_ms?: number | null;
  created_at?: string | null;
  updated_at?: string | null;
  created_by_id?: string | null;
  last_updated_by_id?: string | null;
  [field: string]: unknown;
}

/** `GET /v1/steps/{step_id}`. A Step has no `created_at`. */
export interface Step {
  id: string;
  agent_id?: string | null;
  run_id?: string | null;
  model?: string | null;
  model_handle?: string | null;
  provider_name?: string | null;
  provider_category?: string | null;
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  cached_input_tokens?: number | null;
  reasoning_tokens?: number | null;
  cache_write_tokens?: number | null;
  /** The model's context window for this step, as the server held it. */
  context_window_limit?: number | null;
  feedback?: 'positive' | 'negative' | null;
  stop_reason?: string | null;
  status?: 'pending' | 'success' | 'failed' | 'cancelled' | null;
  error_type?: string | null;
  error_data?: Record<string, unknown> | null;
  trace_id?: string | null;
  tags?: string[] | null;
  project_id?: string | null;
  [field: string]: unknown;
}

/** An item of `GET /v1/agents/`. */
export interface Agent {
  id: string;
  name?: string | null;
  model?: string | null;
  llm_config?: { model?: string | null; handle?: string | null; [field: string]: unknown } | null;
  created_at?: string | null;
  [field: string]: unknown;
}

/** `GET /v1/runs/{run_id}` and the items of `GET /v1/runs/`: one user message and the steps that answered it. */
export interface Run {
  id: string;
  agent_id?: string | null;
  /** `created`, `running`, `completed`, `failed`, `cancelled` (kept as text: a newer server may add one). */
  status?: string | null;
  /** `end_turn`, `llm_api_error`, `max_steps`, `cancelled`, ... */
  stop_reason?: string | null;
  created_at?: string | null;
  completed_at?: string | null;
  /** Time to first token, ns. */
  ttft_ns?: number | null;
  total_duration_ns?: number | null;
  background?: boolean | null;
  conversation_id?: string | null;
  metadata?: Record<string, unknown> | null;
  [field: string]: unknown;
}

/** `GET /v1/runs/{run_id}/usage`: token sums over the run's steps. */
export interface UsageStatistics {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null; cache_read_tokens?: number | null; cache_creation_tokens?: number | null; [field: string]: unknown } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null; [field: string]: unknown } | null;
  [field: string]: unknown;
}

/** `GET /v1/runs/{run_id}/metrics`: times in ns since the epoch and durations in ns. */
export interface RunMetrics {
  id: string;
  agent_id?: string | null;
  project_id?: string | null;
  run_start_ns?: number | null;
  run_ns?: number | null;
  num_steps?: number | null;
  /** Tool IDs, not names. */
  tools_used?: string[] | null;
  [field: string]: unknown;
}

/** Where a trace came from: a server (by origin, never with its key) or a file on disk. */
export type TraceSource = { kind: 'server'; origin: string } | { kind: 'file'; path: string };

/** A trace as the extension holds it once loaded. Traces never change, so this is cached per step. */
export interface LoadedTrace {
  stepId: string;
  trace: ProviderTrace;
  /** The step's own record, when the server had one (status, stop reason, tokens). */
  step?: Step;
  source: TraceSource;
  /** When it was fetched or read, in ms since the epoch. */
  loadedAt: number;
}

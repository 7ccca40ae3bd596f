/**
 * What the extension asks of a Letta server. The implementation (`lettaClient.ts`) turns every
 * failure into a `LettaApiError`; callers never see a raw fetch or SDK error. Pure: no `vscode` import.
 */
import type { Agent, ProviderTrace, Run, RunMetrics, Step, UsageStatistics } from './lettaTypes';

/** Per-call options. */
export interface CallOptions {
  /** Aborts the request (and any retry wait) when the user cancels. */
  signal?: AbortSignal;
  /** Overrides the client's timeout for this call, in ms (hovers use a short one). */
  timeoutMs?: number;
  /** Overrides the client's retry count for this call (hovers do not retry). */
  maxRetries?: number;
  /** Called before each wait between tries of this call, to show that it is waiting and for how long. */
  onWait?: (wait: RetryWait) => void;
}

/** A wait between two tries of a call: the server asked for it (Retry-After) or it failed in passing. */
export interface RetryWait {
  /** 429; a 5xx; a connection dropped or a body cut short; a `null` trace (written just after the step). */
  reason: 'rate-limited' | 'server-error' | 'connection-dropped' | 'trace-not-written';
  /** How long the client waits before the next try (a cancel ends the wait at once). */
  waitMs: number;
  /** The try that follows the wait: 1 for the first retry. */
  retry: number;
  maxRetries: number;
  /** One sentence fit to show as it is, e.g. "api.letta.com is limiting requests: waiting 3 s before retry 1 of 2." */
  message: string;
}

/** Cursor paging as the Letta list endpoints take it: `before`/`after` are IDs, newest first by default. */
export interface PageQuery {
  before?: string;
  after?: string;
  limit?: number;
  order?: 'asc' | 'desc';
}

/** A step's feedback: thumbs up, thumbs down, or none (`null` clears it). */
export type StepFeedback = 'positive' | 'negative' | null;
/** How `listRunSteps` reads a run: every page, oldest step first, up to a bound. */
export interface RunStepsQuery {
  /** Steps per request. Default 100 (the server's default); at most 1000. */
  pageSize?: number;
  /** Stop after this many steps; `truncated` then says more exist. Default 1000. */
  maxSteps?: number;
  /** Called with each page as it arrives, so a view can show the first steps before the last page. */
  onPage?: (steps: readonly Step[]) => void;
}

/** A run's steps in the order they happened. */
export interface RunSteps {
  steps: Step[];
  /** True when the run has more than `maxSteps` steps and only the first `maxSteps` were read. */
  truncated: boolean;
}

/** `GET /v1/runs/{id}/trace`: OTEL spans where the server keeps them (ClickHouse), else not available. */
export type RunTrace = { available: true; spans: Record<string, unknown>[] } | { available: false; reason: string };

export interface LettaApi {
  /** The server's origin, e.g. `https://api.letta.com`: what the key belongs to. */
  readonly origin: string;
  /** The step's trace. Throws `LettaApiError` with kind `no-trace` when the server answers `null`. */
  getTrace(stepId: string, options?: CallOptions): Promise<ProviderTrace>;
  /** The step's record (status, tokens, stop reason). */
  getStep(stepId: string, options?: CallOptions): Promise<Step>;
  /** One page of steps, newest first unless `order` says otherwise; `feedback` keeps the steps given that thumbs up or down. */
  listSteps(query: PageQuery & { agentId?: string; model?: string; feedback?: 'positive' | 'negative' }, options?: CallOptions): Promise<Step[]>;
  /** One page of agents; `name` filters by name on the server. */
  listAgents(query: PageQuery & { name?: string }, options?: CallOptions): Promise<Agent[]>;
  /**
   * `PATCH /v1/steps/{step_id}/feedback`: sets (or with `null` clears) the step's feedback and, when
   * `tags` is given, its tags. Returns the updated step.
   */
  setFeedback(stepId: string, feedback: StepFeedback, tags?: string[], options?: CallOptions): Promise<Step>;
  /** A run's record (status, stop reason, times). `invalid-request` for a malformed run ID, `not-found` for an unknown one. */
  getRun(runId: string, options?: CallOptions): Promise<Run>;
  /** Every step of a run, oldest first (asked for explicitly: the server's default is newest first), page by page up to `maxSteps`. */
  listRunSteps(runId: string, query?: RunStepsQuery, options?: CallOptions): Promise<RunSteps>;
  /** Token sums over the run's steps. */
  getRunUsage(runId: string, options?: CallOptions): Promise<UsageStatistics>;
  /** The run's start, duration, step count and the IDs of the tools it used. */
  getRunMetrics(runId: string, options?: CallOptions): Promise<RunMetrics>;
  /** One page of runs, newest first unless `order` says otherwise; `agentId` keeps one agent's. */
  listRuns(query: PageQuery & { agentId?: string }, options?: CallOptions): Promise<Run[]>;
  /** The run's OTEL spans; `{available: false}` on a server that answers 501 (no ClickHouse). Never retried on 501. */
  getRunTrace(runId: string, options?: CallOptions & { limit?: number }): Promise<RunTrace>;
}

/** Every way a call can fail, each with its own message and next step for the user. */
export type LettaApiErrorKind =
  | 'unauthorized' // 401/403: the key is missing, wrong or expired
  | 'no-trace' // 200 with `null`: nothing recorded for this step
  | 'not-found' // 404
  | 'invalid-request' // 400/422: e.g. a malformed step ID
  | 'rate-limited' // 429 after retries
  | 'server-error' // 5xx after retries
  | 'network' // DNS, refused, reset, TLS
  | 'timeout' // no complete answer in time
  | 'cancelled' // the user cancelled
  | 'too-large' // the body is over the size cap
  | 'bad-response'; // not JSON, an HTML page, or not the expected shape

/**
 * Marks a `LettaApiError` from any copy of this module: the client bundle (dist/client.js) has its
 * own copy of the class, so `instanceof` goes by this mark, not by class identity.
 */
const BRAND = Symbol.for('letta-step-trace.LettaApiError');

/** A failed call, with a message fit to show the user as it is (it never contains the key). */
export class LettaApiError extends Error {
  override readonly name = 'LettaApiError';
  readonly [BRAND] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  constructor(
    readonly kind: LettaApiErrorKind,
    message: string,
    /** `retryAfterMs`: what a 429's Retry-After asked for, so a queue can pause that long. */
    readonly details: { status?: number; host?: string; detail?: string; retryAfterMs?: number } = {},
  ) {
    super(message);
  }
}

/** True for a `LettaApiError` of one of `kinds` (any kind when none given). */
export function isLettaApiError(e: unknown, ...kinds: LettaApiErrorKind[]): e is LettaApiError {
  return e instanceof LettaApiError && (kinds.length === 0 || kinds.includes(e.kind));
}

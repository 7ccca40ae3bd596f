/**
 * What a step hover says about a step (model, tokens, status, time), and the cache that makes a
 * second hover instant. No `vscode` import, so it is unit-tested in plain Node; the hover provider
 * turns its CancellationToken into the AbortSignal used here.
 */
import type { Usage } from '../core/conversation/model';
import { isLettaApiError, type LettaApi } from '../core/lettaApi';
import type { LoadedTrace, Step } from '../core/lettaTypes';
import { formatLatency, formatTokens, formatUsage, stepUsage, summarizeTrace } from '../core/traceSummary';

/** The few facts a hover shows; every field may be missing. */
export interface StepSummary {
  model?: string;
  status?: string;
  stopReason?: string;
  usage?: Usage;
  /** ISO time; a Step has none, so only a loaded trace gives it. */
  createdAt?: string;
  latencyMs?: number;
}

export type StepSummaryResult =
  | { kind: 'ok'; summary: StepSummary }
  /** No key stored for the server: the hover offers to set one instead of prompting. */
  | { kind: 'no-key' }
  | { kind: 'error'; message: string };

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}


/** The summary of a Step record (`GET /v1/steps/{id}`), for a step whose trace is not loaded. */
export function summaryFromStep(step: Step): StepSummary {
  const usage = stepUsage(step) ?? {};
  return {
    model: text(step.model) ?? text(step.model_handle),
    status: text(step.status),
    stopReason: text(step.stop_reason),
    usage: Object.keys(usage).length > 0 ? usage : undefined,
  };
}

/** The summary of a trace already loaded (its step record wins where both have a field). */
export function summaryFromLoaded(loaded: LoadedTrace): StepSummary {
  const summary = summarizeTrace(loaded.trace, loaded.step);
  return {
    model: summary.model,
    status: summary.status,
    stopReason: summary.stopReason,
    usage: summary.usage,
    createdAt: summary.createdAt,
    latencyMs: summary.latencyMs,
  };
}

/** `2026-11-28 10:00:05 UTC`: unambiguous and the same on every machine. */
export function formatTime(iso: string): string | undefined {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    return undefined;
  }
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The summary as short phrases for one line, e.g. `["success", "gpt-4o", "1,234 tokens (1,200 in · 34 out)"]`. */
export function formatStepSummary(summary: StepSummary): string[] {
  const parts: string[] = [];
  if (summary.status) {
    parts.push(summary.stopReason ? `${summary.status} (${summary.stopReason})` : summary.status);
  }
  if (summary.model) {
    parts.push(summary.model);
  }
  const usage = summary.usage;
  if (usage) {
    const { promptTokens: inTokens, completionTokens: outTokens } = usage;
    const total = usage.totalTokens ?? (inTokens !== undefined && outTokens !== undefined ? inTokens + outTokens : undefined);
    const detail = formatUsage(usage);
    if (total !== undefined) {
      parts.push(detail ? `${formatTokens(total)} tokens (${detail})` : `${formatTokens(total)} tokens`);
    } else if (detail) {
      parts.push(`tokens: ${detail}`);
    }
  }
  if (summary.latencyMs !== undefined) {
    parts.push(formatLatency(summary.latencyMs));
  }
  const time = summary.createdAt ? formatTime(summary.createdAt) : undefined;
  if (time) {
    parts.push(time);
  }
  return parts;
}

export interface StepSummaryCacheOptions {
  /** The client for the configured server, never prompting; undefined when there is no key. */
  getApi: () => Promise<LettaApi | undefined>;
  /** The per-request timeout for `getStep` (the hover cannot wait long). */
  timeoutMs?: number;
  /** How long a found step is reused; a pending step is reused for `failureTtlMs` only. */
  okTtlMs?: number;
  /** How long a failure (unreachable server, unknown step, no key) is reused. */
  failureTtlMs?: number;
  /** Entries kept; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
  /** Failures, for the log (never with a key: `LettaApiError` messages do not hold one). */
  onError?: (stepId: string, error: unknown) => void;
}

interface Flight {
  promise: Promise<StepSummaryResult | undefined>;
  controller: AbortController;
  waiters: number;
}

/**
 * Step summaries by ID, fetched with a short timeout and no retries, shared by concurrent hovers,
 * and cached (failures briefly). A request is aborted once every hover waiting for it is gone.
 */
export class StepSummaryCache {
  private readonly entries = new Map<string, { result: StepSummaryResult; expires: number }>();
  private readonly flights = new Map<string, Flight>();
  private readonly timeoutMs: number;
  private readonly okTtlMs: number;
  private readonly failureTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: StepSummaryCacheOptions) {
    this.timeoutMs = options.timeoutMs ?? 1500;
    this.okTtlMs = options.okTtlMs ?? 10 * 60_000;
    this.failureTtlMs = options.failureTtlMs ?? 15_000;
    this.maxEntries = options.maxEntries ?? 500;
    this.now = options.now ?? Date.now;
  }

  /** The cached result, if still fresh; no request. */
  peek(stepId: string): StepSummaryResult | undefined {
    const entry = this.entries.get(stepId);
    if (!entry) {
      return undefined;
    }
    if (entry.expires <= this.now()) {
      this.entries.delete(stepId);
      return undefined;
    }
    return entry.result;
  }

  /**
   * The summary of `stepId`: cached, or fetched. Undefined when `signal` aborts first, or when no
   * answer came within the timeout plus a little (then nothing is cached and a later hover retries).
   */
  get(stepId: string, signal?: AbortSignal): Promise<StepSummaryResult | undefined> {
    const cached = this.peek(stepId);
    if (cached) {
      return Promise.resolve(cached);
    }
    if (signal?.aborted) {
      return Promise.resolve(undefined);
    }
    let flight = this.flights.get(stepId);
    if (!flight) {
      const controller = new AbortController();
      const started: Flight = { controller, waiters: 0, promise: this.load(stepId, controller.signal) };
      this.flights.set(stepId, started);
      void started.promise.finally(() => {
        if (this.flights.get(stepId) === started) {
          this.flights.delete(stepId);
        }
      });
      flight = started;
    }
    const current = flight;
    current.waiters++;
    return new Promise((resolve) => {
      let done = false;
      const finish = (result: StepSummaryResult | undefined, gaveUp: boolean) => {
        if (done) {
          return;
        }
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        current.waiters--;
        if (gaveUp && current.waiters === 0) {
          current.controller.abort();
        }
        resolve(result);
      };
      const onAbort = () => finish(undefined, true);
      // A client that ignored `timeoutMs` must not hold the hover open.
      const timer = setTimeout(() => finish(undefined, true), this.timeoutMs + 500);
      signal?.addEventListener('abort', onAbort, { once: true });
      void current.promise.then((result) => finish(result, false));
    });
  }

  /** Forgets everything (the server or its key changed). In-flight requests are abandoned. */
  clear(): void {
    this.entries.clear();
    for (const flight of this.flights.values()) {
      flight.controller.abort();
    }
    this.flights.clear();
  }

  private async load(stepId: string, signal: AbortSignal): Promise<StepSummaryResult | undefined> {
    let result: StepSummaryResult;
    try {
      const api = await this.options.getApi();
      if (signal.aborted) {
        return undefined;
      }
      if (!api) {
        result = { kind: 'no-key' };
      } else {
        const step = await api.getStep(stepId, { timeoutMs: this.timeoutMs, maxRetries: 0, signal });
        result = { kind: 'ok', summary: summaryFromStep(step) };
      }
    } catch (e) {
      if (signal.aborted || isLettaApiError(e, 'cancelled')) {
        return undefined;
      }
      this.options.onError?.(stepId, e);
      result = { kind: 'error', message: describeFailure(e) };
    }
    if (signal.aborted) {
      return undefined;
    }
    const settled = result.kind === 'ok' && result.summary.status !== 'pending';
    this.remember(stepId, result, settled ? this.okTtlMs : this.failureTtlMs);
    return result;
  }

  private remember(stepId: string, result: StepSummaryResult, ttlMs: number): void {
    this.entries.delete(stepId);
    this.entries.set(stepId, { result, expires: this.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.entries.delete(oldest);
    }
  }
}

/** One short sentence for the hover; the links below it are the next step. */
function describeFailure(e: unknown): string {
  if (isLettaApiError(e)) {
    switch (e.kind) {
      case 'unauthorized':
        return 'The server refused the API key.';
      case 'not-found':
        return 'The server has no step with this ID.';
      case 'network':
      case 'timeout':
        return 'The Letta server did not answer.';
      case 'rate-limited':
        return 'The server is rate-limiting requests; try again shortly.';
      default:
        return e.message.length > 160 ? `${e.message.slice(0, 159)}…` : e.message;
    }
  }
  return 'Could not load the step details.';
}

/**
 * Step summaries for the hover, fetched with a short timeout and cached, so a second hover is
 * instant. No `vscode` import; the hover provider turns its CancellationToken into the AbortSignal used here.
 */
import * as l10n from '@vscode/l10n';
import { isLettaApiError, type LettaApi } from './lettaApi';
import { accessFix, type AccessFix } from './serverAccess';
import { summaryFromStep, type StepSummary } from './stepSummary';

/** What a hover shows for one ID: its summary, the fix that would let it load, or why it failed. */
export type SummaryResult<S> =
  | { kind: 'ok'; summary: S }
  /** The server cannot be used as it is (no key, no http consent, a bad URL): the hover offers the fix instead of prompting. */
  | { kind: 'blocked'; fix: AccessFix }
  | { kind: 'error'; message: string };

export type StepSummaryResult = SummaryResult<StepSummary>;

export type StepSummaryCacheOptions = SummaryCacheOptions;

/** How one kind of ID is looked up (a step with `getStep`, a run with `getRun`). */
export interface SummarySource<S> {
  /** `step`, `run`: for the messages. */
  noun: string;
  fetch(api: LettaApi, id: string, options: { timeoutMs: number; maxRetries: number; signal: AbortSignal }): Promise<S>;
  /** A settled thing is kept long; one still moving (a pending step, a running run) briefly. */
  isSettled(summary: S): boolean;
}

export interface SummaryCacheOptions {
  /** The client for the configured server, never prompting; undefined when it cannot be used as it is. */
  getApi: () => Promise<LettaApi | undefined>;
  /** Why `getApi` gave nothing (asked only then); without it, "no key". */
  whyNoApi?: () => Promise<AccessFix | undefined>;
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
  onError?: (id: string, error: unknown) => void;
}

interface Flight<S> {
  promise: Promise<SummaryResult<S> | undefined>;
  controller: AbortController;
  waiters: number;
}

/**
 * Summaries by ID, fetched with a short timeout and no retries, shared by concurrent hovers,
 * and cached (failures briefly). A request is aborted once every hover waiting for it is gone.
 */
export class SummaryCache<S> {
  private readonly entries = new Map<string, { result: SummaryResult<S>; expires: number }>();
  private readonly flights = new Map<string, Flight<S>>();
  private readonly timeoutMs: number;
  private readonly okTtlMs: number;
  private readonly failureTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly source: SummarySource<S>,
    private readonly options: SummaryCacheOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 1500;
    this.okTtlMs = options.okTtlMs ?? 10 * 60_000;
    this.failureTtlMs = options.failureTtlMs ?? 15_000;
    this.maxEntries = options.maxEntries ?? 500;
    this.now = options.now ?? Date.now;
  }

  /** The cached result, if still fresh; no request. */
  peek(stepId: string): SummaryResult<S> | undefined {
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
  get(stepId: string, signal?: AbortSignal): Promise<SummaryResult<S> | undefined> {
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
      const started: Flight<S> = { controller, waiters: 0, promise: this.load(stepId, controller.signal) };
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
      const finish = (result: SummaryResult<S> | undefined, gaveUp: boolean) => {
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

  /**
   * What a hover shows at once: the cached result, else the answer if it comes within `waitMs`, else
   * `pending` (the request goes on, bounded by its own timeout, and its answer is cached for the next
   * hover: nothing gives it up early, not even `signal`, which only ends this wait).
   */
  async within(stepId: string, waitMs: number, signal?: AbortSignal): Promise<SummaryResult<S> | 'pending' | undefined> {
    const cached = this.peek(stepId);
    if (cached || signal?.aborted) {
      return cached;
    }
    const answer = this.get(stepId);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const waited = new Promise<'pending'>((resolve) => {
      timer = setTimeout(() => resolve('pending'), waitMs);
      onAbort = () => resolve('pending');
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([answer, waited]);
    } finally {
      clearTimeout(timer);
      if (onAbort) {
        signal?.removeEventListener('abort', onAbort);
      }
    }
  }

  /**
   * Forgets one step (its feedback changed): the next hover asks again. A request in flight for it is
   * abandoned, so its answer, maybe from before the change, is not kept.
   */
  forget(stepId: string): void {
    this.entries.delete(stepId);
    this.flights.get(stepId)?.controller.abort();
    this.flights.delete(stepId);
  }

  /** Forgets everything (the server or its key changed). In-flight requests are abandoned. */
  clear(): void {
    this.entries.clear();
    for (const flight of this.flights.values()) {
      flight.controller.abort();
    }
    this.flights.clear();
  }

  private async load(stepId: string, signal: AbortSignal): Promise<SummaryResult<S> | undefined> {
    let result: SummaryResult<S>;
    try {
      const api = await this.options.getApi();
      if (signal.aborted) {
        return undefined;
      }
      if (!api) {
        result = { kind: 'blocked', fix: (await this.options.whyNoApi?.()) ?? accessFix({ kind: 'no-key', origin: l10n.t('this server'), host: '' }) };
      } else {
        result = { kind: 'ok', summary: await this.source.fetch(api, stepId, { timeoutMs: this.timeoutMs, maxRetries: 0, signal }) };
      }
    } catch (e) {
      if (signal.aborted || isLettaApiError(e, 'cancelled')) {
        return undefined;
      }
      this.options.onError?.(stepId, e);
      result = { kind: 'error', message: describeFailure(e, this.source.noun) };
    }
    if (signal.aborted) {
      return undefined;
    }
    const settled = result.kind === 'ok' && this.source.isSettled(result.summary);
    this.remember(stepId, result, settled ? this.okTtlMs : this.failureTtlMs);
    return result;
  }

  private remember(stepId: string, result: SummaryResult<S>, ttlMs: number): void {
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

/** Step summaries for the hover (`getStep`). */
export class StepSummaryCache extends SummaryCache<StepSummary> {
  constructor(options: StepSummaryCacheOptions) {
    super(
      {
        noun: 'step',
        fetch: async (api, id, call) => summaryFromStep(await api.getStep(id, call)),
        isSettled: (summary) => summary.status !== 'pending',
      },
      options,
    );
  }
}

/** One short sentence for the hover; the links below it are the next step. */
function describeFailure(e: unknown, noun: string): string {
  if (isLettaApiError(e)) {
    switch (e.kind) {
      case 'unauthorized':
        return 'The server refused the API key.';
      case 'not-found':
        return `The server has no ${noun} with this ID.`;
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

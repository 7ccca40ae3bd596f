/**
 * Loading one run: reads the run and its steps, builds the run model, then fetches the steps'
 * traces lazily through the trace store (the same cache as single steps), at most 4 at a time with
 * one shared 429 backoff (`LoadQueue`), and prices the steps once the price table is in. The run
 * view drives one per panel; "Copy Run as Markdown" drives one on its own when no panel is open.
 * The run model comes from `dist/runs.js`, loaded on first use.
 */
import * as vscode from 'vscode';
import type { PriceFunction } from '../../core/context/cost';
import { errorMessage } from '../../core/errorMessage';
import { isLettaApiError } from '../../core/lettaApi';
import type { LoadedTrace, Step } from '../../core/lettaTypes';
import type { LoadQueue } from '../../core/runs/loadQueue';
import type { RunTracker, TraceState } from '../../core/runs/runModel';
import type { ApiProvider, TraceStore } from '../contracts';
import { runsModule } from './runsBundle';


export interface RunLoadDeps {
  log: vscode.LogOutputChannel;
  store: TraceStore;
  api: ApiProvider;
  /** The price table (undefined when it could not be loaded: the steps then stay unpriced). */
  prices: () => Promise<PriceFunction | undefined>;
}

export interface RunLoadListener {
  /** The run and its steps were read: the model is whole, its traces may still be pending. */
  onRun(tracker: RunTracker): void;
  /** These rows changed: a trace arrived or failed, or the prices came. */
  onRows(indices: number[]): void;
  /** The run could not be read at all. */
  onError(message: string): void;
}

export class RunLoad {
  private readonly abort = new AbortController();
  private tracker: RunTracker | undefined;
  private queue: LoadQueue<LoadedTrace> | undefined;
  /** Traces still to come, plus one for the prices. */
  private outstanding = 0;
  private resolveSettled!: (tracker: RunTracker | undefined) => void;
  /** Every trace has come (loaded, none or failed) and the steps are priced: the tracker; undefined when the run could not be read or the load was cancelled. */
  readonly settled = new Promise<RunTracker | undefined>((resolve) => (this.resolveSettled = resolve));

  constructor(
    readonly runId: string,
    private readonly deps: RunLoadDeps,
    private readonly listener: RunLoadListener,
    /** Asks for the key when there is none (a panel the user opened) or not (a background copy). */
    private readonly prompt = true,
  ) {}

  /** Reads the run and starts loading its traces; resolves once the run is read (or failed). */
  async start(): Promise<void> {
    const signal = this.abort.signal;
    const api = await this.deps.api.getApi({ prompt: this.prompt });
    if (signal.aborted) {
      return this.resolveSettled(undefined);
    }
    if (!api) {
      return this.fail(vscode.l10n.t('No API key for this server. Set one with "Letta: Set API Key", then refresh.'));
    }
    const started = Date.now();
    try {
      const optional = <T>(what: string, p: Promise<T>) =>
        p.catch((e: unknown) => {
          this.deps.log.debug(`Run ${this.runId}: no ${what} (${errorMessage(e)}).`);
          return undefined;
        });
      const [run, steps, usage, metrics, runs] = await Promise.all([
        api.getRun(this.runId, { signal }),
        api.listRunSteps(this.runId, {}, { signal }),
        optional('usage', api.getRunUsage(this.runId, { signal, maxRetries: 0 })),
        optional('metrics', api.getRunMetrics(this.runId, { signal, maxRetries: 0 })),
        runsModule(),
      ]);
      if (signal.aborted) {
        return this.resolveSettled(undefined);
      }
      this.deps.log.info(`Run ${this.runId} from ${api.origin}: ${steps.steps.length} step(s) in ${Date.now() - started} ms.`);
      const tracker = new runs.RunTracker(run, steps.steps, { usage, metrics, truncated: steps.truncated });
      this.tracker = tracker;
      // Traces already in the cache go in at once; the rest are fetched.
      for (const step of steps.steps) {
        const cached = this.deps.store.peekQuietly(step.id);
        if (cached) {
          tracker.setTrace(step.id, { kind: 'loaded', trace: cached.trace });
        }
      }
      this.listener.onRun(tracker);
      this.fetchTraces(tracker, steps.steps, runs);
      this.priceSteps(tracker);
    } catch (e) {
      if (signal.aborted || isLettaApiError(e, 'cancelled')) {
        return this.resolveSettled(undefined);
      }
      this.deps.log.warn(`Run ${this.runId}: ${errorMessage(e)}`);
      this.fail(errorMessage(e));
    }
  }

  private fail(message: string): void {
    this.listener.onError(message);
    this.resolveSettled(undefined);
  }

  private fetchTraces(tracker: RunTracker, steps: readonly Step[], runs: Awaited<ReturnType<typeof runsModule>>): void {
    const signal = this.abort.signal;
    const byId = new Map(steps.map((s) => [s.id, s]));
    const queue = new runs.LoadQueue<LoadedTrace>({
      load: (id, loadSignal) => this.deps.store.loadQuietly(id, { signal: loadSignal, step: byId.get(id), maxRetries: 0 }),
      concurrency: 4,
      retryAfterMs: (e) => (isLettaApiError(e) ? e.details.retryAfterMs : undefined),
    });
    this.queue = queue;
    const pending = tracker.pendingStepIds();
    this.outstanding += pending.length;
    for (const id of pending) {
      queue.request(id).then(
        (loaded) => this.arrive(tracker, id, { kind: 'loaded', trace: loaded.trace }),
        (e: unknown) => {
          if (signal.aborted || e instanceof runs.LoadCancelledError || isLettaApiError(e, 'cancelled')) {
            return;
          }
          this.arrive(tracker, id, isLettaApiError(e, 'no-trace') ? { kind: 'none' } : { kind: 'error', message: errorMessage(e) });
        },
      );
    }
  }

  private priceSteps(tracker: RunTracker): void {
    this.outstanding++;
    void this.deps.prices().then((calc) => {
      if (this.abort.signal.aborted) {
        return;
      }
      if (calc) {
        this.listener.onRows(tracker.setPrices(calc));
      }
      this.done();
    });
  }

  private arrive(tracker: RunTracker, stepId: string, state: TraceState): void {
    if (this.abort.signal.aborted) {
      return;
    }
    this.listener.onRows(tracker.setTrace(stepId, state));
    this.done();
  }

  private done(): void {
    if (--this.outstanding === 0) {
      this.resolveSettled(this.tracker);
    }
  }

  /** Loads this step's trace next (the user opened it). */
  prioritise(stepIds: string[]): void {
    this.queue?.prioritise(stepIds);
  }

  /** Loads still waiting or in flight. */
  get loading(): number {
    return (this.queue?.active ?? 0) + (this.queue?.queued ?? 0);
  }

  cancel(): void {
    this.abort.abort();
    this.queue?.cancel();
    this.resolveSettled(undefined);
  }
}

/**
 * Loads traces from the server under a cancellable progress notification, or from a saved file, and
 * caches them by source and step: a trace never changes, so opening a step again makes no request,
 * and a file's trace never stands in for the server's. Nothing is cached or announced from a failure,
 * and nothing loaded under one server lands in the cache after the server changed.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { LettaApiError, isLettaApiError, type CallOptions, type LettaApi } from '../../core/lettaApi';
import type { LoadedTrace, Step, TraceSource } from '../../core/lettaTypes';
import type { MemoryBudget } from '../../core/memoryBudget';
import { shortStepId } from '../../core/stepIds';
import { TraceCache, type TraceCacheLimits } from '../../core/traceCache';
import { traceKey } from '../../core/traceSource';
import type { ApiProvider, LoadOptions, TraceStore } from '../contracts';
import { showTraceError } from '../errors';
import { readTraceFile } from './traceFiles';

export class CachedTraceStore implements TraceStore, vscode.Disposable {
  private readonly cache: TraceCache;
  private readonly inFlight = new Map<string, Promise<LoadedTrace | undefined>>();
  /** Aborts the requests under way: the server changed, so their answers belong to no one. */
  private readonly aborts = new Set<AbortController>();
  /** Bumped on every change of server, project or key; a load finished under an older one is dropped. */
  private generation = 0;
  private readonly opened = new vscode.EventEmitter<LoadedTrace>();
  readonly onDidOpenTrace = this.opened.event;
  private readonly refreshed = new vscode.EventEmitter<LoadedTrace>();
  readonly onDidRefresh = this.refreshed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly api: ApiProvider,
    private readonly log: vscode.LogOutputChannel,
    budget?: MemoryBudget,
    limits?: Partial<TraceCacheLimits>,
  ) {
    this.cache = new TraceCache(limits, budget);
    // Another server, project or key: nothing loaded under the old one may be shown as this one's.
    this.subscription = api.onDidChange(() => this.serverChanged());
  }

  private serverChanged(): void {
    this.generation++;
    for (const abort of this.aborts) {
      abort.abort();
    }
    this.aborts.clear();
    this.inFlight.clear();
    this.clear();
  }

  /** Forgets every cached trace that came from a server (traces opened from files stay). */
  clear(): void {
    this.cache.deleteWhere((trace) => trace.source.kind === 'server');
  }

  /** Forgets everything, files too, and drops the loads under way (the tests' reset). */
  reset(): void {
    this.serverChanged();
    this.cache.clear();
  }

  currentSource(): TraceSource {
    return { kind: 'server', origin: this.api.origin };
  }

  peek(stepId: string, source: TraceSource = this.currentSource()): LoadedTrace | undefined {
    return this.cache.get(stepId, source);
  }

  peekQuietly(stepId: string, source: TraceSource = this.currentSource()): LoadedTrace | undefined {
    return this.cache.peek(stepId, source);
  }

  cached(): LoadedTrace[] {
    return this.cache.traces();
  }

  put(trace: LoadedTrace): void {
    this.cache.set(trace);
  }

  hold(trace: LoadedTrace): void {
    this.cache.hold(trace);
  }

  release(trace: LoadedTrace): void {
    this.cache.release(trace);
  }

  /** Called by the opener once a trace is on screen. */
  noteOpened(trace: LoadedTrace): void {
    this.opened.fire(trace);
  }

  load(stepId: string, options: LoadOptions = {}): Promise<LoadedTrace | undefined> {
    const source = options.source ?? this.currentSource();
    const cached = options.refresh ? undefined : this.peek(stepId, source);
    if (cached) {
      this.log.debug(`${stepId}: from the cache, no request.`);
      return Promise.resolve(cached);
    }
    const retry = options.retry ?? (() => this.load(stepId, { source }));
    // Two views asking for the same step at once share one request.
    const key = traceKey(stepId, source);
    let pending = this.inFlight.get(key);
    if (!pending) {
      const loading = source.kind === 'file' ? this.readFile(stepId, source.path) : this.fetch(stepId, source.origin, retry);
      const settled: Promise<LoadedTrace | undefined> = loading.finally(() => {
        if (this.inFlight.get(key) === settled) {
          this.inFlight.delete(key);
        }
      });
      pending = settled;
      if (options.refresh) {
        void pending.then((t) => t && this.refreshed.fire(t));
      }
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** A trace saved to a file, read again (a restored view, or a file trace evicted from the cache). */
  private async readFile(stepId: string, path: string): Promise<LoadedTrace | undefined> {
    const read = await readTraceFile(vscode.Uri.file(path));
    if (!read.ok) {
      this.log.warn(`Could not reopen ${stepId} from ${path}: ${read.error}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The trace of {0} cannot be reopened from its file. {1}', shortStepId(stepId), read.error));
      return undefined;
    }
    if (read.trace.stepId !== stepId) {
      const message = vscode.l10n.t('{0} now holds the trace of {1}, not {2}.', path, read.trace.stepId, stepId);
      this.log.warn(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
    this.put(read.trace);
    return read.trace;
  }

  /**
   * The trace of `stepId` from the configured server with no progress notification, no key prompt
   * and no error notification: for callers that report failures themselves (the chat tools hand them
   * to the model as text; the run view shows them in a row, and its queue decides when to try again,
   * so it passes `maxRetries: 0` and the step record it already has). Throws the `LettaApiError` of a
   * failed request; cached like `load`.
   */
  async loadQuietly(stepId: string, options: { signal?: AbortSignal; step?: Step; maxRetries?: number } = {}): Promise<LoadedTrace> {
    const cached = this.peek(stepId);
    if (cached) {
      return cached;
    }
    const api = await this.api.getApi({ prompt: false });
    if (!api) {
      throw new LettaApiError('unauthorized', vscode.l10n.t('No usable server or API key is set.'));
    }
    const generation = this.generation;
    const call = { signal: options.signal, ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}) };
    const loaded: LoadedTrace = options.step
      ? { stepId, trace: await api.getTrace(stepId, call), step: options.step, source: { kind: 'server', origin: api.origin }, loadedAt: Date.now() }
      : await this.request(api, stepId, call);
    if (generation === this.generation) {
      this.put(loaded);
    }
    return loaded;
  }

  /** The trace, and the step's record beside it (a bonus: its failure never blocks the trace). */
  private async request(api: LettaApi, stepId: string, options: CallOptions): Promise<LoadedTrace> {
    const [trace, step] = await Promise.all([
      api.getTrace(stepId, options),
      api.getStep(stepId, { signal: options.signal, maxRetries: 0 }).catch((e: unknown) => {
        this.log.debug(`${stepId}: no step record (${errorMessage(e)}).`);
        return undefined;
      }),
    ]);
    return { stepId, trace, step, source: { kind: 'server', origin: api.origin }, loadedAt: Date.now() };
  }

  private async fetch(stepId: string, origin: string, retry: () => unknown): Promise<LoadedTrace | undefined> {
    if (origin !== this.api.origin) {
      // A Recent entry or restored view of another server: never fetched from this one.
      this.log.info(`Not loading ${stepId}: it belongs to ${origin}, and the configured server is ${this.api.origin}.`);
      const change = vscode.l10n.t('Change Server');
      void vscode.window
        .showWarningMessage(vscode.l10n.t('{0} belongs to {1}, not to the configured server {2}. Change the server to open it.', shortStepId(stepId), origin, this.api.origin), change)
        .then((choice) => choice === change && vscode.commands.executeCommand('letta.changeServer', origin));
      return undefined;
    }
    const api = await this.api.getApi({ prompt: true });
    if (!api) {
      this.log.info(`Not loading ${stepId}: no usable server or key.`);
      return undefined;
    }
    const generation = this.generation;
    const abort = new AbortController();
    this.aborts.add(abort);
    const started = Date.now();
    this.log.trace(`GET trace ${stepId} from ${api.origin}: started.`);
    try {
      const loaded = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Letta: loading trace {0} from {1}', shortStepId(stepId), api.origin), cancellable: true },
        async (progress, token) => {
          const onCancel = token.onCancellationRequested(() => abort.abort());
          try {
            // A wait between tries (429, 5xx, a trace not yet written) says so, and for how long.
            return await this.request(api, stepId, { signal: abort.signal, onWait: (wait) => progress.report({ message: wait.message }) });
          } finally {
            onCancel.dispose();
          }
        },
      );
      if (generation !== this.generation) {
        this.log.info(`GET trace ${stepId} from ${api.origin}: answered after the server changed; dropped.`);
        return undefined;
      }
      this.put(loaded);
      this.log.info(`GET trace ${stepId} from ${api.origin}: 200 in ${Date.now() - started} ms.`);
      return loaded;
    } catch (e) {
      const status = isLettaApiError(e) ? (e.details.status ? `${e.details.status} ${e.kind}` : e.kind) : 'failed';
      this.log.info(`GET trace ${stepId} from ${api.origin}: ${status} in ${Date.now() - started} ms.`);
      if (generation === this.generation) {
        // Not awaited: the notification stays until dismissed, and the load must not wait for that.
        void showTraceError(e, stepId, this.log, retry);
      }
      return undefined;
    } finally {
      this.aborts.delete(abort);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    for (const abort of this.aborts) {
      abort.abort();
    }
    this.refreshed.dispose();
    this.opened.dispose();
    this.cache.clear();
  }
}

/**
 * Loads traces from the server under a cancellable progress notification and caches them: a trace
 * never changes, so opening a step again makes no request. Nothing is cached or announced from a failure.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { isLettaApiError } from '../../core/lettaApi';
import type { LoadedTrace, Step } from '../../core/lettaTypes';
import { shortStepId } from '../../core/stepIds';
import type { ApiProvider, TraceStore } from '../contracts';
import { showTraceError } from '../errors';
import { TraceCache, type TraceCacheLimits } from '../../core/traceCache';

export class CachedTraceStore implements TraceStore, vscode.Disposable {
  private readonly cache: TraceCache;
  private readonly inFlight = new Map<string, Promise<LoadedTrace | undefined>>();
  private readonly opened = new vscode.EventEmitter<LoadedTrace>();
  readonly onDidOpenTrace = this.opened.event;
  private readonly refreshed = new vscode.EventEmitter<string>();
  /** Fires with the step ID when a trace was reloaded from the server (documents re-render). */
  readonly onDidRefresh = this.refreshed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly api: ApiProvider,
    private readonly log: vscode.LogOutputChannel,
    limits?: TraceCacheLimits,
  ) {
    this.cache = new TraceCache(limits);
    // Another server, project or key: nothing loaded under the old one may be shown as this one's.
    this.subscription = api.onDidChange(() => this.clear());
  }

  /** Forgets every cached trace that came from a server (traces opened from files stay). */
  clear(): void {
    this.cache.deleteWhere((trace) => trace.source.kind === 'server');
  }

  peek(stepId: string): LoadedTrace | undefined {
    return this.cache.get(stepId);
  }

  /** The cached trace without marking it as used (for listing what is cached). */
  peekQuietly(stepId: string): LoadedTrace | undefined {
    return this.cache.peek(stepId);
  }

  /** Step IDs in the cache, most recently used first (for "Compare with…"). */
  cachedStepIds(): string[] {
    return this.cache.keys();
  }

  put(trace: LoadedTrace): void {
    this.cache.set(trace);
  }

  /** Called by the opener once a trace is on screen. */
  noteOpened(trace: LoadedTrace): void {
    this.opened.fire(trace);
  }

  load(stepId: string, options: { refresh?: boolean } = {}): Promise<LoadedTrace | undefined> {
    const cached = options.refresh ? undefined : this.peek(stepId);
    if (cached) {
      this.log.debug(`${stepId}: from the cache, no request.`);
      return Promise.resolve(cached);
    }
    // Two views asking for the same step at once share one request.
    let pending = this.inFlight.get(stepId);
    if (!pending) {
      pending = this.fetch(stepId).finally(() => this.inFlight.delete(stepId));
      if (options.refresh) {
        void pending.then((t) => t && this.refreshed.fire(stepId));
      }
      this.inFlight.set(stepId, pending);
    }
    return pending;
  }

  /**
   * The trace of `stepId` for a view that loads many (the run view): the same cache and the same
   * shared request as `load`, but no progress notification, no key prompt, no error notification
   * and no retries of its own (the caller's queue decides when to try again). Throws what failed.
   */
  async loadQuietly(stepId: string, options: { signal?: AbortSignal; step?: Step } = {}): Promise<LoadedTrace> {
    const cached = this.peek(stepId);
    if (cached) {
      return cached;
    }
    const shared = this.inFlight.get(stepId);
    if (shared) {
      const loaded = await shared;
      if (loaded) {
        return loaded;
      }
    }
    const api = await this.api.getApi({ prompt: false });
    if (!api) {
      throw new Error(vscode.l10n.t('No usable server or API key: set one with "Letta: Set API Key".'));
    }
    const started = Date.now();
    try {
      const trace = await api.getTrace(stepId, { signal: options.signal, maxRetries: 0 });
      const loaded: LoadedTrace = { stepId, trace, ...(options.step ? { step: options.step } : {}), source: { kind: 'server', origin: api.origin }, loadedAt: Date.now() };
      this.put(loaded);
      this.log.debug(`GET trace ${stepId} from ${api.origin} (run view): 200 in ${Date.now() - started} ms.`);
      return loaded;
    } catch (e) {
      const status = isLettaApiError(e) ? (e.details.status ? `${e.details.status} ${e.kind}` : e.kind) : 'failed';
      this.log.debug(`GET trace ${stepId} from ${api.origin} (run view): ${status} in ${Date.now() - started} ms.`);
      throw e;
    }
  }

  private async fetch(stepId: string): Promise<LoadedTrace | undefined> {
    const api = await this.api.getApi({ prompt: true });
    if (!api) {
      this.log.info(`Not loading ${stepId}: no usable server or key.`);
      return undefined;
    }
    const started = Date.now();
    try {
      const loaded = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Letta: loading trace {0} from {1}', shortStepId(stepId), api.origin), cancellable: true },
        async (_progress, token) => {
          const abort = new AbortController();
          const onCancel = token.onCancellationRequested(() => abort.abort());
          try {
            // The step's record (status, stop reason) is a bonus: its failure never blocks the trace.
            const [trace, step] = await Promise.all([
              api.getTrace(stepId, { signal: abort.signal }),
              api.getStep(stepId, { signal: abort.signal, maxRetries: 0 }).catch((e: unknown) => {
                this.log.debug(`${stepId}: no step record (${errorMessage(e)}).`);
                return undefined;
              }),
            ]);
            return { stepId, trace, step, source: { kind: 'server', origin: api.origin }, loadedAt: Date.now() } satisfies LoadedTrace;
          } finally {
            onCancel.dispose();
          }
        },
      );
      this.put(loaded);
      this.log.info(`GET trace ${stepId} from ${api.origin}: 200 in ${Date.now() - started} ms.`);
      return loaded;
    } catch (e) {
      const status = isLettaApiError(e) ? (e.details.status ? `${e.details.status} ${e.kind}` : e.kind) : 'failed';
      this.log.info(`GET trace ${stepId} from ${api.origin}: ${status} in ${Date.now() - started} ms.`);
      // Not awaited: the notification stays until dismissed, and the load must not wait for that.
      void showTraceError(e, stepId, this.log);
      return undefined;
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.refreshed.dispose();
    this.opened.dispose();
    this.cache.clear();
  }
}

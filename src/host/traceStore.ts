/**
 * Loads traces from the server under a cancellable progress notification and caches them: a trace
 * never changes, so opening a step again makes no request. Nothing is cached from a failure.
 */
import * as vscode from 'vscode';
import type { LoadedTrace } from '../core/lettaTypes';
import { shortStepId } from '../core/stepIds';
import type { ApiProvider, TraceStore } from './contracts';
import { showTraceError } from './errors';

/** How many traces stay in memory; the least recently used goes first. */
const CACHE_LIMIT = 30;

export class CachedTraceStore implements TraceStore, vscode.Disposable {
  private readonly cache = new Map<string, LoadedTrace>();
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
  ) {
    // Another server or key: start afresh, so nothing loaded under the old one is shown as this one's.
    this.subscription = api.onDidChange(() => this.clear());
  }

  /** Forgets every cached trace that came from a server (traces opened from files stay). */
  clear(): void {
    for (const [id, trace] of this.cache) {
      if (trace.source.kind === 'server') {
        this.cache.delete(id);
      }
    }
  }

  peek(stepId: string): LoadedTrace | undefined {
    const hit = this.cache.get(stepId);
    if (hit) {
      // Refresh its place in the LRU order.
      this.cache.delete(stepId);
      this.cache.set(stepId, hit);
    }
    return hit;
  }

  /** Step IDs in the cache, most recent first (for "Compare with…"). */
  cachedStepIds(): string[] {
    return [...this.cache.keys()].reverse();
  }

  put(trace: LoadedTrace): void {
    this.cache.delete(trace.stepId);
    this.cache.set(trace.stepId, trace);
    while (this.cache.size > CACHE_LIMIT) {
      this.cache.delete(this.cache.keys().next().value as string);
    }
  }

  /** Called by the opener once a trace is on screen. */
  noteOpened(trace: LoadedTrace): void {
    this.opened.fire(trace);
  }

  load(stepId: string, options: { refresh?: boolean } = {}): Promise<LoadedTrace | undefined> {
    const cached = options.refresh ? undefined : this.peek(stepId);
    if (cached) {
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

  private async fetch(stepId: string): Promise<LoadedTrace | undefined> {
    const api = await this.api.getApi({ prompt: true });
    if (!api) {
      this.log.info(`Not loading ${stepId}: no server or key.`);
      return undefined;
    }
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Letta: loading trace {0} from {1}', shortStepId(stepId), api.origin), cancellable: true },
        async (_progress, token) => {
          const abort = new AbortController();
          const onCancel = token.onCancellationRequested(() => abort.abort());
          const started = Date.now();
          try {
            // The step's record (status, stop reason) is a bonus: its failure never blocks the trace.
            const [trace, step] = await Promise.all([
              api.getTrace(stepId, { signal: abort.signal }),
              api.getStep(stepId, { signal: abort.signal, maxRetries: 0 }).catch(() => undefined),
            ]);
            const loaded: LoadedTrace = { stepId, trace, step, source: { kind: 'server', origin: api.origin }, loadedAt: Date.now() };
            this.put(loaded);
            this.log.info(`Loaded ${stepId} from ${api.origin} in ${Date.now() - started} ms.`);
            return loaded;
          } finally {
            onCancel.dispose();
          }
        },
      );
    } catch (e) {
      await showTraceError(e, stepId, this.log);
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

/**
 * One run view panel: reads the run and its steps, posts the run model, then fetches the steps'
 * traces lazily through the trace store (the same cache as single steps), at most 4 at a time with
 * one shared 429 backoff (`LoadQueue`), and posts the rows that changed in batches. Closing the
 * panel cancels every load. Trace text never goes into the HTML.
 */
import * as vscode from 'vscode';
import { webviewShellAssets } from '../viewer/webviewShell';
import { copyFromPage, handlePageRequest } from '../viewer/pageMessages';
import { errorMessage } from '../../core/errorMessage';
import { isLettaApiError } from '../../core/lettaApi';
import type { LoadedTrace, Step } from '../../core/lettaTypes';
import { RUN_IDS } from '../../core/lettaIds';
import { LoadCancelledError, LoadQueue } from '../../core/runs/loadQueue';
import { runHtml } from '../../core/runs/runHtml';
import { RunTracker, type RunModel, type TraceState } from '../../core/runs/runModel';
import type { RunHostMessage, RunWebviewMessage } from '../../shared/runProtocol';
import type { ApiProvider, TraceStore } from '../contracts';

export interface RunPanelDeps {
  log: vscode.LogOutputChannel;
  store: TraceStore;
  api: ApiProvider;
}

/** Rows that changed are posted together at most this often: a 200-step run is a few dozen messages, not 200. */
const FLUSH_MS = 80;

export class RunPanel implements vscode.Disposable {
  private ready = false;
  /** The last whole state (`run` or `error`), resent on every `ready`; row updates are folded into it. */
  private last: RunHostMessage;
  private tracker: RunTracker | undefined;
  private queue: LoadQueue<LoadedTrace> | undefined;
  private abort: AbortController | undefined;
  private readonly dirty = new Set<number>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    readonly runId: string,
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly deps: RunPanelDeps,
    onDispose: () => void,
  ) {
    this.last = { type: 'loading', runId };
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.title = RUN_IDS.short(runId);
    panel.webview.html = this.html();
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((m: RunWebviewMessage) => void this.receive(m)),
      panel.onDidDispose(() => {
        onDispose();
        this.dispose();
      }),
    );
  }

  /** Reads the run from the server (again) and starts loading its traces. */
  async load(): Promise<void> {
    this.stopLoading();
    const abort = new AbortController();
    this.abort = abort;
    this.setState({ type: 'loading', runId: this.runId });
    const api = await this.deps.api.getApi({ prompt: true });
    if (abort.signal.aborted) {
      return;
    }
    if (!api) {
      this.setState({ type: 'error', message: vscode.l10n.t('No API key for this server. Set one with "Letta: Set API Key", then refresh.') });
      return;
    }
    const started = Date.now();
    try {
      const signal = abort.signal;
      const optional = <T>(what: string, p: Promise<T>) =>
        p.catch((e: unknown) => {
          this.deps.log.debug(`Run ${this.runId}: no ${what} (${errorMessage(e)}).`);
          return undefined;
        });
      const [run, steps, usage, metrics] = await Promise.all([
        api.getRun(this.runId, { signal }),
        api.listRunSteps(this.runId, {}, { signal }),
        optional('usage', api.getRunUsage(this.runId, { signal, maxRetries: 0 })),
        optional('metrics', api.getRunMetrics(this.runId, { signal, maxRetries: 0 })),
      ]);
      if (signal.aborted) {
        return;
      }
      this.deps.log.info(`Run ${this.runId} from ${api.origin}: ${steps.steps.length} step(s) in ${Date.now() - started} ms.`);
      const tracker = new RunTracker(run, steps.steps, { usage, metrics, truncated: steps.truncated });
      this.tracker = tracker;
      // Traces already in the cache go in at once; the rest are fetched.
      for (const step of steps.steps) {
        const cached = this.deps.store.peekQuietly(step.id);
        if (cached) {
          tracker.setTrace(step.id, { kind: 'loaded', trace: cached.trace });
        }
      }
      this.setState({ type: 'run', model: snapshot(tracker) });
      this.fetchTraces(tracker, steps.steps, signal);
    } catch (e) {
      if (abort.signal.aborted || isLettaApiError(e, 'cancelled')) {
        return;
      }
      this.deps.log.warn(`Run ${this.runId}: ${errorMessage(e)}`);
      this.setState({ type: 'error', message: errorMessage(e) });
    }
  }

  private fetchTraces(tracker: RunTracker, steps: readonly Step[], signal: AbortSignal): void {
    const byId = new Map(steps.map((s) => [s.id, s]));
    const queue = new LoadQueue<LoadedTrace>({
      load: (id, loadSignal) => this.deps.store.loadQuietly(id, { signal: loadSignal, step: byId.get(id), maxRetries: 0 }),
      concurrency: 4,
      retryAfterMs: (e) => (isLettaApiError(e) ? e.details.retryAfterMs : undefined),
    });
    this.queue = queue;
    for (const id of tracker.pendingStepIds()) {
      queue.request(id).then(
        (loaded) => this.arrive(tracker, id, { kind: 'loaded', trace: loaded.trace }),
        (e: unknown) => {
          if (signal.aborted || e instanceof LoadCancelledError || isLettaApiError(e, 'cancelled')) {
            return;
          }
          const state: TraceState = isLettaApiError(e, 'no-trace') ? { kind: 'none' } : { kind: 'error', message: errorMessage(e) };
          this.arrive(tracker, id, state);
        },
      );
    }
  }

  private arrive(tracker: RunTracker, stepId: string, state: TraceState): void {
    if (this.disposed || tracker !== this.tracker) {
      return;
    }
    for (const i of tracker.setTrace(stepId, state)) {
      this.dirty.add(i);
    }
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const tracker = this.tracker;
    if (!tracker || this.dirty.size === 0) {
      return;
    }
    const model = snapshot(tracker);
    const indices = [...this.dirty].sort((a, b) => a - b);
    this.dirty.clear();
    this.last = { type: 'run', model };
    this.send({ type: 'rows', rows: indices.map((i) => model.rows[i]), totals: model.totals, transcript: model.transcript });
  }

  private setState(message: RunHostMessage): void {
    this.last = message;
    this.send(message);
  }

  /** What the page shows now (the last whole state, row updates folded in): for the integration tests. */
  get state(): RunHostMessage {
    return this.last;
  }

  private send(message: RunHostMessage): void {
    if (this.ready && !this.disposed) {
      void this.panel.webview.postMessage(message);
    }
  }

  private async receive(message: RunWebviewMessage): Promise<void> {
    switch (message?.type) {
      case 'ready':
        this.ready = true;
        // A reloaded webview gets the whole state, row updates included.
        void this.panel.webview.postMessage(this.last);
        return;
      case 'openStep':
        if (typeof message.stepId === 'string' && this.tracker?.rows.some((r) => r.stepId === message.stepId)) {
          const stepId = message.stepId;
          this.queue?.prioritise([stepId]);
          await handlePageRequest(this.deps.log, `Run view: opening ${stepId}`, async () => {
            await vscode.commands.executeCommand('letta.openStepTrace', stepId);
          });
        }
        return;
      case 'copy':
        await copyFromPage(message);
        return;
      case 'refresh':
        await this.load();
        return;
      default:
        this.deps.log.warn(`The run view sent an unknown message: ${String((message as { type?: unknown })?.type)}`);
    }
  }

  private html(): string {
    return runHtml({ ...webviewShellAssets(this.panel.webview, this.extensionUri, 'run'), runId: this.runId });
  }

  private stopLoading(): void {
    this.abort?.abort();
    this.queue?.cancel();
    this.queue = undefined;
    this.tracker = undefined;
    this.dirty.clear();
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  /** Loads still waiting or in flight (for tests: zero once the panel is closed). */
  get loading(): number {
    return (this.queue?.active ?? 0) + (this.queue?.queued ?? 0);
  }

  dispose(): void {
    this.disposed = true;
    this.stopLoading();
    for (const d of this.subscriptions.splice(0)) {
      d.dispose();
    }
  }
}

/** The model with its own copy of the row list: the tracker replaces rows in place, and a state kept must not change under its reader. */
function snapshot(tracker: RunTracker): RunModel {
  const model = tracker.model();
  return { ...model, rows: model.rows.slice() };
}

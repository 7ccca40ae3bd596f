/**
 * One run view panel: a `RunLoad` reads the run and its steps and fetches their traces (at most 4 at
 * a time, one shared 429 backoff, through the same cache as single steps); the panel posts the run
 * model, then the rows that changed in batches. Closing the panel cancels every load. Trace text
 * never goes into the HTML.
 */
import * as vscode from 'vscode';
import { webviewShellAssets } from '../viewer/webviewShell';
import { copyFromPage, handlePageRequest } from '../viewer/pageMessages';
import { RUN_IDS } from '../../core/lettaIds';
import { runHtml } from '../../core/runs/runHtml';
import type { RunModel, RunTracker } from '../../core/runs/runModel';
import type { RunHostMessage, RunWebviewMessage } from '../../shared/runProtocol';
import { RunLoad, type RunLoadDeps } from './runLoad';

export type RunPanelDeps = RunLoadDeps;

/** Rows that changed are posted together at most this often: a 200-step run is a few dozen messages, not 200. */
const FLUSH_MS = 80;

export class RunPanel implements vscode.Disposable {
  private ready = false;
  /** The last whole state (`run` or `error`), resent on every `ready`; row updates are folded into it. */
  private last: RunHostMessage;
  private tracker: RunTracker | undefined;
  private current: RunLoad | undefined;
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
    this.setState({ type: 'loading', runId: this.runId });
    const load = new RunLoad(this.runId, this.deps, {
      onRun: (tracker) => {
        if (this.current === load) {
          this.tracker = tracker;
          this.setState({ type: 'run', model: snapshot(tracker) });
        }
      },
      onRows: (indices) => {
        if (this.current === load && !this.disposed) {
          for (const i of indices) {
            this.dirty.add(i);
          }
          this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
        }
      },
      onError: (message) => {
        if (this.current === load) {
          this.setState({ type: 'error', message });
        }
      },
    });
    this.current = load;
    await load.start();
  }

  /**
   * The run model once every trace has come and the steps are priced (the panel's latest load);
   * undefined when the run could not be read or the panel closed first.
   */
  async settled(): Promise<RunModel | undefined> {
    for (;;) {
      const load = this.current;
      const tracker = await load?.settled;
      // A refresh meanwhile replaced the load: wait for the new one.
      if (tracker || this.disposed || this.current === load) {
        return tracker ? snapshot(tracker) : undefined;
      }
    }
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
          this.current?.prioritise([stepId]);
          await handlePageRequest(this.deps.log, `Run view: opening ${stepId}`, async () => {
            await vscode.commands.executeCommand('letta.openStepTrace', stepId);
          });
        }
        return;
      case 'copy':
        await copyFromPage(message);
        return;
      case 'copyMarkdown':
        await vscode.commands.executeCommand('letta.copyRunAsMarkdown', this.runId);
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
    this.current?.cancel();
    this.current = undefined;
    this.tracker = undefined;
    this.dirty.clear();
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  /** Loads still waiting or in flight (for tests: zero once the panel is closed). */
  get loading(): number {
    return this.current?.loading ?? 0;
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

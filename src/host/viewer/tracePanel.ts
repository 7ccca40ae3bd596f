/**
 * One trace viewer panel: its HTML shell, the messages it is sent, and what it asks the host to do.
 * Trace text never goes into the HTML; it is posted after the webview says `ready`.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import type { LoadedTrace } from '../../core/lettaTypes';
import { shortStepId } from '../../core/stepIds';
import type { HostMessage, TraceAction, WebviewMessage } from '../../shared/protocol';
import { traceHtml } from '../../core/viewer/traceHtml';
import type { TraceStore } from '../contracts';
import type { StepContextLater } from '../../core/context/stepContext';
import { buildTraceData, isOpenableUrl } from '../../core/viewer/tracePayload';
import { firstPost } from '../../core/viewer/tracePaging';
import { answerRequest, holdTrace, isTraceRequest, type HeldTrace, type TraceRequest } from '../../core/viewer/traceRequests';
import { curlCommand } from '../../core/curlCommand';
import { normalizeBaseUrl } from '../../core/baseUrl';
import { readSettings } from '../settings';

export interface TracePanelDeps {
  log: vscode.LogOutputChannel;
  store: TraceStore;
  /** The context window and cost of a step, counted off the extension host's thread. */
  context: (trace: LoadedTrace) => Promise<StepContextLater>;
}

const ACTION_COMMANDS: Partial<Record<TraceAction, string>> = {
  openDocuments: 'letta.openTraceDocuments',
  save: 'letta.saveTraceAs',
  compare: 'letta.compareWith',
};

/** One open panel and the trace it shows. */
export class TracePanel implements vscode.Disposable {
  private ready = false;
  private trace: LoadedTrace | undefined;
  /** The whole of what the page may ask for, kept here: only what the screen needs is posted. */
  private held: HeldTrace | undefined;
  /** When the panel was created and when the shown trace was posted, for the timing log. */
  private readonly createdAt = Date.now();
  private postedAt = 0;
  /** The messages of the last state sent, resent on every `ready`: a hidden webview is reloaded when shown again. */
  private last: HostMessage[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    readonly stepId: string,
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly deps: TracePanelDeps,
    onDispose: () => void,
  ) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.title = shortStepId(stepId);
    panel.webview.html = this.html();
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((m: WebviewMessage) => void this.receive(m)),
      panel.onDidDispose(() => {
        onDispose();
        this.dispose();
      }),
    );
  }

  /** Whether a trace (or an error) was ever shown here; an early panel is closed if not. */
  get shown(): boolean {
    return this.last.length > 0;
  }

  show(trace: LoadedTrace): void {
    this.trace = trace;
    const started = Date.now();
    const data = buildTraceData(trace, { raw: false });
    const normalised = Date.now();
    this.held = holdTrace(trace, data.conversation.messages);
    const first: HostMessage = { type: 'trace', data: firstPost(data) };
    const text = JSON.stringify(first);
    this.deps.log.debug(
      `Trace viewer: ${trace.stepId} normalised in ${normalised - started} ms, first post ${text.length} characters (${data.conversation.messages.length} messages, ${first.data.omitted?.count ?? 0} on request) built in ${Date.now() - normalised} ms; panel created ${started - this.createdAt} ms before.`,
    );
    this.postedAt = Date.now();
    this.post(first);
    // Counted in a worker: the trace shows at once, the context window and cost follow.
    void this.deps.context(trace).then(
      (context) => {
        if (this.trace === trace) {
          const message: HostMessage = { type: 'context', stepId: trace.stepId, context };
          this.last.push(message);
          if (this.ready) {
            this.send([message]);
          }
        }
      },
      (e: unknown) => this.deps.log.warn(`Trace viewer: no context window for ${trace.stepId}: ${errorMessage(e)}`),
    );
  }

  showError(message: string): void {
    this.post({ type: 'error', message });
  }

  /** Replaces the shown state: only the latest matters, the webview shows one at a time. */
  private post(...messages: HostMessage[]): void {
    this.last = messages;
    if (this.ready) {
      this.send(messages);
    }
  }

  private send(messages: HostMessage[]): void {
    for (const message of messages) {
      void this.panel.webview.postMessage(message);
    }
  }

  private async receive(message: WebviewMessage): Promise<void> {
    switch (message?.type) {
      case 'ready': {
        this.ready = true;
        this.deps.log.debug(`Trace viewer: ${this.stepId} webview ready ${Date.now() - this.createdAt} ms after the panel was created.`);
        this.send(this.last.length > 0 ? this.last : [{ type: 'loading' }]);
        return;
      }
      case 'copy':
        if (typeof message.text === 'string') {
          await vscode.env.clipboard.writeText(message.text);
          vscode.window.setStatusBarMessage(vscode.l10n.t('{0} copied', String(message.label || 'Text')), 3000);
        }
        return;
      case 'openLink':
        if (typeof message.url === 'string' && isOpenableUrl(message.url)) {
          await vscode.env.openExternal(vscode.Uri.parse(message.url, true));
        } else {
          this.deps.log.warn('The trace viewer refused to open a link that is not http or https.');
        }
        return;
      case 'action':
        await this.runAction(message.action);
        return;
      case 'requestMessages':
      case 'rawNode':
      case 'rawString':
      case 'rawSearch':
      case 'copyRaw':
        if (isTraceRequest(message)) {
          await this.answer(message);
        }
        return;
      case 'painted':
        this.deps.log.debug(`Trace viewer: ${this.stepId} first screen painted ${Date.now() - this.postedAt} ms after the first post (${Number(message.ms)} ms in the page).`);
        return;
      default:
        this.deps.log.warn(`The trace viewer sent an unknown message: ${String((message as { type?: unknown })?.type)}`);
    }
  }

  /** Answers the page's requests for what the first post left in the host. */
  private async answer(message: TraceRequest): Promise<void> {
    if (!this.held) {
      return;
    }
    const started = Date.now();
    const { post, copy } = answerRequest(this.held, message);
    if (message.type === 'rawSearch') {
      this.deps.log.debug(`Trace viewer: raw search in ${Date.now() - started} ms.`);
    }
    if (post) {
      this.send([post]);
    }
    if (copy !== undefined && message.type === 'copyRaw') {
      await vscode.env.clipboard.writeText(copy);
      vscode.window.setStatusBarMessage(vscode.l10n.t('{0} copied', String(message.label || 'Value')), 3000);
    }
  }

  private async runAction(action: TraceAction): Promise<void> {
    try {
      if (action === 'refresh') {
        this.post({ type: 'loading' });
        const fresh = await this.deps.store.load(this.stepId, { refresh: true });
        if (fresh) {
          this.show(fresh);
        } else if (this.trace) {
          // The store already told the user why; keep showing what we had.
          this.show(this.trace);
        } else {
          this.showError(vscode.l10n.t('The trace could not be loaded. Check the notification, then refresh to try again.'));
        }
        return;
      }
      if (action === 'copyCurl') {
        const origin = this.trace?.source.kind === 'server' ? this.trace.source.origin : undefined;
        if (!origin) {
          void vscode.window.showInformationMessage(vscode.l10n.t('This trace was read from a file, so there is no server to fetch it from.'));
          return;
        }
        // The configured server's full address (a path prefix) and project, when the trace is from it.
        const settings = readSettings();
        const base = normalizeBaseUrl(settings.baseUrl);
        const current = base.ok && base.origin === origin;
        await vscode.env.clipboard.writeText(curlCommand({ baseUrl: current ? base.apiBase : origin, stepId: this.stepId, project: current ? settings.project : undefined }));
        vscode.window.setStatusBarMessage(vscode.l10n.t('cURL command copied (it reads the key from $LETTA_API_KEY)'), 4000);
        return;
      }
      const command = ACTION_COMMANDS[action];
      if (command) {
        await vscode.commands.executeCommand(command, this.stepId);
      } else {
        this.deps.log.warn(`The trace viewer asked for an unknown action: ${String(action)}`);
      }
    } catch (e) {
      const text = errorMessage(e);
      this.deps.log.error(`Trace viewer action ${action} failed: ${text}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('That did not work: {0}', text), vscode.l10n.t('Show Log')).then((choice) => {
        if (choice) {
          this.deps.log.show();
        }
      });
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const asset = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(dist, ...parts)).toString();
    return traceHtml({
      cspSource: webview.cspSource,
      // Web Crypto, not a top-level `node:crypto` import: its first require costs ~8 ms of activation.
      nonce: Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('base64'),
      scriptUri: asset('webview.js'),
      styleUri: asset('webview.css'),
      codiconsUri: asset('codicons', 'codicon.css'),
      stepId: this.stepId,
    });
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) {
      d.dispose();
    }
  }
}

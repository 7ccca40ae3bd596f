/**
 * The trace viewer: one webview panel per step, restored after a reload by a serializer that keeps
 * only the step ID. Trace text never goes into the HTML; it is posted after the webview says `ready`.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../core/errorMessage';
import type { LoadedTrace } from '../core/lettaTypes';
import { shortStepId } from '../core/stepIds';
import { TRACE_VIEW_TYPE, type HostMessage, type TraceAction, type TraceViewState, type WebviewMessage } from '../shared/protocol';
import { traceHtml } from './tracePanelHtml';
import type { TracePanels, TraceStore } from './contracts';
import { buildTraceData, curlCommand, isOpenableUrl, splitTraceData } from './tracePanelPayload';

export interface TracePanelDeps {
  log: vscode.LogOutputChannel;
  store: TraceStore;
}

const ACTION_COMMANDS: Partial<Record<TraceAction, string>> = {
  openDocuments: 'letta.openTraceDocuments',
  save: 'letta.saveTraceAs',
  compare: 'letta.compareWith',
};

/** One open panel and the trace it shows. */
class TracePanel implements vscode.Disposable {
  private ready = false;
  private trace: LoadedTrace | undefined;
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

  show(trace: LoadedTrace): void {
    this.trace = trace;
    const started = Date.now();
    const messages = splitTraceData(buildTraceData(trace));
    this.deps.log.trace(`Trace viewer: ${trace.stepId} prepared in ${Date.now() - started} ms, ${messages.length} message(s).`);
    this.post(...messages);
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
      default:
        this.deps.log.warn(`The trace viewer sent an unknown message: ${String((message as { type?: unknown })?.type)}`);
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
        await vscode.env.clipboard.writeText(curlCommand(origin, this.stepId));
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

function isViewState(value: unknown): value is TraceViewState {
  return typeof value === 'object' && value !== null && typeof (value as TraceViewState).stepId === 'string';
}

/** Registers the viewer and its serializer; `show` opens or reveals the panel of a step. */
export function registerTracePanels(context: vscode.ExtensionContext, deps: TracePanelDeps): TracePanels {
  const panels = new Map<string, TracePanel>();

  const adopt = (stepId: string, panel: vscode.WebviewPanel): TracePanel => {
    const open = new TracePanel(stepId, panel, context.extensionUri, deps, () => {
      if (panels.get(stepId) === open) {
        panels.delete(stepId);
      }
    });
    panels.set(stepId, open);
    return open;
  };

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(TRACE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        if (!isViewState(state)) {
          deps.log.warn('A trace viewer could not be restored: it did not record its step.');
          panel.dispose();
          return;
        }
        const stepId = state.stepId;
        const existing = panels.get(stepId);
        if (existing) {
          // Two restored panels for one step: keep one.
          panel.dispose();
          existing.panel.reveal();
          return;
        }
        const open = adopt(stepId, panel);
        const cached = deps.store.peek(stepId);
        if (cached) {
          open.show(cached);
          return;
        }
        const loaded = await deps.store.load(stepId);
        if (loaded) {
          open.show(loaded);
        } else {
          open.showError(vscode.l10n.t('This trace is not loaded. Refresh to fetch it again.'));
        }
      },
    }),
    {
      dispose: () => {
        for (const p of [...panels.values()]) {
          p.panel.dispose();
        }
      },
    },
  );

  return {
    show(trace: LoadedTrace): void {
      const existing = panels.get(trace.stepId);
      if (existing) {
        existing.show(trace);
        existing.panel.reveal();
        return;
      }
      const panel = vscode.window.createWebviewPanel(TRACE_VIEW_TYPE, shortStepId(trace.stepId), vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')],
        // Kept alive while hidden: switching tabs keeps every expanded node and scroll offset, and a
        // 50 MB trace is not posted and rendered again. A reload still restores from `ready` and state.
        retainContextWhenHidden: true,
        // Ctrl+F over the conversation; the Raw JSON tab has its own search over the whole tree.
        enableFindWidget: true,
      });
      adopt(trace.stepId, panel).show(trace);
    },
  };
}

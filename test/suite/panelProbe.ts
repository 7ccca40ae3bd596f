/**
 * Watches the trace panels the extension creates, through the real `createWebviewPanel`: what HTML
 * each gets, what the host posts to it, and a way to deliver a message as its webview would.
 * The real webview (rendered by the browser that runs the workbench) still says `ready` itself.
 */
import * as vscode from 'vscode';
import type { HostMessage, WebviewMessage } from '../../src/shared/protocol';

export interface PanelProbe {
  readonly panel: vscode.WebviewPanel;
  readonly viewType: string;
  /** Every message the host posted to this panel's webview, in order. */
  readonly posted: HostMessage[];
  /** Every message this panel's webview sent the host, the real ones and the delivered ones. */
  readonly received: WebviewMessage[];
  html(): string;
  /** Hands `message` to the extension as if the webview had posted it. */
  deliver(message: WebviewMessage): Promise<void>;
}

type Listener = (message: WebviewMessage) => unknown;

/** Methods of the proxied objects run on the real ones: VS Code's classes keep private fields. */
function bound<T extends object>(target: T, key: string | symbol): unknown {
  const value: unknown = Reflect.get(target, key, target);
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
}

function probeOf(panel: vscode.WebviewPanel, viewType: string): { probe: PanelProbe; proxy: vscode.WebviewPanel } {
  const posted: HostMessage[] = [];
  const received: WebviewMessage[] = [];
  const listeners: Listener[] = [];
  const realWebview = panel.webview;
  realWebview.onDidReceiveMessage((m: WebviewMessage) => received.push(m));
  const webview = new Proxy(realWebview, {
    get(target, key) {
      if (key === 'postMessage') {
        return (message: HostMessage) => {
          posted.push(message);
          return target.postMessage(message);
        };
      }
      if (key === 'onDidReceiveMessage') {
        return (listener: Listener, thisArg?: unknown, disposables?: vscode.Disposable[]) => {
          const wrapped: Listener = (m) => listener.call(thisArg, m);
          listeners.push(wrapped);
          const real = target.onDidReceiveMessage(wrapped, undefined, disposables);
          return new vscode.Disposable(() => {
            listeners.splice(listeners.indexOf(wrapped), 1);
            real.dispose();
          });
        };
      }
      return bound(target, key);
    },
    set: (target, key, value) => Reflect.set(target, key, value, target),
  });
  const proxy = new Proxy(panel, {
    get: (target, key) => (key === 'webview' ? webview : bound(target, key)),
    set: (target, key, value) => Reflect.set(target, key, value, target),
  });
  const probe: PanelProbe = {
    panel,
    viewType,
    posted,
    received,
    html: () => realWebview.html,
    async deliver(message) {
      received.push(message);
      await Promise.all(listeners.map((l) => l(message)));
    },
  };
  return { probe, proxy };
}

/** Records the webview panels created from now until `restore()`. */
export function probePanels(): { panels: PanelProbe[]; restore(): void } {
  const window = vscode.window as unknown as { createWebviewPanel: typeof vscode.window.createWebviewPanel };
  const original = window.createWebviewPanel;
  const panels: PanelProbe[] = [];
  window.createWebviewPanel = ((viewType: string, ...rest: unknown[]) => {
    const real = (original as (...a: unknown[]) => vscode.WebviewPanel).call(vscode.window, viewType, ...rest);
    const { probe, proxy } = probeOf(real, viewType);
    panels.push(probe);
    return proxy;
  });
  return {
    panels,
    restore() {
      window.createWebviewPanel = original;
    },
  };
}

/** The tabs showing a trace viewer, by label. */
export function traceViewerTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('letta.trace'));
}

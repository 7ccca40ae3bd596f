/** What a webview page's HTML shell needs from the host: its CSP source, a fresh nonce, its bundle's URIs, and the translations. */
import * as vscode from 'vscode';
import type { WebviewShellOptions } from '../../core/viewer/webviewHtml';

export type WebviewShellAssets = WebviewShellOptions;

/** For the app bundled as `dist/<app>.js` + `dist/<app>.css` (the trace viewer is `webview`, the run view `run`). */
export function webviewShellAssets(webview: vscode.Webview, extensionUri: vscode.Uri, app: string): WebviewShellAssets {
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const asset = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(dist, ...parts)).toString();
  return {
    cspSource: webview.cspSource,
    // Web Crypto, not a top-level `node:crypto` import: its first require costs ~8 ms of activation.
    nonce: Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('base64'),
    scriptUri: asset(`${app}.js`),
    styleUri: asset(`${app}.css`),
    codiconsUri: asset('codicons', 'codicon.css'),
    // The page's words come from the same bundle as the host's (the page configures its own @vscode/l10n).
    l10n: vscode.l10n.bundle,
    lang: vscode.env.language,
  };
}

/**
 * The HTML shell every webview app of the extension gets (the trace viewer, the run view): a strict
 * CSP with a per-page nonce, the codicon font, the app's script and style, and one small state
 * object in `data-state`, and the translations of the page's words in `data-l10n` (read before
 * the page renders, see src/webview/l10n.ts). No trace text goes in: data arrives by `postMessage`
 * after `ready`. No `vscode` import, so the Chromium tests load exactly this page.
 */
import type { L10nContents } from '../localization';

/** What every page's shell takes from the host (see src/host/viewer/webviewShell.ts). */
export interface WebviewShellOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Random, base64; a new one per page. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
  /** `vscode.l10n.bundle`: the translations, none for English. */
  l10n?: L10nContents;
  /** `vscode.env.language`, e.g. `en`, `de`, `zh-cn`. */
  lang?: string;
}

export interface WebviewHtmlOptions extends WebviewShellOptions {
  title: string;
  /** What the page records for the serializer before any message (validated IDs only). */
  state: unknown;
}

export function webviewHtml(o: WebviewHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `style-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
    `img-src ${o.cspSource} data:`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(o.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${escapeHtml(o.codiconsUri)}" rel="stylesheet">
<link href="${escapeHtml(o.styleUri)}" rel="stylesheet">
<title>${escapeHtml(o.title)}</title>
</head>
<body data-state="${escapeHtml(JSON.stringify(o.state))}" data-l10n="${escapeHtml(JSON.stringify(o.l10n ?? {}))}">
<div id="app" role="main"></div>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

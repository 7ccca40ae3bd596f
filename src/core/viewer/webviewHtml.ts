/**
 * The HTML shell every webview app of the extension gets (the trace viewer, the run view): a strict
 * CSP with a per-page nonce, the codicon font, the app's script and style, and one small state
 * object in `data-state`. No trace text goes in: data arrives by `postMessage` after `ready`.
 * No `vscode` import, so the Chromium tests load exactly this page.
 */

export interface WebviewHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Random, base64; a new one per page. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
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
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${escapeHtml(o.codiconsUri)}" rel="stylesheet">
<link href="${escapeHtml(o.styleUri)}" rel="stylesheet">
<title>${escapeHtml(o.title)}</title>
</head>
<body data-state="${escapeHtml(JSON.stringify(o.state))}">
<div id="app" role="main"></div>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The trace viewer's HTML shell. No trace text goes in: the data arrives by `postMessage` after the
 * webview says `ready`. No `vscode` import, so the Chromium tests load exactly this page.
 */
import { shortStepId } from '../stepIds';
import type { TraceViewState } from '../../shared/protocol';

export interface TraceHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Random, base64; a new one per page. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
  stepId: string;
}

export function traceHtml(o: TraceHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `style-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
    `img-src ${o.cspSource} data:`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  const state: TraceViewState = { stepId: o.stepId };
  // The step ID is the page's only data (so a new panel can record it for the serializer before any
  // message); it is a validated ID, and escaped anyway.
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${escapeHtml(o.codiconsUri)}" rel="stylesheet">
<link href="${escapeHtml(o.styleUri)}" rel="stylesheet">
<title>${escapeHtml(shortStepId(o.stepId))}</title>
</head>
<body data-state="${escapeHtml(JSON.stringify(state))}">
<div id="app" role="main"></div>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

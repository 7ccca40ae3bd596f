/**
 * The page's words come from the host's translation bundle: the HTML shell carries its contents in
 * `data-l10n` (see src/core/viewer/webviewHtml.ts), and this configures the page's copy of
 * `@vscode/l10n` with them. Imported first by each app's main.ts, so it runs before anything
 * renders; no module reads a word at load time. English needs nothing (`{}`).
 */
import * as l10n from '@vscode/l10n';

function pageBundle(): Record<string, string> {
  try {
    const value: unknown = JSON.parse(document.body.dataset.l10n ?? '{}');
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}

const contents = pageBundle();
if (Object.keys(contents).length > 0) {
  l10n.config({ contents });
}

/**
 * A translated sentence with elements inside: `l10n.t('Memory block {0} changed', '{0}')` keeps
 * the placeholder, and this puts `nodes[0]` there, so a translation may move it.
 */
export function withNodes(sentence: string, ...nodes: Node[]): (Node | string)[] {
  return sentence.split(/\{(\d+)\}/).map((piece, i) => (i % 2 === 1 ? (nodes[Number(piece)] ?? `{${piece}}`) : piece)).filter((p) => p !== '');
}

/**
 * The Raw JSON tab: the request, response and metadata as a tree, with expand/collapse all. It has
 * no search of its own: its bar's search button opens the viewer's one find (findBar.ts), which
 * searches the whole trace and shows each match in this tree.
 */
import * as l10n from '@vscode/l10n';
import { groupDigits } from '../core/conversation/format';
import { errorMessage } from '../core/errorMessage';
import { h, icon, iconButton, textBlock } from './dom';
import { EXPAND_ALL_ROWS, JsonTree } from './jsonTree';
import { parseJsonInSlices } from './jsonChunkedParse';
import { yieldToBrowser } from './scheduler';
import type { RawSource } from './hostRequests';

/** Up to this size the raw text is parsed in one go (about 30 ms); above it, in slices. */
const SYNC_PARSE_CHARS = 2_000_000;

export interface RawRoots {
  request: unknown;
  response: unknown;
  metadata: unknown;
}

function toRoots(parsed: Partial<RawRoots> | null): RawRoots {
  return { request: parsed?.request ?? null, response: parsed?.response ?? null, metadata: parsed?.metadata ?? null };
}

/** Parses the raw JSON text; a parse failure shows the text itself, so nothing is hidden. */
export function parseRaw(raw: string): { roots?: RawRoots; error?: string } {
  try {
    return { roots: toRoots(JSON.parse(raw) as Partial<RawRoots> | null) };
  } catch (e) {
    return { error: errorMessage(e) };
  }
}

/** What a Raw JSON tab was built from: its tree, and the roots when the page parsed them itself. */
export interface RawBuilt {
  tree?: JsonTree;
  roots?: RawRoots;
}

/**
 * Builds the Raw JSON tab; a big text is parsed in slices behind a progress line, so the page never
 * freezes. Resolves once the tree is there (without one, or roots, if the text is not JSON).
 */
export function renderRaw(root: HTMLElement, raw: string, openFind: () => void): Promise<RawBuilt> {
  if (raw.length <= SYNC_PARSE_CHARS) {
    return Promise.resolve(buildRaw(root, raw, parseRaw(raw), openFind));
  }
  const status = h('span', null, l10n.t('Reading the raw JSON…'));
  const placeholder = h('div', { class: 'placeholder', role: 'status', 'data-part': 'raw-progress' }, icon('loading codicon-modifier-spin'), status);
  root.append(placeholder);
  return parseJsonInSlices(raw, yieldToBrowser, (fraction) => {
    status.textContent = l10n.t('Reading the raw JSON… {0}%', Math.floor(fraction * 100));
  }).then(
    (value) => {
      placeholder.remove();
      return buildRaw(root, raw, { roots: toRoots(value as Partial<RawRoots> | null) }, openFind);
    },
    (e: unknown) => {
      placeholder.remove();
      return buildRaw(root, raw, { error: errorMessage(e) }, openFind);
    },
  );
}

/**
 * Builds the Raw JSON tab from the host, which keeps the JSON: the three roots one level deep
 * first, then each node as it is expanded (the find runs in the host over the whole trace).
 */
export function renderLazyRaw(root: HTMLElement, source: RawSource, openFind: () => void): Promise<JsonTree | undefined> {
  const placeholder = h('div', { class: 'placeholder', role: 'status', 'data-part': 'raw-progress' }, icon('loading codicon-modifier-spin'), h('span', null, l10n.t('Loading the raw JSON…')));
  root.append(placeholder);
  const keys = ['request', 'response', 'metadata'] as const;
  return Promise.all(keys.map((key) => source.node([key]))).then((answers) => {
    placeholder.remove();
    const failed = answers.find((a) => a.error !== undefined);
    if (failed) {
      root.append(h('div', { class: 'banner banner-error' }, icon('error'), h('div', null, l10n.t('The raw JSON could not be read: {0}', failed.error ?? ''))));
      return undefined;
    }
    const tree = new JsonTree(
      keys.map((key, i) => ({ key, value: answers[i].value ?? null })),
      source,
    );
    buildBar(root, tree, openFind);
    return tree;
  });
}

function buildRaw(root: HTMLElement, raw: string, { roots, error }: { roots?: RawRoots; error?: string }, openFind: () => void): RawBuilt {
  if (!roots) {
    root.append(h('div', { class: 'banner banner-error' }, icon('error'), h('div', null, l10n.t('The raw JSON could not be read: {0}', error ?? ''))), textBlock(raw, 'code'));
    return {};
  }
  const tree = new JsonTree([
    { key: 'request', value: roots.request },
    { key: 'response', value: roots.response },
    { key: 'metadata', value: roots.metadata },
  ]);
  buildBar(root, tree, openFind);
  return { tree, roots };
}

/** The bar over the tree (the button to the viewer's find, expand/collapse all), and the tree under it. */
function buildBar(root: HTMLElement, tree: JsonTree, openFind: () => void): void {
  const note = h('span', { class: 'muted raw-note', 'aria-live': 'polite' });
  const bar = h(
    'div',
    { class: 'raw-bar' },
    // The one find: it searches keys and values of the whole trace, and shows each match here.
    iconButton('search', l10n.t('Find in the trace (Ctrl+F)'), openFind, 'raw-find'),
    h('span', { class: 'spacer' }),
    iconButton('expand-all', l10n.t('Expand all (up to {0} rows)', groupDigits(EXPAND_ALL_ROWS)), () => {
      void tree.expandAll().then((stopped) => {
        note.textContent = stopped ? l10n.t('Expanded the first {0} rows; expand deeper nodes one by one.', groupDigits(EXPAND_ALL_ROWS)) : '';
      });
    }, 'expand-all'),
    iconButton('collapse-all', l10n.t('Collapse all'), () => {
      tree.collapseAll();
      note.textContent = '';
    }, 'collapse-all'),
  );
  root.append(bar, note, tree.hint, tree.element);
}

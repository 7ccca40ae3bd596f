/** The Raw JSON tab: the request, response and metadata as a tree, with search and expand/collapse all. */
import { groupDigits } from '../core/conversation/format';
import { errorMessage } from '../core/errorMessage';
import { h, icon, iconButton, textBlock } from './dom';
import { EXPAND_ALL_ROWS, JsonTree } from './jsonTree';
import { MAX_MATCHES, searchJson, type SearchMatch } from './jsonSearch';
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

/** Builds the Raw JSON tab; a big text is parsed in slices behind a progress line, so the page never freezes. */
export function renderRaw(root: HTMLElement, raw: string): void {
  if (raw.length <= SYNC_PARSE_CHARS) {
    buildRaw(root, raw, parseRaw(raw));
    return;
  }
  const status = h('span', null, 'Reading the raw JSON…');
  const placeholder = h('div', { class: 'placeholder', role: 'status', 'data-part': 'raw-progress' }, icon('loading codicon-modifier-spin'), status);
  root.append(placeholder);
  parseJsonInSlices(raw, yieldToBrowser, (fraction) => {
    status.textContent = `Reading the raw JSON… ${Math.floor(fraction * 100)}%`;
  }).then(
    (value) => {
      placeholder.remove();
      buildRaw(root, raw, { roots: toRoots(value as Partial<RawRoots> | null) });
    },
    (e: unknown) => {
      placeholder.remove();
      buildRaw(root, raw, { error: errorMessage(e) });
    },
  );
}

/**
 * Builds the Raw JSON tab from the host, which keeps the JSON: the three roots one level deep
 * first, then each node as it is expanded; search runs in the host over the whole trace.
 */
export function renderLazyRaw(root: HTMLElement, source: RawSource): Promise<JsonTree | undefined> {
  const placeholder = h('div', { class: 'placeholder', role: 'status', 'data-part': 'raw-progress' }, icon('loading codicon-modifier-spin'), h('span', null, 'Loading the raw JSON…'));
  root.append(placeholder);
  const keys = ['request', 'response', 'metadata'] as const;
  return Promise.all(keys.map((key) => source.node([key]))).then((answers) => {
    placeholder.remove();
    const failed = answers.find((a) => a.error !== undefined);
    if (failed) {
      root.append(h('div', { class: 'banner banner-error' }, icon('error'), h('div', null, `The raw JSON could not be read: ${failed.error ?? ''}`)));
      return undefined;
    }
    const entries = keys.map((key, i) => ({ key, value: answers[i].value ?? null }));
    const tree = new JsonTree(entries, source);
    buildBar(root, tree, (query, onProgress) => {
      onProgress({ matches: [], done: false, capped: false });
      return source.search(query).then((result) => ({ matches: result.paths.map((path) => ({ path, inKey: false })), done: true, capped: result.capped }));
    });
    return tree;
  });
}

type Search = (query: string, onProgress: (progress: { matches: SearchMatch[]; done: boolean; capped: boolean }) => void, isCancelled: () => boolean) => Promise<{ matches: SearchMatch[]; done: boolean; capped: boolean } | void>;

function buildRaw(root: HTMLElement, raw: string, { roots, error }: { roots?: RawRoots; error?: string }): void {
  if (!roots) {
    root.append(h('div', { class: 'banner banner-error' }, icon('error'), h('div', null, `The raw JSON could not be read: ${error ?? ''}`)), textBlock(raw, 'code'));
    return;
  }
  const entries = [
    { key: 'request', value: roots.request },
    { key: 'response', value: roots.response },
    { key: 'metadata', value: roots.metadata },
  ];
  const tree = new JsonTree(entries);
  buildBar(root, tree, (query, onProgress, isCancelled) => searchJson(entries, query, onProgress, isCancelled));
}

/** The search bar, expand/collapse all, and the tree under them. */
function buildBar(root: HTMLElement, tree: JsonTree, search: Search): void {

  const input = h('input', { type: 'search', class: 'search-input', placeholder: 'Search keys and values', 'aria-label': 'Search the raw JSON', spellcheck: 'false' });
  const count = h('span', { class: 'search-count muted', 'aria-live': 'polite', 'data-part': 'search-count' });
  const note = h('span', { class: 'muted raw-note', 'aria-live': 'polite' });
  let matches: SearchMatch[] = [];
  let index = -1;
  let generation = 0;
  let query = '';

  const showCount = (done: boolean, capped: boolean) => {
    if (query === '') {
      count.textContent = '';
      return;
    }
    const total = `${groupDigits(matches.length)}${capped ? '+' : ''}`;
    const position = index >= 0 ? `${groupDigits(index + 1)} of ${total}` : `${total} match${matches.length === 1 ? '' : 'es'}`;
    count.textContent = matches.length === 0 && done ? 'No matches' : `${position}${done ? '' : '…'}`;
    count.dataset.total = String(matches.length);
    count.dataset.done = String(done);
  };

  const go = (delta: number) => {
    if (matches.length === 0) {
      return;
    }
    index = (index + delta + matches.length) % matches.length;
    void tree.reveal(matches[index].path, query);
    showCount(count.dataset.done === 'true', matches.length >= MAX_MATCHES);
  };

  const run = () => {
    const mine = ++generation;
    query = input.value;
    matches = [];
    index = -1;
    if (query === '') {
      showCount(true, false);
      return;
    }
    const onProgress = (progress: { matches: SearchMatch[]; done: boolean; capped: boolean }) => {
      if (mine !== generation) {
        return;
      }
      matches = progress.matches;
      if (index < 0 && matches.length > 0) {
        index = 0;
        void tree.reveal(matches[0].path, query);
      }
      showCount(progress.done, progress.capped);
    };
    void search(query, onProgress, () => mine !== generation).then((last) => {
      if (last) {
        onProgress(last);
      }
    });
  };

  let debounce: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(run, 150);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      clearTimeout(debounce);
      if (input.value !== query) {
        run();
      } else {
        go(ev.shiftKey ? -1 : 1);
      }
    } else if (ev.key === 'Escape') {
      input.value = '';
      run();
    }
  });

  const bar = h(
    'div',
    { class: 'raw-bar', role: 'search' },
    icon('search'),
    input,
    count,
    iconButton('arrow-up', 'Previous match (Shift+Enter)', () => go(-1), 'search-prev'),
    iconButton('arrow-down', 'Next match (Enter)', () => go(1), 'search-next'),
    h('span', { class: 'spacer' }),
    iconButton('expand-all', `Expand all (up to ${groupDigits(EXPAND_ALL_ROWS)} rows)`, () => {
      void tree.expandAll().then((stopped) => {
        note.textContent = stopped ? `Expanded the first ${groupDigits(EXPAND_ALL_ROWS)} rows; expand deeper nodes one by one.` : '';
      });
    }, 'expand-all'),
    iconButton('collapse-all', 'Collapse all', () => {
      tree.collapseAll();
      note.textContent = '';
    }, 'collapse-all'),
  );
  root.append(bar, note, tree.element);
}

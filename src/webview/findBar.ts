/**
 * The viewer's find (issue 18): a field in the toolbar row that searches the whole trace in the
 * extension host (the page holds only what was posted, issue 19), with match-case, whole-word and
 * regular-expression toggles, "3 of 10,000", and Enter / Shift+Enter to step through the matches.
 * The host posts the first match at once and the count as it grows; each other match is asked for
 * when stepped to, and `reveal` expands, fetches and highlights it.
 */
import * as l10n from '@vscode/l10n';
import { groupDigits } from '../core/conversation/format';
import type { FindMatch, FindOptions, HostMessage, WebviewMessage } from '../shared/protocol';
import { post } from './bridge';
import { h, icon, iconButton } from './dom';

type FindResultMessage = Extract<HostMessage, { type: 'findResult' }>;
type FindMatchMessage = Extract<HostMessage, { type: 'findMatch' }>;
type FindRequest = Extract<WebviewMessage, { type: 'find' | 'findMatch' | 'findPrepare' }>;

export interface FindBar {
  element: HTMLElement;
  /** Whether the focus is in the find field. */
  hasFocus(): boolean;
  /** Puts the caret in the field, its text selected (Ctrl/Cmd+F). */
  focus(): void;
  onResult(message: FindResultMessage): void;
  onMatch(message: FindMatchMessage): void;
}

/** Ids of finds across traces, so an answer for an older trace's find is never taken for a newer one's. */
let nextFindId = 1;

/** The toggles, in the page's language (made when used, after the bundle is configured). */
const findOptions = (): { key: keyof FindOptions; icon: string; label: string; accessKey: string }[] => [
  { key: 'caseSensitive', icon: 'case-sensitive', label: l10n.t('Match case'), accessKey: 'c' },
  { key: 'wholeWord', icon: 'whole-word', label: l10n.t('Match whole word'), accessKey: 'w' },
  { key: 'regex', icon: 'regex', label: l10n.t('Use regular expression'), accessKey: 'r' },
];

/**
 * `send` takes the bar's requests: the host by default; for a trace the page holds whole, the
 * same session run in the page (pageFind.ts), which answers through `onResult` and `onMatch` too.
 */
export function renderFindBar(stepId: string, reveal: (match: FindMatch) => Promise<void>, send: (message: FindRequest) => void = post): FindBar {
  const input = h('input', { type: 'text', class: 'find-input', placeholder: l10n.t('Find in the trace'), 'aria-label': l10n.t('Find in the trace (Ctrl+F)'), spellcheck: 'false', 'data-part': 'find-input' });
  const count = h('span', { class: 'find-count muted', 'aria-live': 'polite', 'data-part': 'find-count' });
  const error = h('span', { class: 'find-error', role: 'alert', 'data-part': 'find-error' });
  const options: FindOptions = {};
  let id = 0;
  let query = '';
  let total = 0;
  let done = true;
  let capped = false;
  /** How many matches can be stepped to (all but past the host's cap). */
  let kept = 0;
  let index = -1;
  /** The match index last asked for: an answer for an earlier step is not shown over it. */
  let wanted = -1;

  const show = () => {
    count.dataset.total = String(total);
    count.dataset.done = String(done);
    count.dataset.index = String(index);
    count.dataset.query = query;
    if (query === '' || error.textContent) {
      count.textContent = '';
      return;
    }
    const of = `${groupDigits(total)}${done ? '' : '…'}`;
    count.textContent = total === 0 ? (done ? l10n.t('No results') : l10n.t('Searching…')) : index >= 0 ? l10n.t('{0} of {1}', groupDigits(index + 1), of) : l10n.t('{0} results', of);
  };

  const run = () => {
    query = input.value;
    id = nextFindId++;
    total = 0;
    index = -1;
    wanted = -1;
    capped = false;
    error.textContent = '';
    done = query === '';
    // An empty query stops the host's search too (it answers an error this page ignores).
    send({ type: 'find', stepId, id, query, options: { ...options } });
    show();
  };

  const step = (delta: number) => {
    if (input.value !== query) {
      run();
      return;
    }
    if (total === 0) {
      return;
    }
    const n = capped ? Math.max(1, kept) : total;
    index = (index + delta + n) % n;
    wanted = index;
    send({ type: 'findMatch', stepId, id, index });
    show();
  };

  let debounce: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(run, 200);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      clearTimeout(debounce);
      step(ev.shiftKey ? -1 : 1);
    } else if (ev.key === 'Escape' && input.value !== '') {
      ev.preventDefault();
      input.value = '';
      run();
    } else if (ev.altKey && !ev.ctrlKey && !ev.metaKey) {
      // Alt+C / Alt+W / Alt+R, as in VS Code's own find widget.
      const option = findOptions().find((o) => ev.code === `Key${o.accessKey.toUpperCase()}`);
      if (option) {
        ev.preventDefault();
        toggles.get(option.key)?.click();
      }
    }
  });

  const toggles = new Map<keyof FindOptions, HTMLButtonElement>();
  for (const o of findOptions()) {
    const button = iconButton(o.icon, `${o.label} (Alt+${o.accessKey.toUpperCase()})`, () => {
      options[o.key] = !options[o.key];
      button.setAttribute('aria-pressed', String(options[o.key] === true));
      if (query !== '' || input.value !== '') {
        run();
      }
    }, `find-option find-${o.key}`);
    button.setAttribute('aria-pressed', 'false');
    toggles.set(o.key, button);
  }

  const element = h(
    'div',
    { class: 'find-bar', role: 'search', 'aria-label': l10n.t('Find in the trace'), 'data-part': 'find-bar' },
    icon('search'),
    input,
    ...toggles.values(),
    count,
    iconButton('arrow-up', l10n.t('Previous match (Shift+Enter)'), () => step(-1), 'find-prev'),
    iconButton('arrow-down', l10n.t('Next match (Enter)'), () => step(1), 'find-next'),
    error,
  );

  // The first focus tells the host a search is coming, so its index of the trace is ready by the first key.
  input.addEventListener('focus', () => send({ type: 'findPrepare', stepId }), { once: true });

  return {
    element,
    hasFocus: () => document.activeElement === input,
    focus: () => {
      input.focus();
      input.select();
    },
    onResult: (m) => {
      if (m.id !== id || query === '') {
        return;
      }
      if (m.error !== undefined) {
        error.textContent = String(m.error);
        done = true;
        total = 0;
        show();
        return;
      }
      total = Math.max(0, Number(m.total) || 0);
      done = m.done === true;
      capped = m.capped === true;
      kept = Number(m.kept) || total;
      if (m.first && index < 0) {
        index = 0;
        wanted = 0;
        void reveal(m.first);
      }
      count.title = capped ? l10n.t('Stepping goes through the first {0} matches', groupDigits(kept)) : '';
      show();
    },
    onMatch: (m) => {
      if (m.id !== id || m.index !== wanted) {
        return;
      }
      if (m.match) {
        void reveal(m.match);
      } else if (m.error) {
        count.title = String(m.error);
      }
    },
  };
}

/**
 * Ctrl/Cmd+F with the focus in the page goes to the viewer's find: it searches the whole trace,
 * while VS Code's find widget (`enableFindWidget`) sees only the text on the page, which leaves out
 * folded parts, bodies not built yet and everything the host has not sent. The widget stays for
 * on-page text: Ctrl/Cmd+F pressed again in the find field goes on to VS Code and opens it.
 * Captured on the window before VS Code's webview script forwards the key, so only one find opens.
 */
export function bindFindShortcut(target: () => FindBar | undefined): void {
  window.addEventListener(
    'keydown',
    (ev) => {
      const bar = target();
      if (bar && !bar.hasFocus() && (ev.ctrlKey || ev.metaKey) && !ev.altKey && !ev.shiftKey && ev.key.toLowerCase() === 'f') {
        ev.preventDefault();
        ev.stopImmediatePropagation();
        bar.focus();
      }
    },
    true,
  );
}

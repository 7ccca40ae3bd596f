/**
 * The trace viewer's page-wide keys: moving between messages and between tool calls of the
 * Conversation tab, and `?` for the shortcuts popover. Keys that VS Code does not take in a webview
 * (plain letters, Alt+↑/↓, Alt+Shift+↑/↓); none fires while typing in a field.
 */
import * as l10n from '@vscode/l10n';
import { isTyping, shortcutsHelp, type Shortcut } from './shortcutsHelp';

/** The viewer's keys, in the page's language (built when shown, after the bundle is configured). */
export const viewerShortcuts = (): Shortcut[] => [
  { keys: ['j', 'Alt+↓'], what: l10n.t('Next message') },
  { keys: ['k', 'Alt+↑'], what: l10n.t('Previous message') },
  { keys: ['t', 'Alt+Shift+↓'], what: l10n.t('Next tool call') },
  { keys: ['Shift+T', 'Alt+Shift+↑'], what: l10n.t('Previous tool call') },
  { keys: ['←', '→'], what: l10n.t('Switch between Conversation and Raw JSON (on the tabs)') },
  { keys: ['↑', '↓', 'Home', 'End'], what: l10n.t('Raw JSON tree: move between rows') },
  { keys: ['→', '←'], what: l10n.t('Raw JSON tree: expand or go to the first child; collapse or go to the parent') },
  { keys: ['Enter', 'Space'], what: l10n.t('Raw JSON tree: expand or collapse; "Show more" on a "more" row') },
  { keys: ['*'], what: l10n.t('Raw JSON tree: expand the row and its siblings') },
  { keys: ['C', 'Shift+C'], what: l10n.t('Raw JSON tree: copy the value; copy the JSON path') },
  { keys: ['D'], what: l10n.t('Raw JSON tree: decode the JSON in a string') },
  { keys: ['Ctrl+F'], what: l10n.t('Find in the trace (also the search button of the Raw JSON tab)') },
  { keys: ['Enter', 'Shift+Enter'], what: l10n.t('Find: next and previous match') },
  { keys: ['?'], what: l10n.t('Show or hide these shortcuts') },
];

type Kind = 'message' | 'tool';
const ITEMS: Record<Kind, string> = { message: 'article.msg', tool: '[data-part="tool-call"]' };
/** The left-out middle of a long conversation: moving onto it loads what it stands for. */
const GAP = '[data-part="gap"]';
/** How long a move onto a gap waits for the messages it asked for. */
const GAP_WAIT_MS = 15_000;

function panel(): HTMLElement | null {
  return document.getElementById('panel-conversation');
}

function showConversation(): void {
  const tab = document.getElementById('tab-conversation');
  if (tab && tab.getAttribute('aria-selected') !== 'true') {
    tab.click();
  }
}

function follows(a: Node, b: Node): boolean {
  return (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
}

/** The item `delta` away from the focus (or, with the focus elsewhere, from the top of the screen). */
function target(root: HTMLElement, kind: Kind, delta: 1 | -1): HTMLElement | undefined {
  const items = [...root.querySelectorAll<HTMLElement>(`${ITEMS[kind]}, ${GAP}`)];
  const from = root.contains(document.activeElement) ? document.activeElement : null;
  if (from) {
    const after = items.filter((el) => !el.contains(from) && follows(from, el));
    const before = items.filter((el) => !el.contains(from) && follows(el, from));
    return delta > 0 ? after[0] : before.at(-1);
  }
  // Under the sticky tabs: what starts below their edge is "next".
  const edge = document.querySelector('.tabs')?.getBoundingClientRect().bottom ?? 0;
  const tops = items.map((el) => el.getBoundingClientRect().top);
  return delta > 0 ? items.find((_, i) => tops[i] > edge + 2) : items.filter((_, i) => tops[i] < edge - 2).at(-1);
}

function focusItem(el: HTMLElement, kind: Kind | 'gap'): void {
  if (!el.hasAttribute('tabindex')) {
    el.tabIndex = -1;
  }
  el.classList.add('nav-target');
  if (kind === 'tool' && !el.hasAttribute('role')) {
    // Named for screen readers when the focus lands on it.
    el.setAttribute('role', 'group');
    el.setAttribute('aria-label', `Tool call ${el.querySelector('.tool-name')?.textContent ?? ''}`.trim());
  } else if (kind === 'message' && !el.hasAttribute('aria-label')) {
    el.setAttribute('aria-label', `${el.querySelector('.role')?.textContent ?? 'Message'} message`);
  }
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: 'start' });
}

/** Onto a gap: it loads as it comes into view; the first item that arrives after `from` takes the focus. */
function waitPastGap(root: HTMLElement, gap: HTMLElement, kind: Kind, from: Element | null): void {
  const observer = new MutationObserver(() => {
    if (document.activeElement !== gap) {
      observer.disconnect();
      return;
    }
    const arrived = [...root.querySelectorAll<HTMLElement>(ITEMS[kind])].find((el) => follows(el, gap) && (!from || follows(from, el)));
    if (arrived) {
      observer.disconnect();
      focusItem(arrived, kind);
    }
  });
  observer.observe(root, { childList: true, subtree: true });
  setTimeout(() => observer.disconnect(), GAP_WAIT_MS);
}

export function move(kind: Kind, delta: 1 | -1): void {
  showConversation();
  const root = panel();
  if (!root) {
    return;
  }
  const from = root.contains(document.activeElement) ? document.activeElement : null;
  const next = target(root, kind, delta);
  if (!next) {
    return;
  }
  if (next.matches(GAP)) {
    focusItem(next, 'gap');
    waitPastGap(root, next, kind, from);
    return;
  }
  focusItem(next, kind);
}

/** Listens for the keys on the whole page; returns the "?" button for the toolbar. */
export function installViewerShortcuts(): HTMLButtonElement {
  const help = shortcutsHelp(viewerShortcuts());
  document.addEventListener('keydown', (ev) => {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || isTyping(ev.target)) {
      return;
    }
    let action: (() => void) | undefined;
    if (ev.altKey && (ev.key === 'ArrowDown' || ev.key === 'ArrowUp')) {
      const delta = ev.key === 'ArrowDown' ? 1 : -1;
      action = () => move(ev.shiftKey ? 'tool' : 'message', delta);
    } else if (!ev.altKey) {
      const keys: Record<string, () => void> = {
        j: () => move('message', 1),
        k: () => move('message', -1),
        t: () => move('tool', 1),
        T: () => move('tool', -1),
        '?': () => help.toggle(),
      };
      action = keys[ev.key];
    }
    if (action) {
      ev.preventDefault();
      action();
    }
  });
  return help.button;
}

/**
 * The keyboard shortcuts popover of a webview app: a "?" button (also the `?` key) opens a small
 * non-modal dialog listing the keys; Escape or the close button closes it and gives the focus back
 * to where it was. Shared by the trace viewer and the run view.
 */
import * as l10n from '@vscode/l10n';
import { h, iconButton } from './dom';

export interface Shortcut {
  /** Each a key combination as printed, e.g. "Alt+↓". */
  keys: string[];
  what: string;
}

export interface ShortcutsHelp {
  /** The "?" button; the same element on every render (appending it moves it). */
  readonly button: HTMLButtonElement;
  readonly isOpen: () => boolean;
  toggle(): void;
}

/** Whether a key press is text being typed (an input, a text area, editable content), which no shortcut takes. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) {
    return false;
  }
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

export function shortcutsHelp(shortcuts: Shortcut[]): ShortcutsHelp {
  const titleId = 'shortcuts-title';
  const close = iconButton('close', l10n.t('Close (Escape)'), () => hide(true), 'shortcuts-close');
  const rows = shortcuts.map((s) =>
    h('tr', null, h('td', null, ...s.keys.flatMap((k, i) => [i > 0 ? ' or ' : null, h('kbd', null, k)])), h('td', null, s.what)),
  );
  const dialog = h(
    'div',
    { class: 'shortcuts-popover', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': titleId, id: 'shortcuts', tabindex: -1, 'data-part': 'shortcuts' },
    h('div', { class: 'shortcuts-head' }, h('h2', { id: titleId }, l10n.t('Keyboard shortcuts')), h('span', { class: 'spacer' }), close),
    h('table', { class: 'shortcuts-table' }, h('thead', null, h('tr', null, h('th', { scope: 'col' }, l10n.t('Keys')), h('th', { scope: 'col' }, l10n.t('Does')))), h('tbody', null, ...rows)),
  );
  dialog.hidden = true;
  document.body.append(dialog);

  const button = iconButton('keyboard', l10n.t('Keyboard shortcuts (?)'), () => toggle(), 'shortcuts-button');
  button.setAttribute('aria-haspopup', 'dialog');
  button.setAttribute('aria-controls', 'shortcuts');
  button.setAttribute('aria-expanded', 'false');
  let returnTo: HTMLElement | undefined;

  function show(): void {
    const active = document.activeElement;
    returnTo = active instanceof HTMLElement && active !== document.body ? active : button;
    dialog.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    dialog.focus();
  }

  /** `restore`: the focus goes back to where it was before the popover opened. */
  function hide(restore: boolean): void {
    if (dialog.hidden) {
      return;
    }
    dialog.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (restore) {
      (returnTo?.isConnected ? returnTo : button).focus();
    }
    returnTo = undefined;
  }

  function toggle(): void {
    if (dialog.hidden) {
      show();
    } else {
      hide(true);
    }
  }

  dialog.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' || ev.key === '?') {
      ev.preventDefault();
      ev.stopPropagation();
      hide(true);
    }
  });
  // Tabbing or clicking away closes it, leaving the focus where it went.
  dialog.addEventListener('focusout', (ev) => {
    const next = ev.relatedTarget;
    if (next instanceof Node && !dialog.contains(next) && next !== button) {
      hide(false);
    }
  });
  document.addEventListener('mousedown', (ev) => {
    if (!dialog.hidden && ev.target instanceof Node && !dialog.contains(ev.target) && !button.contains(ev.target)) {
      hide(false);
    }
  });
  return { button, isOpen: () => !dialog.hidden, toggle };
}

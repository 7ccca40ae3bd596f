/**
 * The Raw JSON tree's keyboard, after the WAI-ARIA tree pattern: the tree is one tab stop (a roving
 * tabindex on its rows), ↑/↓ move between visible rows, → expands or moves to the first child,
 * ← collapses or moves to the parent, Home/End go to the first/last row, Enter/Space toggle, `*`
 * expands the row's siblings. The row's actions, shown on the focused row, have keys instead of
 * tab stops: C copies the value, Shift+C the JSON path, D decodes a JSON string.
 * Rows are flat siblings (see jsonTree.ts), so "visible rows in order" is the DOM order.
 */
import * as l10n from '@vscode/l10n';

/** What the keyboard asks of the tree about a row. */
export interface TreeRows {
  /** Whether the row can open, and whether it is open. */
  state(row: HTMLElement): { expandable: boolean; expanded: boolean } | undefined;
  /** Opens the row; resolves once its children are on the page (they may come from the host). */
  expand(row: HTMLElement): Promise<void>;
  collapse(row: HTMLElement): void;
  /** The row of the node's parent, and of its first child or text. */
  parent(row: HTMLElement): HTMLElement | undefined;
  firstChild(row: HTMLElement): HTMLElement | undefined;
  /** Expands every sibling of the row (`*`). */
  expandSiblings(row: HTMLElement): void;
  /** A row action: the same as its button. */
  act(row: HTMLElement, action: 'copy-value' | 'copy-path' | 'decode'): void;
}

export const treeKeysHint = (): string => l10n.t('Arrow keys move and open, Enter toggles; C copies the value, Shift+C the JSON path, D decodes a JSON string.');

const ROW = '[role="treeitem"]';

/** The roving tab stop over the tree's rows, and the keys. */
export class TreeKeyboard {
  private active: HTMLElement | undefined;

  constructor(
    private readonly element: HTMLElement,
    private readonly rows: TreeRows,
  ) {
    element.addEventListener('keydown', (ev) => this.onKey(ev));
    // A click on a row (or a button in it) makes it the tree's tab stop.
    element.addEventListener('focusin', (ev) => {
      const row = (ev.target as Element).closest?.(ROW);
      if (row instanceof HTMLElement && row.parentElement === element) {
        this.setActive(row);
      }
    });
    element.addEventListener('mousedown', (ev) => {
      const row = (ev.target as Element).closest?.(ROW);
      if (row instanceof HTMLElement && !(ev.target as Element).closest('button, .text')) {
        this.setActive(row);
      }
    });
  }

  /** Makes `row` the one tab stop; `focus` moves the focus there too. */
  setActive(row: HTMLElement, focus = false): void {
    if (this.active !== row) {
      this.active?.setAttribute('tabindex', '-1');
      this.active = row;
      row.tabIndex = 0;
    }
    if (focus) {
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block: 'nearest' });
    }
  }

  /** After rows were added: the first row is the tab stop until another is chosen. */
  ensureActive(): void {
    if (!this.active?.isConnected) {
      const first = this.element.querySelector<HTMLElement>(ROW);
      if (first) {
        this.setActive(first);
      }
    }
  }

  /** A row was rebuilt (a stub filled in, a string decoded): the new one takes its place and its focus. */
  replaced(old: HTMLElement, fresh: HTMLElement, hadFocus: boolean): void {
    fresh.tabIndex = -1;
    if (this.active === old) {
      this.active = undefined;
      this.setActive(fresh, hadFocus);
    }
  }

  /** Rows under `row` were removed (collapsed): the tab stop, and the focus, go back to it if they were there. */
  collapsed(row: HTMLElement, hadFocus: boolean): void {
    if (!this.active?.isConnected) {
      this.active = undefined;
      this.setActive(row, hadFocus);
    }
  }

  private visible(): HTMLElement[] {
    return [...this.element.children].filter((el): el is HTMLElement => el instanceof HTMLElement && el.matches(ROW));
  }

  private step(row: HTMLElement, delta: 1 | -1): HTMLElement | undefined {
    let el = delta > 0 ? row.nextElementSibling : row.previousElementSibling;
    while (el && !(el instanceof HTMLElement && el.matches(ROW))) {
      el = delta > 0 ? el.nextElementSibling : el.previousElementSibling;
    }
    return el ?? undefined;
  }

  private onKey(ev: KeyboardEvent): void {
    const row = ev.target instanceof HTMLElement && ev.target.parentElement === this.element && ev.target.matches(ROW) ? ev.target : undefined;
    if (!row || ev.ctrlKey || ev.metaKey || ev.altKey) {
      return;
    }
    const handled = this.handle(row, ev.key, ev.shiftKey);
    if (handled) {
      ev.preventDefault();
      ev.stopPropagation();
    }
  }

  private go(row: HTMLElement | undefined): boolean {
    if (row) {
      this.setActive(row, true);
    }
    return true;
  }

  private handle(row: HTMLElement, key: string, shift: boolean): boolean {
    const state = this.rows.state(row);
    switch (key) {
      case 'ArrowDown':
        return this.go(this.step(row, 1));
      case 'ArrowUp':
        return this.go(this.step(row, -1));
      case 'Home':
        return this.go(this.visible()[0]);
      case 'End':
        return this.go(this.visible().at(-1));
      case 'ArrowRight':
        if (state?.expandable && !state.expanded && row.getAttribute('aria-busy') !== 'true') {
          void this.rows.expand(row);
        } else if (state?.expandable) {
          // Open, or opening (children from the host on their way): move in once they are here.
          void this.rows.expand(row).then(() => {
            const child = this.rows.firstChild(this.current(row));
            if (child && this.element.contains(document.activeElement)) {
              this.setActive(child, true);
            }
          });
        }
        return true;
      case 'ArrowLeft':
        if (state?.expanded) {
          this.rows.collapse(row);
          return true;
        }
        return this.go(this.rows.parent(row));
      case 'Enter':
      case ' ':
        if (state?.expandable) {
          if (state.expanded) {
            this.rows.collapse(row);
          } else {
            void this.rows.expand(row);
          }
        } else {
          // "Show more" rows and long texts: their button.
          row.querySelector<HTMLElement>('button:not([aria-hidden="true"])')?.click();
        }
        return true;
      case '*':
        this.rows.expandSiblings(row);
        return true;
      case 'c':
      case 'C':
        if (!state) {
          return false;
        }
        this.rows.act(row, shift ? 'copy-path' : 'copy-value');
        return true;
      case 'd':
      case 'D':
        if (!state || !row.querySelector('[data-act="decode"]')) {
          return false;
        }
        this.rows.act(row, 'decode');
        return true;
      default:
        return false;
    }
  }

  /** The row now standing for `row` (it is rebuilt when the host fills a stub in). */
  private current(row: HTMLElement): HTMLElement {
    return row.isConnected ? row : (this.active ?? row);
  }
}

/** Keeps the buttons of a long text (Show more, Show all) out of the tab order: Enter on the row presses them. */
export function untabbed(row: HTMLElement): HTMLElement {
  const sweep = () => row.querySelectorAll<HTMLElement>('button').forEach((b) => (b.tabIndex = -1));
  sweep();
  new MutationObserver(sweep).observe(row, { childList: true, subtree: true });
  return row;
}

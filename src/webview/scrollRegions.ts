/**
 * Text blocks with a height cap scroll inside themselves; one that does must be reachable by Tab so
 * the keyboard can scroll it (WCAG 2.1.1; axe: scrollable-region-focusable). Only those that
 * overflow get the tab stop, decided whenever their size changes.
 */
const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver((entries) => entries.forEach((e) => update(e.target as HTMLElement)));

function update(el: HTMLElement): void {
  const scrolls = el.scrollHeight > el.clientHeight + 1;
  if (scrolls && el.tabIndex !== 0) {
    el.tabIndex = 0;
  } else if (!scrolls && el.hasAttribute('tabindex')) {
    el.removeAttribute('tabindex');
  }
}

/** Watches a capped block: it gets `tabindex="0"` while its content overflows. */
export function focusableWhenScrolling(el: HTMLElement): void {
  observer?.observe(el);
}

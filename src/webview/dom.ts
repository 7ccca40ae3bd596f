/**
 * DOM building without HTML parsing: every piece of trace text goes in through `textContent` or a
 * text node, so markup in a trace stays text. There is no `innerHTML` in the webview.
 */
import * as l10n from '@vscode/l10n';
import { describeChars as formatSize } from '../core/markdown/markdownSafe';
import { errorMessage } from '../core/errorMessage';
import { focusableWhenScrolling } from './scrollRegions';

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined>;

/** `h('div', { class: 'x' }, 'text', child)`: attributes are set with `setAttribute`, children appended as nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === false) {
        continue;
      }
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.appendChild(typeof child === 'string' ? document.createTextNode(revealBidi(child)) : child);
  }
}

// Bidi overrides and isolates can make `invoice_\u202Egpj.exe` read as `invoice_exe.jpg`; they are
// shown as visible markers instead (copying a value still gives the original text).
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The text with bidi control characters replaced by visible `‹U+202E›` markers. */
export function revealBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `‹U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}›`);
}

/** A codicon glyph; decorative, so hidden from screen readers. */
export function icon(name: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** A small toolbar button with an icon, a tooltip and an accessible name. */
export function iconButton(iconName: string, label: string, onClick: (ev: MouseEvent) => void, extraClass = ''): HTMLButtonElement {
  const button = h('button', { type: 'button', class: `icon-button ${extraClass}`.trim(), title: label, 'aria-label': label }, icon(iconName));
  button.addEventListener('click', (ev) => {
    ev.stopPropagation();
    onClick(ev);
  });
  return button;
}

/** A button with an icon and a visible label. */
export function textButton(iconName: string | undefined, label: string, onClick: (ev: MouseEvent) => void, extraClass = ''): HTMLButtonElement {
  const button = h('button', { type: 'button', class: `text-button ${extraClass}`.trim() }, iconName ? icon(iconName) : null, h('span', null, label));
  button.addEventListener('click', (ev) => {
    ev.stopPropagation();
    onClick(ev);
  });
  return button;
}

/** Characters, k or M characters of a text's length, for "Show all (2.3 M characters)": the one the Markdown notes use. */
export { describeChars as formatSize } from '../core/markdown/markdownSafe';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  if (bytes < 1024 * 1024) {
    return `${(bytes / 1024).toFixed(1)} KB`;
  }
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const TEXT_STEP = 10_000;

/**
 * A text block (`white-space: pre-wrap`) that shows the first 10,000 characters of a long text,
 * with "Show more" / "Show all": a multi-megabyte string would otherwise stall layout.
 */
export function textBlock(text: string, className = 'text'): HTMLElement {
  const block = h('div', { class: className });
  focusableWhenScrolling(block);
  if (text.length <= TEXT_STEP * 1.5) {
    block.textContent = revealBidi(text);
    return block;
  }
  let shown = TEXT_STEP;
  const body = document.createTextNode(revealBidi(text.slice(0, shown)));
  const more = h('div', { class: 'truncated' });
  const render = () => {
    more.replaceChildren();
    if (shown >= text.length) {
      more.remove();
      return;
    }
    append(
      more,
      h('span', { class: 'muted' }, l10n.t('… {0} more', formatSize(text.length - shown))),
      textButton('unfold', l10n.t('Show more'), () => {
        const next = Math.min(text.length, shown * 4);
        body.appendData(revealBidi(text.slice(shown, next)));
        shown = next;
        render();
      }),
      textButton(undefined, l10n.t('Show all ({0})', formatSize(text.length)), () => {
        body.appendData(revealBidi(text.slice(shown)));
        shown = text.length;
        render();
      }),
    );
  };
  block.append(body);
  render();
  return h('div', { class: 'text-wrap' }, block, more);
}

/**
 * A header button that shows and hides a body built on first open (so closed sections cost nothing).
 * Keyboard: it is a button with `aria-expanded`.
 */
export function collapsible(title: Child[], build: () => Node, open = false, className = ''): HTMLElement {
  const chevron = icon(open ? 'chevron-down' : 'chevron-right');
  const toggle = h('button', { type: 'button', class: 'collapse-toggle', 'aria-expanded': String(open) }, chevron, ...title);
  const body = h('div', { class: 'collapse-body' });
  const wrap = h('div', { class: `collapsible ${className}`.trim() }, toggle, body);
  let built = false;
  const set = (value: boolean) => {
    toggle.setAttribute('aria-expanded', String(value));
    chevron.className = `codicon codicon-${value ? 'chevron-down' : 'chevron-right'}`;
    if (value && !built) {
      built = true;
      body.appendChild(build());
    }
    body.hidden = !value;
  };
  toggle.addEventListener('click', () => set(toggle.getAttribute('aria-expanded') !== 'true'));
  set(open);
  return wrap;
}

/** JSON for display: pretty-printed, and never throws (deep or odd values become a note). */
export function prettyJson(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch (e) {
    return l10n.t('(could not display: {0})', errorMessage(e));
  }
}

/** Only http(s) URLs become clickable; the host checks again before opening. */
export function isWebUrl(url: string | undefined): url is string {
  return typeof url === 'string' && /^https?:\/\//i.test(url);
}

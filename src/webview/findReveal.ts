/**
 * Shows one match of the viewer's find in the Raw JSON tree: expands down to it (the tree asks the
 * host for the nodes it lacks, decoding a JSON string on the way), scrolls to it and marks the
 * match itself. A match in a key, a number or a short string is marked in its row; one in a long
 * string (a folded system prompt, a tool result, a string the host keeps) is shown in an excerpt
 * under its row, read at the match's offset however deep into the string it is (from the host, or
 * from the roots when the page holds the whole trace).
 * Marks are built from text nodes and a <mark> element: trace text never becomes markup.
 */
import * as l10n from '@vscode/l10n';
import { groupDigits } from '../core/conversation/format';
import { formatSize, h } from './dom';
import type { FindMatch } from '../shared/protocol';
import type { JsonTree } from './jsonTree';
import type { RawSource } from './hostRequests';

/** Characters shown before and after a match in a long string. */
const CONTEXT = 300;

export interface RevealTarget {
  tree: JsonTree;
  /** Where a long string's excerpt is read from: the host, or the roots the page holds. */
  slice: RawSource['slice'];
}

/** What the last reveal added, removed at the next one. */
let shown: { marks: HTMLElement[]; excerpt?: HTMLElement } = { marks: [] };
/** Counts reveals: one overtaken by a newer one while it waited for the host stops there. */
let generation = 0;

function clear(): void {
  for (const mark of shown.marks) {
    const parent = mark.parentElement;
    mark.replaceWith(...mark.childNodes);
    parent?.normalize();
  }
  shown.excerpt?.remove();
  shown = { marks: [] };
}

/** Wraps characters `from` .. `from + length` of the element's first text node in a mark. */
function markIn(span: Element | null, from: number, length: number): HTMLElement | undefined {
  const text = span?.firstChild;
  if (!(text instanceof Text) || from < 0 || from >= text.length) {
    return undefined;
  }
  const hit = text.splitText(from);
  hit.splitText(Math.min(length, hit.length));
  const mark = h('mark', { class: 'find-mark', 'data-part': 'find-mark' });
  hit.replaceWith(mark);
  mark.append(hit);
  return mark;
}

export async function revealMatch(target: RevealTarget, match: FindMatch): Promise<HTMLElement | undefined> {
  const mine = ++generation;
  clear();
  const row = await target.tree.reveal(match.path);
  if (!row || mine !== generation) {
    return undefined;
  }
  clear();
  let mark: HTMLElement | undefined;
  if (match.inKey) {
    mark = markIn(row.querySelector('.jkey'), match.offset, match.length);
  } else {
    const value = row.querySelector('.jval');
    const isString = value?.classList.contains('jstring') === true;
    // A string the row shows whole (short, one line): marked in place, after its opening quote.
    if (!isString || !row.querySelector('[data-act="toggle"]')) {
      mark = markIn(value, match.offset + (isString ? 1 : 0), match.length);
    } else {
      mark = await excerpt(target, match, row, mine);
    }
  }
  if (mark && mine === generation) {
    shown.marks.push(mark);
    mark.scrollIntoView({ block: 'center' });
  }
  return mark;
}

/** The part of a long string around the match, from the host, under the string's row. */
async function excerpt(target: RevealTarget, match: FindMatch, row: HTMLElement, mine: number): Promise<HTMLElement | undefined> {
  const start = Math.max(0, match.offset - CONTEXT);
  const answer = await target.slice(match.path, start);
  if (mine !== generation) {
    return undefined;
  }
  const box = h('div', { class: 'jtext find-excerpt', role: 'none', 'data-part': 'find-excerpt', 'data-offset': match.offset });
  box.style.paddingLeft = `${(parseFloat(row.style.paddingLeft) || 0) + 14}px`;
  if (answer.text === undefined) {
    box.append(h('span', { class: 'muted' }, answer.error ?? l10n.t('The host sent nothing.')));
    row.after(box);
    shown.excerpt = box;
    return undefined;
  }
  const text = answer.text;
  const at = match.offset - start;
  const end = Math.min(text.length, at + match.length + CONTEXT);
  const mark = h('mark', { class: 'find-mark', 'data-part': 'find-mark' }, text.slice(at, at + match.length));
  const total = answer.total ?? text.length;
  box.append(
    h('div', { class: 'muted find-where' }, l10n.t('Characters {0}–{1} of {2}', groupDigits(match.offset + 1), groupDigits(match.offset + match.length), formatSize(total))),
    h('div', { class: 'text' }, start > 0 ? '…' : '', text.slice(0, at), mark, text.slice(at + match.length, end), start + end < total ? '…' : ''),
  );
  row.after(box);
  shown.excerpt = box;
  return mark;
}

/**
 * An inline diff (old struck through, new underlined, both with a visible label for screen readers
 * and high contrast: never colour alone). Long unchanged stretches are cut to their ends, so a
 * one-word memory edit in a 4 kB block reads at a glance.
 */
import type { TextDiff } from '../../core/runs/textDiff';
import { h } from '../dom';

/** Unchanged text kept on each side of a change. */
const CONTEXT = 60;

function shortenSame(text: string, first: boolean, last: boolean): string {
  if (first && last) {
    return text.length > CONTEXT * 2 ? `${text.slice(0, CONTEXT)} … ${text.slice(-CONTEXT)}` : text;
  }
  if (first) {
    return text.length > CONTEXT ? `…${text.slice(-CONTEXT)}` : text;
  }
  if (last) {
    return text.length > CONTEXT ? `${text.slice(0, CONTEXT)}…` : text;
  }
  return text.length > CONTEXT * 2 ? `${text.slice(0, CONTEXT)} … ${text.slice(-CONTEXT)}` : text;
}

export function diffView(diff: TextDiff): HTMLElement {
  const out = h('div', { class: 'diff mono', role: 'group', 'aria-label': `${diff.removed} characters removed, ${diff.added} added` });
  diff.parts.forEach((part, i) => {
    if (part.kind === 'same') {
      out.append(h('span', { class: 'diff-same' }, shortenSame(part.text, i === 0, i === diff.parts.length - 1)));
    } else if (part.kind === 'removed') {
      out.append(h('del', { class: 'diff-removed', title: 'removed' }, part.text));
    } else {
      out.append(h('ins', { class: 'diff-added', title: 'added' }, part.text));
    }
  });
  if (diff.granularity !== 'words') {
    out.append(h('div', { class: 'muted diff-note' }, diff.granularity === 'lines' ? '(compared line by line: the texts differ a lot)' : '(too different to compare: old and new shown whole)'));
  }
  return out;
}

/**
 * Inline text diffs for memory blocks and system-prompt sections, with the `diff` package (jsdiff):
 * words and the white space between them, so a changed line shows what changed in it. A diff too
 * big to compute quickly falls back to lines, then to "all removed, all added", so a huge block can
 * never stall the host. Pure: no `vscode` import.
 */
import { diffLines, diffWordsWithSpace, type ChangeObject } from 'diff';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export interface TextDiff {
  parts: DiffPart[];
  /** Characters added and removed. */
  added: number;
  removed: number;
  /** `words` normally; `lines` or `whole` when the texts were too different to diff word by word in time. */
  granularity: 'words' | 'lines' | 'whole';
}

/** Edits (tokens) a word diff may take before falling back to lines: bounds its time on big, very different texts. */
const MAX_WORD_EDITS = 2000;
const MAX_LINE_EDITS = 2000;

function fromChanges(changes: ChangeObject<string>[], granularity: TextDiff['granularity']): TextDiff {
  const diff: TextDiff = { parts: [], added: 0, removed: 0, granularity };
  for (const c of changes) {
    const kind = c.added ? 'added' : c.removed ? 'removed' : 'same';
    if (kind === 'added') {
      diff.added += c.value.length;
    } else if (kind === 'removed') {
      diff.removed += c.value.length;
    }
    const last = diff.parts[diff.parts.length - 1];
    if (last?.kind === kind) {
      last.text += c.value;
    } else if (c.value !== '') {
      diff.parts.push({ kind, text: c.value });
    }
  }
  return diff;
}

/** How `before` became `after`; `parts` joined by kind give back each text (same + removed = before, same + added = after). */
export function textDiff(before: string, after: string): TextDiff {
  if (before === after) {
    return { parts: before ? [{ kind: 'same', text: before }] : [], added: 0, removed: 0, granularity: 'words' };
  }
  const words = diffWordsWithSpace(before, after, { maxEditLength: MAX_WORD_EDITS });
  if (words) {
    return fromChanges(words, 'words');
  }
  const lines = diffLines(before, after, { maxEditLength: MAX_LINE_EDITS });
  if (lines) {
    return fromChanges(lines, 'lines');
  }
  return fromChanges([{ value: before, removed: true, added: false, count: 1 }, { value: after, added: true, removed: false, count: 1 }], 'whole');
}

/**
 * What changed between two requests (`compareRequests`) as Markdown for a model: messages appended
 * or dropped, memory blocks edited (before and after, cut), system prompt sections, tools and
 * parameters. Every recorded text is fenced or inline code. Pure.
 */
import type { TextDiff } from '../runs/textDiff';
import type { RequestChanges } from '../runs/compare';
import { fencedCut, inlineCode } from '../markdown/markdownSafe';

/** How much of a memory block's value is quoted before and after an edit. */
const BLOCK_VALUE_CHARS = 600;

function diffLine(diff: TextDiff): string {
  return `+${diff.added} / −${diff.removed} characters`;
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The changes as a bullet list (empty lines between blocks), or a line saying nothing changed. */
export function changesMarkdown(changes: RequestChanges): string {
  if (changes.first) {
    return '- First step compared: nothing before it.';
  }
  if (changes.unchanged) {
    return '- The request is the same as the one compared with.';
  }
  const lines: string[] = [];
  const roles = Object.entries(changes.appendedRoles)
    .map(([role, n]) => `${n} ${role}`)
    .join(', ');
  lines.push(`- Messages: ${changes.commonPrefix} shared, ${changes.appended.length} appended${roles ? ` (${roles})` : ''}${changes.dropped > 0 ? `, ${changes.dropped} of the earlier request's messages no longer sent (history summarised or trimmed)` : ''}.`);
  for (const m of changes.appended.slice(0, 8)) {
    const calls = m.toolCalls.length > 0 ? ` calls ${m.toolCalls.map((n) => inlineCode(n)).join(', ')}` : '';
    lines.push(`  - #${m.index + 1} ${m.role}${calls}: ${inlineCode(m.preview, 120)}`);
  }
  if (changes.appended.length > 8) {
    lines.push(`  - … ${changes.appended.length - 8} more appended messages.`);
  }
  if (changes.model) {
    lines.push(`- Model: ${inlineCode(changes.model.before ?? '?')} → ${inlineCode(changes.model.after ?? '?')}`);
  }
  const system = changes.system;
  if (system) {
    for (const b of system.blocks) {
      const fields = b.fields.length > 0 ? ` (${b.fields.join(', ')} changed)` : '';
      lines.push(`- Memory block ${inlineCode(b.label)} ${b.kind}${b.value ? `, ${diffLine(b.value)}` : ''}${fields}:`);
      if (b.before && b.kind !== 'added') {
        lines.push('', '  Before:', '', fencedCut(b.before.value, BLOCK_VALUE_CHARS, 'text'));
      }
      if (b.after && b.kind !== 'removed') {
        lines.push('', '  After:', '', fencedCut(b.after.value, BLOCK_VALUE_CHARS, 'text'), '');
      }
    }
    for (const s of system.sections) {
      lines.push(`- System prompt section ${inlineCode(s.name)} ${s.kind}, ${diffLine(s.diff)}.`);
    }
    if (system.outside) {
      lines.push(`- System prompt text outside its sections changed, ${diffLine(system.outside)}.`);
    }
  }
  const { added, removed, changed } = changes.tools;
  if (added.length + removed.length + changed.length > 0) {
    const list = (names: string[]) => names.map((n) => inlineCode(n)).join(', ');
    lines.push(`- Tools:${added.length ? ` added ${list(added)}.` : ''}${removed.length ? ` removed ${list(removed)}.` : ''}${changed.length ? ` changed ${list(changed)}.` : ''}`);
  }
  for (const p of changes.parameters) {
    lines.push(`- Parameter ${inlineCode(p.name)}: ${inlineCode(json(p.before), 80)} → ${inlineCode(json(p.after), 80)}`);
  }
  return lines.join('\n');
}

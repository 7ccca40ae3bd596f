/** "What changed since the previous step", on each row: messages, memory blocks, system prompt, tools, parameters. */
import type { RequestChanges } from '../../core/runs/compare';
import type { RunStepRow } from '../../shared/runProtocol';
import { h, icon, prettyJson } from '../dom';
import { diffView } from './diffView';

function short(value: unknown): string {
  const text = prettyJson(value).replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function line(iconName: string, ...children: (Node | string)[]): HTMLElement {
  return h('li', { class: 'change' }, icon(iconName), h('span', null, ...children));
}

/** The changes of `row`; undefined while they cannot be known yet (this or an earlier trace pending). */
export function changesView(row: RunStepRow): HTMLElement | undefined {
  const changes: RequestChanges | undefined = row.changes;
  if (!changes) {
    return undefined;
  }
  const list = h('ul', { class: 'changes', 'aria-label': 'What changed since the previous step' });
  if (changes.first) {
    list.append(line('debug-start', h('span', { class: 'muted' }, 'First step: compared with nothing')));
    return list;
  }
  if (changes.unchanged) {
    list.append(line('check', h('span', { class: 'muted' }, 'Same request as the step before')));
    return list;
  }
  const since = row.comparedWith !== undefined && row.comparedWith !== row.index - 1 ? ` (since step ${row.comparedWith + 1})` : '';
  if (changes.appended.length > 0) {
    const roles = Object.entries(changes.appendedRoles)
      .map(([role, n]) => `${n} ${role}`)
      .join(', ');
    list.append(line('add', `+${changes.appended.length} message${changes.appended.length === 1 ? '' : 's'}${since}: ${roles}`));
  }
  if (changes.dropped > 0) {
    list.append(line('remove', `${changes.dropped} earlier message${changes.dropped === 1 ? '' : 's'} no longer sent (history trimmed or summarised)`));
  }
  for (const block of changes.system?.blocks ?? []) {
    const what = block.kind === 'changed' ? 'changed' : block.kind === 'added' ? 'added' : 'removed';
    const fields = block.fields.length > 0 ? ` (${block.fields.join(', ')})` : '';
    const item = line('database', 'Memory block ', h('code', null, block.label), ` ${what}${fields}`);
    item.classList.add('change-memory');
    if (block.value) {
      item.append(diffView(block.value));
    }
    list.append(item);
  }
  for (const section of changes.system?.sections ?? []) {
    const item = line('symbol-text', 'System prompt section ', h('code', null, section.name), ` ${section.kind}`);
    item.append(diffView(section.diff));
    list.append(item);
  }
  if (changes.system?.outside) {
    const item = line('symbol-text', 'System prompt changed outside the memory blocks');
    item.append(diffView(changes.system.outside));
    list.append(item);
  }
  const { added, removed, changed } = changes.tools;
  if (added.length > 0) {
    list.append(line('tools', `Tools added: ${added.join(', ')}`));
  }
  if (removed.length > 0) {
    list.append(line('tools', `Tools removed: ${removed.join(', ')}`));
  }
  if (changed.length > 0) {
    list.append(line('tools', `Tools changed: ${changed.join(', ')}`));
  }
  if (changes.model) {
    list.append(line('hubot', `Model: ${changes.model.before ?? '–'} → ${changes.model.after ?? '–'}`));
  }
  for (const p of changes.parameters) {
    list.append(line('settings', h('code', null, p.name), `: ${short(p.before)} → ${short(p.after)}`));
  }
  return list;
}

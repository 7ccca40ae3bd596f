/** "What changed since the previous step", on each row: messages, memory blocks, system prompt, tools, parameters. */
import * as l10n from '@vscode/l10n';
import type { RequestChanges } from '../../core/runs/compare';
import type { RunStepRow } from '../../shared/runProtocol';
import { h, icon, prettyJson } from '../dom';
import { diffView } from './diffView';
import { withNodes } from '../l10n';

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
  const list = h('ul', { class: 'changes', 'aria-label': l10n.t('What changed since the previous step') });
  if (changes.first) {
    list.append(line('debug-start', h('span', { class: 'muted' }, l10n.t('First step: compared with nothing'))));
    return list;
  }
  if (changes.unchanged) {
    list.append(line('check', h('span', { class: 'muted' }, l10n.t('Same request as the step before'))));
    return list;
  }
  const since = row.comparedWith !== undefined && row.comparedWith !== row.index - 1 ? l10n.t(' (since step {0})', row.comparedWith + 1) : '';
  if (changes.appended.length > 0) {
    const roles = Object.entries(changes.appendedRoles)
      .map(([role, n]) => `${n} ${role}`)
      .join(', ');
    const added = changes.appended.length === 1 ? l10n.t('+1 message') : l10n.t('+{0} messages', changes.appended.length);
    list.append(line('add', `${added}${since}: ${roles}`));
  }
  if (changes.dropped > 0) {
    list.append(
      line(
        'remove',
        changes.dropped === 1
          ? l10n.t('1 earlier message no longer sent (history trimmed or summarised)')
          : l10n.t('{0} earlier messages no longer sent (history trimmed or summarised)', changes.dropped),
      ),
    );
  }
  for (const block of changes.system?.blocks ?? []) {
    const sentence =
      block.kind === 'changed' ? l10n.t('Memory block {0} changed', '{0}') : block.kind === 'added' ? l10n.t('Memory block {0} added', '{0}') : l10n.t('Memory block {0} removed', '{0}');
    const fields = block.fields.length > 0 ? ` (${block.fields.join(', ')})` : '';
    const item = line('database', ...withNodes(sentence, h('code', null, block.label)), fields);
    item.classList.add('change-memory');
    if (block.value) {
      item.append(diffView(block.value));
    }
    list.append(item);
  }
  for (const section of changes.system?.sections ?? []) {
    const item = line('symbol-text', ...withNodes(l10n.t('System prompt section {0} {1}', '{0}', section.kind), h('code', null, section.name)));
    item.append(diffView(section.diff));
    list.append(item);
  }
  if (changes.system?.outside) {
    const item = line('symbol-text', l10n.t('System prompt changed outside the memory blocks'));
    item.append(diffView(changes.system.outside));
    list.append(item);
  }
  const { added, removed, changed } = changes.tools;
  if (added.length > 0) {
    list.append(line('tools', l10n.t('Tools added: {0}', added.join(', '))));
  }
  if (removed.length > 0) {
    list.append(line('tools', l10n.t('Tools removed: {0}', removed.join(', '))));
  }
  if (changed.length > 0) {
    list.append(line('tools', l10n.t('Tools changed: {0}', changed.join(', '))));
  }
  if (changes.model) {
    list.append(line('hubot', l10n.t('Model: {0} → {1}', changes.model.before ?? '–', changes.model.after ?? '–')));
  }
  for (const p of changes.parameters) {
    list.append(line('settings', h('code', null, p.name), `: ${short(p.before)} → ${short(p.after)}`));
  }
  return list;
}

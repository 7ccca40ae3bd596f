/**
 * Letta's system prompt as Letta wrote it: base instructions and tool rules folded, each core-memory
 * block as a card (label, description, a usage bar of chars_current / chars_limit that warns near and
 * over the limit in words and icons, not colour alone, read-only badge, the value with a toggle for
 * Letta's line numbers), memory metadata as facts. All text goes in as text (dom.ts).
 */
import * as l10n from '@vscode/l10n';
import { groupDigits } from '../core/conversation/format';
import { blockUsage, type MemoryBlock, type MemoryMetadata, type SystemPromptSection } from '../core/context/systemPrompt';
import type { LocatedSystemPrompt } from '../core/context/stepContext';
import { collapsible, formatSize, h, icon, textBlock } from './dom';

const USAGE_ICON = { ok: 'pass', near: 'warning', over: 'error', unknown: 'circle-outline' } as const;

function usageBar(block: MemoryBlock): HTMLElement | null {
  if (block.charsCurrent === undefined || block.charsLimit === undefined || block.charsLimit <= 0) {
    return null;
  }
  const state = blockUsage(block);
  const percent = Math.round((block.charsCurrent / block.charsLimit) * 100);
  const label = l10n.t('{0} / {1} characters ({2} %)', groupDigits(block.charsCurrent), groupDigits(block.charsLimit), percent);
  const over = block.charsCurrent - block.charsLimit;
  // Widths through the CSSOM: the CSP allows no inline style attributes.
  const fill = h('div', { class: 'usage-fill' });
  fill.style.width = `${Math.min(100, Math.max(0, percent))}%`;
  return h(
    'div',
    { class: `block-usage usage-${state}`, 'data-usage': state },
    h(
      'div',
      {
        class: 'usage-bar',
        role: 'meter',
        'aria-label': l10n.t("{0}: characters used of the block's limit", block.label),
        'aria-valuemin': 0,
        'aria-valuemax': block.charsLimit,
        'aria-valuenow': Math.min(block.charsCurrent, block.charsLimit),
        'aria-valuetext': label,
      },
      fill,
    ),
    h('span', { class: 'usage-text' }, label),
    state === 'ok'
      ? null
      : h('span', { class: 'usage-state', 'data-part': 'usage-state' }, icon(USAGE_ICON[state]), state === 'over' ? l10n.t('Over limit by {0}', groupDigits(over)) : state === 'near' ? l10n.t('Near limit') : ''),
  );
}

function memoryCard(block: MemoryBlock): HTMLElement {
  const card = h('article', { class: 'memory-card', 'data-block': block.label, 'aria-label': l10n.t('Memory block {0}', block.label) });
  const head = h(
    'div',
    { class: 'card-head' },
    icon('symbol-field'),
    h('span', { class: 'block-label mono' }, block.label),
    block.readOnly ? h('span', { class: 'badge badge-readonly', 'data-part': 'read-only' }, icon('lock'), l10n.t('Read-only')) : null,
    ...block.metadata.map((m) => h('span', { class: 'badge badge-meta mono', 'data-meta': m.key }, m.value === '' ? m.key : `${m.key}=${m.value}`)),
  );
  card.append(head);
  if (block.description) {
    card.append(textBlock(block.description, 'text block-description'));
  }
  const bar = usageBar(block);
  if (bar) {
    card.append(bar);
  }
  const valueHolder = h('div', { class: 'block-value' });
  const showValue = (numbered: boolean) => valueHolder.replaceChildren(textBlock(numbered && block.numberedValue !== undefined ? block.numberedValue : block.value, 'code block-text'));
  showValue(false);
  if (block.numberedValue !== undefined) {
    const toggle = h('button', { type: 'button', class: 'text-button line-toggle', 'aria-pressed': 'false' }, icon('list-ordered'), h('span', null, l10n.t('Show line numbers')));
    toggle.addEventListener('click', () => {
      const on = toggle.getAttribute('aria-pressed') !== 'true';
      toggle.setAttribute('aria-pressed', String(on));
      (toggle.lastElementChild as HTMLElement).textContent = on ? l10n.t('Hide line numbers') : l10n.t('Show line numbers');
      showValue(on);
    });
    card.append(h('div', { class: 'card-tools' }, toggle, block.warning ? h('span', { class: 'muted', title: block.warning }, icon('info'), l10n.t('Letta numbers these lines for its edit tools')) : null));
  }
  card.append(valueHolder);
  if (block.value === '') {
    valueHolder.replaceChildren(h('p', { class: 'muted' }, l10n.t('Empty.')));
  }
  return card;
}

function metadataFacts(meta: MemoryMetadata): HTMLElement {
  const fact = (key: string, label: string, value: string | undefined) =>
    value === undefined ? null : h('div', { class: 'fact', 'data-fact': key }, h('span', { class: 'fact-label' }, label), h('span', { class: 'fact-value' }, value));
  return h(
    'div',
    { class: 'memory-metadata', 'data-part': 'memory-metadata' },
    h('div', { class: 'part-head' }, icon('database'), h('span', null, l10n.t('Memory metadata'))),
    h(
      'div',
      { class: 'facts' },
      fact('recall', l10n.t('Recall memory'), meta.recallMessages === undefined ? undefined : l10n.t('{0} messages', groupDigits(meta.recallMessages))),
      fact('archival', l10n.t('Archival memory'), meta.archivalMemories === undefined ? undefined : l10n.t('{0} memories', groupDigits(meta.archivalMemories))),
      fact('lastModified', l10n.t('Last modified'), meta.lastModified),
      fact('currentTime', l10n.t('Compiled at'), meta.currentTime),
    ),
    collapsible([h('span', null, l10n.t('As written'))], () => textBlock(meta.lines.join('\n'), 'code')),
  );
}

function foldedText(title: string, iconName: string, part: string, text: string, open = false): HTMLElement {
  return h(
    'div',
    { class: 'prompt-section', 'data-part': part },
    collapsible([icon(iconName), h('span', null, title), h('span', { class: 'muted' }, formatSize(text.length))], () => textBlock(text, 'text'), open),
  );
}

function renderSection(section: SystemPromptSection): HTMLElement | null {
  switch (section.kind) {
    case 'base-instructions':
      return foldedText(l10n.t('Base instructions'), 'book', 'base-instructions', section.text);
    case 'tool-rules':
      return foldedText(l10n.t('Tool usage rules'), 'checklist', 'tool-rules', section.text);
    case 'memory-metadata':
      return metadataFacts(section.metadata);
    case 'memory-block':
      return memoryCard(section.block);
    case 'text': {
      // The glue between sections (`<memory_blocks>`, blank lines) is not worth a box of its own.
      const text = section.raw.replace(/<\/?memory_blocks>/g, '').trim();
      if (text === '') {
        return null;
      }
      return text.length > 300 ? foldedText(l10n.t('Other instructions'), 'note', 'prompt-text', section.raw) : textBlock(text, 'text prompt-text');
    }
  }
}

/** The body of the system message when it is Letta's prompt: sections in order, blocks as cards. */
export function renderSystemPrompt(located: LocatedSystemPrompt): HTMLElement {
  const blocks = located.parsed.sections.filter((s) => s.kind === 'memory-block').length;
  const root = h('div', { class: 'letta-prompt', 'data-part': 'letta-prompt' });
  root.append(h('div', { class: 'muted prompt-summary' }, blocks === 1 ? l10n.t('Letta system prompt: 1 memory block') : l10n.t('Letta system prompt: {0} memory blocks', blocks)));
  const cards = h('div', { class: 'memory-cards' });
  for (const section of located.parsed.sections) {
    const el = renderSection(section);
    if (!el) {
      continue;
    }
    if (section.kind === 'memory-block') {
      cards.append(el);
      if (cards.parentNode !== root) {
        root.append(cards);
      }
    } else {
      root.append(el);
    }
  }
  return root;
}

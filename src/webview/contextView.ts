/**
 * The context window by section (one bar and a table, tokens against the window's limit, reconciled
 * with what the provider reported) and the step's cost. Both arrive after the trace, in a `context`
 * message: until then they say they are being counted. Every segment of the bar is also a table row
 * with its label and numbers, so nothing is told by colour alone.
 */
import * as l10n from '@vscode/l10n';
import { groupDigits } from '../core/conversation/format';
import type { ContextSection, ContextWindow } from '../core/context/contextWindow';
import { formatUsd, type StepCost } from '../core/context/cost';
import type { StepContextLater } from '../core/context/stepContext';
import { h, icon } from './dom';

function percent(part: number, whole: number): string {
  if (whole <= 0) {
    return '–';
  }
  const p = (part / whole) * 100;
  return p > 0 && p < 0.1 ? '<0.1 %' : `${p.toFixed(p < 10 ? 1 : 0)} %`;
}

function bar(window: ContextWindow): HTMLElement {
  const scale = Math.max(window.limit ?? 0, window.totalTokens, 1);
  const segments = h('div', {
    class: 'context-bar',
    role: 'img',
    'aria-label': window.limit
      ? l10n.t('{0} tokens of {1} ({2}); the table below lists each section', groupDigits(window.totalTokens), groupDigits(window.limit), percent(window.totalTokens, window.limit))
      : l10n.t('{0} tokens; the table below lists each section', groupDigits(window.totalTokens)),
  });
  for (const s of window.sections) {
    if (s.tokens <= 0) {
      continue;
    }
    const seg = h('div', { class: `context-seg seg-${s.kind}`, 'data-section': s.id, title: l10n.t('{0}: {1} tokens', s.label, groupDigits(s.tokens)) });
    // Widths through the CSSOM: the CSP allows no inline style attributes.
    seg.style.width = `${(s.tokens / scale) * 100}%`;
    segments.append(seg);
  }
  return segments;
}

function row(s: ContextSection, window: ContextWindow): HTMLElement {
  return h(
    'tr',
    { 'data-section': s.id },
    h('td', null, h('span', { class: `swatch seg-${s.kind}`, 'aria-hidden': 'true' }), s.kind === 'memory-block' ? h('span', { class: 'mono' }, s.label) : s.label),
    h('td', { class: 'num' }, groupDigits(s.tokens)),
    h('td', { class: 'num' }, percent(s.tokens, window.limit ?? window.totalTokens)),
    h('td', { class: 'num muted' }, s.kind === 'framing' ? '—' : groupDigits(s.chars)),
  );
}

function renderWindow(window: ContextWindow): HTMLElement {
  const used = window.limit
    ? l10n.t('{0} of {1} tokens ({2})', groupDigits(window.totalTokens), groupDigits(window.limit), percent(window.totalTokens, window.limit))
    : l10n.t('{0} tokens (no limit recorded)', groupDigits(window.totalTokens));
  const summary = h(
    'div',
    { class: 'context-summary' },
    h('span', { 'data-fact': 'contextUsed' }, used),
    window.limitSource ? h('span', { class: 'muted' }, window.limitSource === 'step' ? l10n.t('limit: the step\u2019s context_window_limit') : l10n.t('limit: llm_config.context_window')) : null,
    window.estimated ? h('span', { class: 'badge', 'data-part': 'estimated', title: window.notes.find((n) => /not public/.test(n)) ?? '' }, icon('question'), l10n.t('Estimated')) : h('span', { class: 'badge', 'data-part': 'exact' }, icon('check'), l10n.t('Counted with {0}', window.encoding)),
  );
  const table = h(
    'table',
    { class: 'context-table' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, l10n.t('Section')), h('th', { scope: 'col', class: 'num' }, l10n.t('Tokens')), h('th', { scope: 'col', class: 'num' }, window.limit ? l10n.t('% of window') : l10n.t('% of total')), h('th', { scope: 'col', class: 'num' }, l10n.t('Characters')))),
    h('tbody', null, ...window.sections.map((s) => row(s, window))),
  );
  const foot = h('tfoot', null, h('tr', { 'data-row': 'total' }, h('th', { scope: 'row' }, l10n.t('Counted')), h('td', { class: 'num' }, groupDigits(window.totalTokens)), h('td', { class: 'num' }, percent(window.totalTokens, window.limit ?? window.totalTokens)), h('td', null)));
  if (window.reportedPromptTokens !== undefined) {
    const d = window.difference ?? 0;
    foot.append(
      h('tr', { 'data-row': 'reported' }, h('th', { scope: 'row' }, l10n.t('Provider reported')), h('td', { class: 'num' }, groupDigits(window.reportedPromptTokens)), h('td', { class: 'num' }, window.limit ? percent(window.reportedPromptTokens, window.limit) : ''), h('td', null)),
      h(
        'tr',
        { 'data-row': 'difference' },
        h('th', { scope: 'row' }, l10n.t('Difference')),
        h('td', { class: 'num' }, `${d > 0 ? '+' : d < 0 ? '−' : ''}${groupDigits(Math.abs(d))}`),
        h('td', { class: 'num muted', colspan: 2 }, d === 0 ? l10n.t('matches') : d > 0 ? l10n.t('reported more than counted') : l10n.t('counted more than reported')),
      ),
    );
  }
  table.append(foot);
  return h('div', { class: 'context-window' }, summary, bar(window), table, ...window.notes.map((n) => h('p', { class: 'muted context-note' }, icon('info'), n)));
}

/** The Context window section: "Counting tokens…" until `show`. */
export function renderContextSection(): { element: HTMLElement; show(later: StepContextLater): void } {
  const body = h('div', { class: 'placeholder context-pending', role: 'status' }, icon('loading codicon-modifier-spin'), h('span', null, l10n.t('Counting tokens…')));
  const element = h('section', { class: 'section', 'data-section': 'context', 'aria-label': l10n.t('Context window') }, h('h2', null, l10n.t('Context window')), body);
  let shown: HTMLElement = body;
  return {
    element,
    show(later) {
      const next = later.window
        ? renderWindow(later.window)
        : h('div', { class: 'banner banner-info', 'data-part': 'context-error' }, icon('info'), h('div', { class: 'banner-text' }, later.windowError ?? l10n.t('The context window could not be counted.')));
      shown.replaceWith(next);
      shown = next;
    },
  };
}

function costTitle(cost: StepCost): string {
  if (!cost.known) {
    return cost.reason;
  }
  const b = cost.breakdown ?? {};
  const parts = [
    b.input !== undefined ? l10n.t('input {0}', formatUsd(b.input)) : undefined,
    b.cachedInput !== undefined ? l10n.t('cached input {0}', formatUsd(b.cachedInput)) : undefined,
    b.cacheWrite !== undefined ? l10n.t('cache writes {0}', formatUsd(b.cacheWrite)) : undefined,
    b.output !== undefined ? l10n.t('output {0}', formatUsd(b.output)) : undefined,
    b.reasoning !== undefined ? l10n.t('reasoning {0}', formatUsd(b.reasoning)) : undefined,
  ].filter(Boolean);
  return `${parts.join(', ')}. ${l10n.t('{0} prices for {1}, from {2} {3} (price table of {4}).', cost.provider, cost.model, cost.table.package, cost.table.version, cost.table.date)}`;
}

/** The header's Cost fact: "…" until `show`, then the total (breakdown in the tooltip and below), or "unknown". */
export function renderCostFact(): { element: HTMLElement; show(cost: StepCost): void } {
  const value = h('span', { class: 'fact-value' }, '…');
  const element = h('div', { class: 'fact', 'data-fact': 'cost' }, h('span', { class: 'fact-label' }, l10n.t('Cost')), value);
  return {
    element,
    show(cost) {
      value.replaceChildren(cost.known ? formatUsd(cost.total) : l10n.t('cost unknown'));
      value.title = costTitle(cost);
      element.dataset.known = String(cost.known);
      element.querySelector('.cost-detail')?.remove();
      element.append(h('span', { class: 'muted cost-detail', 'data-part': 'cost-detail' }, cost.known ? `(${l10n.t('{0}; {1} prices', costTitle(cost).split('. ')[0], cost.table.date)})` : `(${cost.reason})`));
    },
  };
}

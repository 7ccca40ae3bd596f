/** The run view's header: the run, its agent, status (icon and word), times and totals. */
import { formatLatency, formatLocalTime, formatTokens } from '../../core/conversation/format';
import { describeRunCost, priceTableNote } from '../../core/runs/runCostTotal';
import { statusIcon, statusLabel } from '../../core/stepStatus';
import type { RunModel, RunTotals } from '../../shared/runProtocol';
import { h, icon, iconButton } from '../dom';
import { copy, post } from './runBridge';

function fact(label: string, value: Node | string, extra?: Node): HTMLElement {
  return h('span', { class: 'fact' }, h('span', { class: 'fact-label' }, label), h('span', { class: 'fact-value' }, value), extra);
}

export function totalsView(totals: RunTotals): HTMLElement {
  return h(
    'div',
    { class: 'facts totals', 'aria-label': 'Totals over the steps' },
    fact('Steps', String(totals.steps)),
    fact('Tokens in', formatTokens(totals.promptTokens)),
    fact('out', formatTokens(totals.completionTokens)),
    fact('total', formatTokens(totals.totalTokens)),
    fact('cached', formatTokens(totals.cachedTokens)),
    totals.cost
      ? h(
          'span',
          { class: 'fact fact-cost', 'data-part': 'run-cost', title: priceTableNote(totals.cost.table) },
          h('span', { class: 'fact-label' }, 'Cost'),
          h('span', { class: `fact-value${totals.cost.priced === 0 || totals.cost.unpriced > 0 ? ' cost-partial' : ''}` }, describeRunCost(totals.cost)),
          h('span', { class: 'muted cost-table' }, `(${totals.cost.table.date} prices)`),
        )
      : null,
  );
}

export function runHeader(model: RunModel): HTMLElement {
  const status = model.status;
  const title = h(
    'div',
    { class: 'title-row' },
    icon('run-all'),
    h('h1', { class: 'run-id' }, model.runId),
    iconButton('copy', 'Copy run ID', () => copy(model.runId, 'Run ID')),
    iconButton('markdown', 'Copy run as Markdown', () => post({ type: 'copyMarkdown' })),
    iconButton('refresh', 'Refresh', () => post({ type: 'refresh' })),
  );
  const facts = h(
    'div',
    { class: 'facts' },
    model.agentId ? fact('Agent', h('span', { class: 'mono' }, model.agentId), iconButton('copy', 'Copy agent ID', () => copy(model.agentId ?? '', 'Agent ID'))) : null,
    fact('Status', h('span', { class: `status status-${status ?? 'unknown'}` }, icon(statusIcon(status)), ` ${statusLabel(status)}`)),
    model.stopReason ? fact('Stop reason', model.stopReason) : null,
    model.startedAt ? fact('Started', formatLocalTime(model.startedAt)) : null,
    model.finishedAt ? fact('Finished', formatLocalTime(model.finishedAt)) : null,
    model.durationMs !== undefined ? fact('Duration', formatLatency(model.durationMs)) : null,
  );
  const header = h('header', { class: 'run-header' }, title, facts, h('div', { class: 'totals-slot' }, totalsView(model.totals)));
  if (model.truncated) {
    header.append(h('div', { class: 'banner banner-info' }, icon('info'), h('span', { class: 'banner-text' }, `Only the first ${model.rows.length} steps of this run are shown.`)));
  }
  return header;
}

/** The run view's header: the run, its agent, status (icon and word), times and totals. */
import * as l10n from '@vscode/l10n';
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
    { class: 'facts totals', 'aria-label': l10n.t('Totals over the steps') },
    fact(l10n.t('Steps'), String(totals.steps)),
    fact(l10n.t('Tokens in'), formatTokens(totals.promptTokens)),
    fact(l10n.t('out'), formatTokens(totals.completionTokens)),
    fact(l10n.t('total'), formatTokens(totals.totalTokens)),
    fact(l10n.t('cached'), formatTokens(totals.cachedTokens)),
    totals.cost
      ? h(
          'span',
          { class: 'fact fact-cost', 'data-part': 'run-cost', title: priceTableNote(totals.cost.table) },
          h('span', { class: 'fact-label' }, l10n.t('Cost')),
          h('span', { class: `fact-value${totals.cost.priced === 0 || totals.cost.unpriced > 0 ? ' cost-partial' : ''}` }, describeRunCost(totals.cost)),
          h('span', { class: 'muted cost-table' }, l10n.t('({0} prices)', totals.cost.table.date)),
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
    iconButton('copy', l10n.t('Copy run ID'), () => copy(model.runId, l10n.t('Run ID'))),
    iconButton('markdown', l10n.t('Copy run as Markdown'), () => post({ type: 'copyMarkdown' })),
    iconButton('refresh', l10n.t('Refresh'), () => post({ type: 'refresh' })),
  );
  const facts = h(
    'div',
    { class: 'facts' },
    model.agentId ? fact(l10n.t('Agent'), h('span', { class: 'mono' }, model.agentId), iconButton('copy', l10n.t('Copy agent ID'), () => copy(model.agentId ?? '', l10n.t('Agent ID')))) : null,
    fact(l10n.t('Status'), h('span', { class: `status status-${status ?? 'unknown'}` }, icon(statusIcon(status)), ` ${statusLabel(status)}`)),
    model.stopReason ? fact(l10n.t('Stop reason'), model.stopReason) : null,
    model.startedAt ? fact(l10n.t('Started'), formatLocalTime(model.startedAt)) : null,
    model.finishedAt ? fact(l10n.t('Finished'), formatLocalTime(model.finishedAt)) : null,
    model.durationMs !== undefined ? fact(l10n.t('Duration'), formatLatency(model.durationMs)) : null,
  );
  // A plain block, not <header>: inside the page's main landmark a banner is misplaced (axe: landmark-banner-is-top-level).
  const header = h('div', { class: 'run-header' }, title, facts, h('div', { class: 'totals-slot' }, totalsView(model.totals)));
  if (model.truncated) {
    header.append(h('div', { class: 'banner banner-info' }, icon('info'), h('span', { class: 'banner-text' }, l10n.t('Only the first {0} steps of this run are shown.', model.rows.length))));
  }
  return header;
}

/**
 * One row of the timeline: the step's place on the run's shared time axis (bar = its LLM call's
 * latency), status as icon and word, model, tokens, tool calls, stop reason or error, the state of
 * its trace, and what changed since the step before. Trace text goes in as text only.
 */
import * as l10n from '@vscode/l10n';
import { formatLatency, formatTokens } from '../../core/conversation/format';
import { describeStepCost } from '../../core/runs/runCostTotal';
import { statusIcon, statusLabel } from '../../core/stepStatus';
import type { RunStepRow } from '../../shared/runProtocol';
import { h, icon } from '../dom';
import { changesView } from './changesView';

/** The run's time axis: from the first call's start to the last call's end. */
export interface TimeAxis {
  startMs: number;
  spanMs: number;
}

export function timeAxis(rows: readonly RunStepRow[]): TimeAxis | undefined {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    if (r.startMs !== undefined) {
      start = Math.min(start, r.startMs);
      end = Math.max(end, r.startMs + (r.durationMs ?? 0));
    }
  }
  return Number.isFinite(start) ? { startMs: start, spanMs: Math.max(1, end - start) } : undefined;
}

function traceNote(row: RunStepRow, slow: boolean): HTMLElement | null {
  switch (row.trace) {
    case 'pending':
      return h('span', { class: `trace-note trace-pending${slow ? ' trace-slow' : ''}` }, icon(slow ? 'watch' : 'loading~spin'), ' ', slow ? l10n.t('trace still loading (slow)') : l10n.t('loading trace…'));
    case 'none':
      return h('span', { class: 'trace-note trace-none' }, icon('circle-slash'), ' ', l10n.t('no trace recorded'));
    case 'error':
      return h('span', { class: 'trace-note trace-error' }, icon('warning'), ' ', l10n.t('trace not loaded: {0}', row.traceError ?? l10n.t('error')));
    default:
      return null;
  }
}

function bar(row: RunStepRow, axis: TimeAxis | undefined): HTMLElement {
  const track = h('div', { class: 'bar-track', 'aria-hidden': 'true' });
  if (axis && row.startMs !== undefined) {
    const left = ((row.startMs - axis.startMs) / axis.spanMs) * 100;
    const width = Math.max(0.5, ((row.durationMs ?? 0) / axis.spanMs) * 100);
    const b = h('div', { class: `bar status-${row.status}` });
    b.style.left = `${Math.min(99.5, left).toFixed(2)}%`;
    b.style.width = `${Math.min(100 - left, width).toFixed(2)}%`;
    track.append(b);
  }
  return track;
}

export function stepRow(row: RunStepRow, axis: TimeAxis | undefined, slow: boolean): HTMLElement {
  const tokens = row.tokens;
  const head = h(
    'div',
    { class: 'row-head' },
    h('span', { class: 'row-index' }, String(row.index + 1)),
    h('span', { class: `status status-${row.status}` }, icon(statusIcon(row.status)), ` ${statusLabel(row.status)}`),
    row.model ? h('span', { class: 'row-model mono' }, row.model) : null,
    bar(row, axis),
    h('span', { class: 'row-latency' }, row.durationMs !== undefined ? formatLatency(row.durationMs) : ''),
    h('span', { class: 'row-tokens', title: l10n.t('tokens in → out') }, tokens.prompt !== undefined || tokens.completion !== undefined ? `${formatTokens(tokens.prompt)} → ${formatTokens(tokens.completion)}` : ''),
    h(
      'span',
      { class: `row-cost${row.cost && !row.cost.known ? ' cost-unknown' : ''}`, 'data-part': 'step-cost', title: row.cost ? (row.cost.known ? l10n.t('{0} prices for {1}, {2}', row.cost.provider, row.cost.model, row.cost.table.date) : row.cost.reason) : '' },
      row.cost ? describeStepCost(row.cost) : '',
    ),
  );
  const details = h('div', { class: 'row-details' });
  details.append(h('span', { class: 'sr-only' }, row.summary));
  if (row.toolCalls.length > 0) {
    details.append(
      h(
        'div',
        { class: 'row-tools' },
        ...row.toolCalls.map((c) => h('span', { class: 'tool-call mono' }, icon('tools'), ` ${c.name}`, h('span', { class: 'muted' }, `(${c.args})`))),
      ),
    );
  }
  const meta = h('div', { class: 'row-meta' });
  if (row.stopReason) {
    meta.append(h('span', { class: 'muted' }, l10n.t('stop: {0}', row.stopReason)));
  }
  if (row.error) {
    meta.append(h('span', { class: 'row-error' }, icon('error'), ` ${row.error}`));
  }
  const note = traceNote(row, slow);
  if (note) {
    meta.append(note);
  }
  if (meta.childNodes.length > 0) {
    details.append(meta);
  }
  const changes = changesView(row);
  if (changes) {
    details.append(changes);
  }
  const li = h(
    'li',
    {
      class: `step-row status-${row.status} trace-${row.trace}`,
      'data-index': row.index,
      'data-step-id': row.stepId,
      role: 'option',
      tabindex: -1,
      // Named by what it shows, all of it (a label of part of it would hide the rest: axe's label-content-name-mismatch);
      // the summary, which the eye gets from the layout, is in it as screen-reader text.
      'aria-selected': 'false',
      title: l10n.t('{0}: Enter opens its trace', row.stepId),
    },
    head,
    details,
  );
  return li;
}

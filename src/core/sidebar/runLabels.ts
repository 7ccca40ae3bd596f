/**
 * What the sidebar says about a run: label (its time and short ID), description (status, stop
 * reason, steps, duration) and a plain-text tooltip; and the rows of an agent's runs list. Pure: no
 * `vscode` import.
 */
import * as l10n from '@vscode/l10n';
import { formatLatency } from '../conversation/format';
import type { Run } from '../lettaTypes';
import { RUN_IDS } from '../lettaIds';
import { runDurationMs } from '../runs/runSummary';
import { statusLabel } from '../stepStatus';
import { formatTime } from '../stepSummary';
import { formatShortTime } from './stepLabels';
import { pageRows, type ListRow, type PageState } from './treeModel';

/** `09:05 · run-1234abcd…`: when it started first, so a list newest first reads as a timeline. */
export function runLabel(run: Run, now?: Date): string {
  const time = formatShortTime(run.created_at ?? undefined, now);
  return time ? `${time} · ${RUN_IDS.short(run.id)}` : RUN_IDS.short(run.id);
}

/** `completed · end_turn · 4 steps · 8.1 s`: only the parts known (`steps` once counted). */
export function runDescription(run: Run, steps?: number): string {
  const duration = runDurationMs(run);
  return [
    run.status ? statusLabel(run.status) : undefined,
    run.stop_reason ?? undefined,
    steps === undefined ? undefined : steps === 1 ? l10n.t('1 step') : l10n.t('{0} steps', steps),
    duration === undefined ? undefined : formatLatency(duration),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Plain text (never Markdown: stop reasons come from the server). */
export function runTooltip(run: Run, steps?: number): string {
  const lines = [run.id];
  if (run.status) {
    const status = statusLabel(run.status);
    lines.push(run.stop_reason ? l10n.t('Status: {0} ({1})', status, run.stop_reason) : l10n.t('Status: {0}', status));
  }
  if (steps !== undefined) {
    lines.push(l10n.t('Steps: {0}', steps));
  }
  const duration = runDurationMs(run);
  if (duration !== undefined) {
    lines.push(l10n.t('Duration: {0}', formatLatency(duration)));
  }
  const started = run.created_at ? formatTime(run.created_at) : undefined;
  if (started) {
    lines.push(l10n.t('Started: {0}', started));
  }
  return lines.join('\n');
}

/** An agent's runs: the runs, then one of Loading, the failure, Load more, or "no runs". */
export function runRows(page: PageState<Run>): ListRow<Run>[] {
  return pageRows(page, l10n.t('No runs yet.'));
}

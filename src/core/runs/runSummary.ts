/**
 * What a run-ID hover and the sidebar say about a run: status, stop reason, number of steps,
 * duration and time, from `GET /v1/runs/{id}` and (when it answers) its metrics. Pure: no `vscode` import.
 */
import * as l10n from '@vscode/l10n';
import { formatLatency } from '../conversation/format';
import type { LettaApi } from '../lettaApi';
import type { Run, RunMetrics } from '../lettaTypes';
import { formatTime } from '../stepSummary';
import { statusLabel } from '../stepStatus';
import { SummaryCache, type SummaryCacheOptions, type SummaryResult } from '../stepSummaryCache';

export interface RunSummary {
  status?: string;
  stopReason?: string;
  agentId?: string;
  steps?: number;
  durationMs?: number;
  createdAt?: string;
}

export type RunSummaryResult = SummaryResult<RunSummary>;

/** The run's duration: its own total, else the metrics', else finished minus started (a finished run only). */
export function runDurationMs(run: Run, metrics?: RunMetrics): number | undefined {
  if (typeof run.total_duration_ns === 'number') {
    return run.total_duration_ns / 1e6;
  }
  if (typeof metrics?.run_ns === 'number') {
    return metrics.run_ns / 1e6;
  }
  const started = run.created_at ? Date.parse(run.created_at) : NaN;
  const finished = run.completed_at ? Date.parse(run.completed_at) : NaN;
  return Number.isFinite(started) && Number.isFinite(finished) ? finished - started : undefined;
}

export function summaryFromRun(run: Run, metrics?: RunMetrics): RunSummary {
  const summary: RunSummary = {};
  if (run.status) {
    summary.status = run.status;
  }
  if (run.stop_reason) {
    summary.stopReason = run.stop_reason;
  }
  if (run.agent_id) {
    summary.agentId = run.agent_id;
  }
  if (typeof metrics?.num_steps === 'number') {
    summary.steps = metrics.num_steps;
  }
  const duration = runDurationMs(run, metrics);
  if (duration !== undefined) {
    summary.durationMs = duration;
  }
  if (run.created_at) {
    summary.createdAt = run.created_at;
  }
  return summary;
}

/** `["completed (end_turn)", "4 steps", "8.1 s", "2026-03-14 08:20:00 UTC"]`: what is known, in that order. */
export function formatRunSummary(summary: RunSummary): string[] {
  const parts: string[] = [];
  if (summary.status) {
    const label = statusLabel(summary.status);
    parts.push(summary.stopReason ? `${label} (${summary.stopReason})` : label);
  }
  if (summary.steps !== undefined) {
    parts.push(summary.steps === 1 ? l10n.t('1 step') : l10n.t('{0} steps', summary.steps));
  }
  if (summary.durationMs !== undefined) {
    parts.push(formatLatency(summary.durationMs));
  }
  const time = summary.createdAt ? formatTime(summary.createdAt) : undefined;
  if (time) {
    parts.push(time);
  }
  return parts;
}

const RUNNING = new Set(['created', 'running']);

/** Fetches a run and its metrics together; the metrics are a bonus (a server may not have them). */
async function fetchRunSummary(api: LettaApi, runId: string, call: { timeoutMs: number; maxRetries: number; signal: AbortSignal }): Promise<RunSummary> {
  const [run, metrics] = await Promise.all([api.getRun(runId, call), api.getRunMetrics(runId, call).catch(() => undefined)]);
  return summaryFromRun(run, metrics);
}

/** Run summaries for the hover, cached like step summaries; a running run is looked up again soon. */
export class RunSummaryCache extends SummaryCache<RunSummary> {
  constructor(options: SummaryCacheOptions) {
    super({ noun: 'run', fetch: fetchRunSummary, isSettled: (s) => !RUNNING.has(s.status ?? '') }, options);
  }
}

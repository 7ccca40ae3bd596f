/**
 * An agent's latest runs as the live view keeps them: newest first, at most `limit`, updated from
 * polls that read only what changed. Pure.
 *
 * One request per poll: `GET /v1/runs/?agent_id=…&order=asc&after=<cursor>` answers the runs newer
 * than the cursor, oldest first. The cursor is the newest run, or, while a shown run is still
 * unfinished, the run just older than the oldest unfinished one, so the same request also brings
 * that run's new status.
 */
import type { Run } from '../lettaTypes';

export const FINISHED_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

export function isFinished(run: Run): boolean {
  return typeof run.status === 'string' && FINISHED_STATUSES.has(run.status);
}

export interface RunsUpdate {
  runs: Run[];
  /** Runs that failed since the last update (new and failed, or known and now failed). */
  newlyFailed: Run[];
  /** IDs of runs not shown before. */
  added: string[];
}

/** The `after` cursor of the next poll; undefined when no run is known (then read the newest page). */
export function pollCursor(runs: readonly Run[]): string | undefined {
  let oldestOpen = -1;
  runs.forEach((r, i) => {
    if (!isFinished(r)) {
      oldestOpen = i;
    }
  });
  if (oldestOpen === -1) {
    return runs[0]?.id;
  }
  // Past the list's end the unfinished run is the oldest shown: read from the start of time then is
  // too much, so keep it as the cursor and accept that its own status is refreshed on reload only.
  return runs[oldestOpen + 1]?.id ?? runs[oldestOpen]?.id;
}

/**
 * `known` (newest first) updated with `fresh` (a poll's answer, any order). A run already known
 * takes its fresh record; new ones go on top. Failures are reported only for runs seen in a poll,
 * never for history read on first load (`initial`).
 */
export function mergeRuns(known: readonly Run[], fresh: readonly Run[], limit: number, initial = false): RunsUpdate {
  const byId = new Map(known.map((r) => [r.id, r]));
  const newlyFailed: Run[] = [];
  const added: string[] = [];
  for (const run of fresh) {
    if (typeof run?.id !== 'string') {
      continue;
    }
    const before = byId.get(run.id);
    if (!before) {
      added.push(run.id);
    }
    if (!initial && run.status === 'failed' && before?.status !== 'failed') {
      newlyFailed.push(run);
    }
    byId.set(run.id, run);
  }
  const runs = [...byId.values()].sort(newestFirst).slice(0, Math.max(1, limit));
  return { runs, newlyFailed, added };
}

/** By creation time, newest first; a run without a time sorts as the newest (it was just made). */
function newestFirst(a: Run, b: Run): number {
  const ta = Date.parse(a.created_at ?? '');
  const tb = Date.parse(b.created_at ?? '');
  const va = Number.isNaN(ta) ? Number.POSITIVE_INFINITY : ta;
  const vb = Number.isNaN(tb) ? Number.POSITIVE_INFINITY : tb;
  return vb - va || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

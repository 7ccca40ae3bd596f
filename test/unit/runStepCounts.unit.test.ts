// RunStepCounts (src/core/runs/runStepCounts.ts): a run row's step count read lazily from the run's
// metrics, at most 4 at a time, kept per run and status, not retried after a failure, dropped on clear.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RunStepCounts } from '../../src/core/runs/runStepCounts';

interface Reads {
  calls: string[];
  active: number;
  maxActive: number;
}

/** A metrics reader that answers `answer(runId)` after a tick, counting reads and concurrency. */
function reader(answer: (runId: string) => number | undefined | Error) {
  const reads: Reads = { calls: [], active: 0, maxActive: 0 };
  const load = async (runId: string) => {
    reads.calls.push(runId);
    reads.active++;
    reads.maxActive = Math.max(reads.maxActive, reads.active);
    await new Promise((r) => setTimeout(r, 5));
    reads.active--;
    const a = answer(runId);
    if (a instanceof Error) {
      throw a;
    }
    return a;
  };
  return { reads, load };
}

/** Resolves with the run IDs of the next onCounted call. */
function counted(): { next: () => Promise<string[]>; onCounted: (ids: string[]) => void; all: string[][] } {
  const all: string[][] = [];
  let waiters: ((ids: string[]) => void)[] = [];
  return {
    all,
    next: () => new Promise((r) => waiters.push(r)),
    onCounted: (ids) => {
      all.push(ids);
      const w = waiters;
      waiters = [];
      w.forEach((f) => f(ids));
    },
  };
}

const run = (n: number, status = 'completed') => ({ id: `run-${n}`, status });

describe('RunStepCounts', () => {
  it('reads each shown run once, at most 4 at a time, then tells which runs were counted', async () => {
    const { reads, load } = reader((id) => Number(id.slice(4)) + 1);
    const c = counted();
    const counts = new RunStepCounts({ load, onCounted: c.onCounted });
    const runs = Array.from({ length: 10 }, (_, i) => run(i));
    assert.deepEqual(runs.map((r) => counts.get(r)), runs.map(() => undefined), 'nothing known before the reads');
    runs.forEach((r) => counts.get(r)); // a redraw meanwhile asks again: no second read
    await waitUntil(() => c.all.flat().length === runs.length);
    assert.deepEqual(c.all.flat().sort(), runs.map((r) => r.id).sort(), 'every run counted, each once');
    assert.equal(reads.calls.length, 10, 'one read per run');
    assert.ok(reads.maxActive <= 4, `at most 4 at once, saw ${reads.maxActive}`);
    assert.deepEqual(runs.map((r) => counts.get(r)), runs.map((_, i) => i + 1));
    assert.equal(reads.calls.length, 10, 'a known count is not read again');
  });

  it('a run that was still going is read again once its status changes; the old count shows meanwhile', async () => {
    let steps = 2;
    const { reads, load } = reader(() => steps);
    const c = counted();
    const counts = new RunStepCounts({ load, onCounted: c.onCounted });
    let next = c.next();
    counts.get(run(1, 'running'));
    await next;
    assert.equal(counts.get(run(1, 'running')), 2);
    steps = 5;
    next = c.next();
    assert.equal(counts.get(run(1, 'completed')), 2, 'the earlier count until the new one arrives');
    await next;
    assert.equal(counts.get(run(1, 'completed')), 5);
    assert.equal(reads.calls.length, 2);
  });

  it('a failed read or a missing count is not retried on every redraw; clear() allows it again', async () => {
    let fail = true;
    const { reads, load } = reader((id) => (id === 'run-2' ? undefined : fail ? new Error('500') : 3));
    const counts = new RunStepCounts({ load, onCounted: () => undefined });
    counts.get(run(1));
    counts.get(run(2));
    await waitUntil(() => reads.calls.length === 2 && reads.active === 0);
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(counts.get(run(1)), undefined);
    assert.equal(counts.get(run(2)), undefined);
    assert.equal(reads.calls.length, 2, 'no retry after a failure or an answer without a count');
    fail = false;
    counts.clear();
    counts.get(run(1));
    await waitUntil(() => reads.calls.length === 3 && reads.active === 0);
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(counts.get(run(1)), 3, 'read again after clear()');
  });

  it('counts that arrive after clear() are dropped (they belong to the old server)', async () => {
    const { load } = reader(() => 7);
    const c = counted();
    const counts = new RunStepCounts({ load, onCounted: c.onCounted });
    counts.get(run(1));
    counts.clear();
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(c.all, [], 'no callback for the dropped read');
    const next = c.next();
    assert.equal(counts.get(run(1)), undefined, 'nothing kept from before clear()');
    assert.deepEqual(await next, ['run-1']);
  });

  it('set() gives a count learnt elsewhere without a read', () => {
    const { reads, load } = reader(() => 1);
    const counts = new RunStepCounts({ load, onCounted: () => undefined });
    counts.set(run(1), 4);
    assert.equal(counts.get(run(1)), 4);
    assert.equal(reads.calls.length, 0);
  });
});

async function waitUntil(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) {
      throw new Error('timed out');
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

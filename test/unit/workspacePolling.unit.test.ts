import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Run } from '../../src/core/lettaTypes';
import { mergeRuns, pollCursor } from '../../src/core/workspace/agentRuns';
import { MIN_POLL_INTERVAL_MS, PollScheduler, type Clock, type PollOutcome } from '../../src/core/workspace/pollScheduler';

/** A clock that moves only when told to, running the timers that fall due. */
class FakeClock implements Clock {
  private t = 0;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;
  now(): number {
    return this.t;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pending(): number {
    return this.timers.size;
  }
  /** Moves time forward `ms`, running due timers in order and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) {
        break;
      }
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].callback();
      for (let i = 0; i < 5; i++) {
        await Promise.resolve();
      }
    }
    this.t = end;
  }
}

function scheduler(outcomes: PollOutcome[] = [], intervalMs = 5000) {
  const clock = new FakeClock();
  const starts: number[] = [];
  const s = new PollScheduler({
    clock,
    intervalMs,
    maxBackoffMs: 60_000,
    poll: () => {
      starts.push(clock.now());
      return Promise.resolve(outcomes.shift() ?? { ok: true });
    },
  });
  return { clock, starts, s };
}

describe('PollScheduler', () => {
  it('polls at once when active, then once per interval', async () => {
    const { clock, starts, s } = scheduler();
    s.setActive(true);
    await clock.advance(16_000);
    assert.deepEqual(starts, [0, 5000, 10_000, 15_000]);
  });

  it('does not poll while inactive (hidden or unfocused), and resumes no sooner than an interval after the last poll', async () => {
    const { clock, starts, s } = scheduler();
    s.setActive(true);
    await clock.advance(1000);
    s.setActive(false);
    assert.equal(clock.pending, 0);
    await clock.advance(60_000);
    assert.deepEqual(starts, [0]);
    s.setActive(true);
    s.setActive(false);
    s.setActive(true);
    await clock.advance(1);
    assert.deepEqual(starts, [0, 61_000]);
    s.setActive(false);
    s.setActive(true);
    await clock.advance(4000);
    assert.deepEqual(starts, [0, 61_000], 'a quick hide and show does not poll early');
    await clock.advance(1000);
    assert.deepEqual(starts, [0, 61_000, 66_000]);
  });

  it('waits a full interval after a first load read another way', async () => {
    const { clock, starts, s } = scheduler();
    s.noteFetched();
    s.setActive(true);
    await clock.advance(4999);
    assert.deepEqual(starts, []);
    await clock.advance(1);
    assert.deepEqual(starts, [5000]);
  });

  it('backs off after errors, doubling up to the cap, and honours a longer Retry-After', async () => {
    const { clock, starts, s } = scheduler([{ ok: false }, { ok: false }, { ok: false, rateLimited: true, retryAfterMs: 30_000 }, { ok: true }, { ok: false }]);
    s.setActive(true);
    await clock.advance(200_000);
    // 0: fail → 10 s; 10 s: fail → 20 s; 30 s: 429 with Retry-After 30 s, shorter than the 40 s backoff → 40 s; 70 s: ok → 5 s; 75 s: fail → 10 s.
    assert.deepEqual(starts.slice(0, 6), [0, 10_000, 30_000, 70_000, 75_000, 85_000]);
    const late = scheduler([{ ok: false, rateLimited: true, retryAfterMs: 45_000 }]);
    late.s.setActive(true);
    await late.clock.advance(49_000);
    assert.deepEqual(late.starts, [0, 45_000]);
  });

  it('never runs two polls at once, and never faster than the minimum interval', async () => {
    const clock = new FakeClock();
    let inFlight = 0;
    let maxInFlight = 0;
    const starts: number[] = [];
    let release: () => void = () => undefined;
    const s = new PollScheduler({
      clock,
      intervalMs: 10,
      poll: () => {
        starts.push(clock.now());
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        return new Promise<PollOutcome>((resolve) => {
          release = () => {
            inFlight--;
            resolve({ ok: true });
          };
        });
      },
    });
    s.setActive(true);
    await clock.advance(20_000);
    s.setActive(false);
    s.setActive(true);
    await clock.advance(20_000);
    assert.equal(maxInFlight, 1);
    assert.deepEqual(starts, [0]);
    release();
    for (let i = 0; i < 5; i++) {
      await Promise.resolve();
    }
    await clock.advance(MIN_POLL_INTERVAL_MS);
    assert.equal(starts.length, 2);
    assert.ok(starts[1] - starts[0] >= MIN_POLL_INTERVAL_MS);
    s.dispose();
    await clock.advance(60_000);
    assert.equal(clock.pending, 0);
  });
});

const run = (n: number, status = 'completed', minutesAgo = 100 - n): Run => ({
  id: `run-0000000${n}-0000-4000-8000-000000000000`,
  status,
  created_at: new Date(Date.UTC(2026, 0, 1) - minutesAgo * 60_000).toISOString(),
});

describe('an agent\'s runs, live', () => {
  it('puts new runs on top and keeps the limit', () => {
    const known = [run(3), run(2), run(1)];
    const update = mergeRuns(known, [run(4), run(5)], 4);
    assert.deepEqual(update.runs.map((r) => r.id), [run(5).id, run(4).id, run(3).id, run(2).id]);
    assert.deepEqual(update.added, [run(4).id, run(5).id]);
    assert.deepEqual(update.newlyFailed, []);
  });

  it('reports a run that failed since the last poll, once, and no failure from the first load', () => {
    assert.deepEqual(mergeRuns([], [run(1, 'failed')], 10, true).newlyFailed, []);
    const known = [run(2, 'running'), run(1, 'failed')];
    const update = mergeRuns(known, [run(2, 'failed'), run(3, 'failed'), run(1, 'failed')], 10);
    assert.deepEqual(update.newlyFailed.map((r) => r.id), [run(2).id, run(3).id]);
    assert.deepEqual(mergeRuns(update.runs, [run(3, 'failed')], 10).newlyFailed, []);
  });

  it('polls after the newest run, or before the oldest unfinished one so its status comes too', () => {
    assert.equal(pollCursor([]), undefined);
    assert.equal(pollCursor([run(3), run(2), run(1)]), run(3).id);
    assert.equal(pollCursor([run(4), run(3, 'running'), run(2, 'created'), run(1)]), run(1).id);
    assert.equal(pollCursor([run(2), run(1, 'running')]), run(1).id);
  });
});

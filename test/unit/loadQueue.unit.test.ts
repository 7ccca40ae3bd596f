// LoadQueue (src/core/runs/loadQueue.ts): at most N loads at once, one backoff shared by all when
// the server says 429, cancellation, priorities, one load per ID; and with the real client against
// the fake server, a 429 pauses every pending trace fetch.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLettaClient } from '../../src/core/lettaClient';
import { nodeFetch } from '../../src/core/httpTransport';
import { LettaApiError, isLettaApiError } from '../../src/core/lettaApi';
import type { ProviderTrace } from '../../src/core/lettaTypes';
import { LoadCancelledError, LoadQueue } from '../../src/core/runs/loadQueue';
import { startFakeLetta, type FakeLetta } from '../fakeLetta/server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${i}`);

/** A loader that takes `ms` per item and records concurrency and start times. */
function recorder(ms = 15, fail?: (id: string, attempt: number) => Error | undefined) {
  const state = { active: 0, maxActive: 0, starts: [] as { id: string; at: number }[], aborted: [] as string[], attempts: new Map<string, number>() };
  const load = async (id: string, signal: AbortSignal): Promise<string> => {
    const attempt = state.attempts.get(id) ?? 0;
    state.attempts.set(id, attempt + 1);
    state.starts.push({ id, at: Date.now() });
    state.active++;
    state.maxActive = Math.max(state.maxActive, state.active);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          state.aborted.push(id);
          reject(new Error('aborted'));
        });
      });
      const error = fail?.(id, attempt);
      if (error) {
        throw error;
      }
      return `loaded ${id}`;
    } finally {
      state.active--;
    }
  };
  return { state, load };
}

describe('LoadQueue', () => {
  it('runs at most `concurrency` loads at once and resolves each request with its own result', async () => {
    const { state, load } = recorder();
    const queue = new LoadQueue({ load, concurrency: 4 });
    const results = await Promise.all(ids(20).map((id) => queue.request(id)));
    assert.deepEqual(results, ids(20).map((id) => `loaded ${id}`));
    assert.equal(state.maxActive, 4);
    assert.equal(state.starts.length, 20);
    assert.deepEqual([queue.active, queue.queued], [0, 0]);
  });

  it('asks once per ID; a failure rejects only its own request and may be asked again', async () => {
    const { state, load } = recorder(5, (id, attempt) => (id === 'id-1' && attempt === 0 ? new Error('HTTP 500') : undefined));
    const queue = new LoadQueue({ load, concurrency: 2 });
    const [a, a2, b, c] = await Promise.allSettled([queue.request('id-0'), queue.request('id-0'), queue.request('id-1'), queue.request('id-2')]);
    assert.deepEqual([a.status, a2.status, b.status, c.status], ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    assert.equal(state.attempts.get('id-0'), 1);
    assert.equal(await queue.request('id-1'), 'loaded id-1', 'asked again after its failure');
    // A loaded ID is forgotten (the queue holds nothing it loaded): asked again, it loads again.
    assert.equal(await queue.request('id-0'), 'loaded id-0');
    assert.equal(state.attempts.get('id-0'), 2);
  });

  it('a 429 pauses every pending load for one shared backoff, then the limited one goes first', async () => {
    const limited = new LettaApiError('rate-limited', 'slow down', { status: 429 });
    let failedAt = 0;
    const { state, load } = recorder(10, (id, attempt) => {
      if (id === 'id-2' && attempt === 0) {
        failedAt = Date.now();
        return limited;
      }
      return undefined;
    });
    const queue = new LoadQueue({ load, concurrency: 4, backoffMs: () => 120 });
    const results = await Promise.all(ids(12).map((id) => queue.request(id)));
    assert.equal(results[2], 'loaded id-2', 'retried and loaded');
    // Loads that finished in the same moment as the 429, before the queue heard of it, may have
    // started the next ones; after that, nothing starts during the pause.
    const sameMoment = state.starts.filter((s) => s.at >= failedAt && s.at < failedAt + 5);
    assert.ok(sameMoment.length <= 3, `${sameMoment.length} started alongside the 429`);
    const afterLimit = state.starts.filter((s) => s.at >= failedAt + 5);
    assert.ok(afterLimit.length > 0);
    assert.ok(afterLimit.every((s) => s.at >= failedAt + 115), `starts after the 429: ${afterLimit.map((s) => s.at - failedAt).join(', ')} ms`);
    assert.equal(afterLimit[0].id, 'id-2', 'the limited load is tried again first');
    assert.equal(state.attempts.get('id-2'), 2);
  });

  it('the pause is the longer of Retry-After and the backoff, and grows while 429s keep coming', async () => {
    const limited = new LettaApiError('rate-limited', 'slow down', { status: 429, retryAfterMs: 150 });
    const pauses: number[] = [];
    const { load } = recorder(2, (id, attempt) => (id === 'id-0' && attempt < 3 ? limited : undefined));
    const queue = new LoadQueue({
      load,
      concurrency: 1,
      retryAfterMs: (e) => (isLettaApiError(e) ? e.details.retryAfterMs : undefined),
      backoffMs: (n) => {
        pauses.push(n);
        return 40 * 2 ** n;
      },
    });
    const started = Date.now();
    assert.equal(await queue.request('id-0'), 'loaded id-0');
    assert.deepEqual(pauses, [0, 1, 2], 'consecutive 429s back off further');
    assert.ok(Date.now() - started >= 150 + 150 + 160, 'Retry-After honoured while longer, then the backoff');
  });

  it('gives up after maxRateLimitRetries 429s in a row with the last error', async () => {
    const limited = new LettaApiError('rate-limited', 'slow down', { status: 429 });
    const { state, load } = recorder(1, () => limited);
    const queue = new LoadQueue({ load, backoffMs: () => 5, maxRateLimitRetries: 2 });
    await assert.rejects(queue.request('id-0'), (e) => e === limited);
    assert.equal(state.attempts.get('id-0'), 3);
  });

  it('cancel aborts loads in flight, rejects waiting ones and every later request', async () => {
    const { state, load } = recorder(1000);
    const queue = new LoadQueue({ load, concurrency: 2 });
    const requests = ids(5).map((id) => queue.request(id));
    await sleep(20);
    queue.cancel();
    const settled = await Promise.allSettled(requests);
    assert.ok(settled.every((s) => s.status === 'rejected' && s.reason instanceof LoadCancelledError));
    assert.deepEqual(state.aborted.sort(), ['id-0', 'id-1']);
    assert.equal(state.starts.length, 2, 'nothing else started');
    await assert.rejects(queue.request('id-9'), LoadCancelledError);
    assert.equal(queue.active, 0);
  });

  it('prioritise moves waiting IDs to the front, in the order given', async () => {
    const { state, load } = recorder(10);
    const queue = new LoadQueue({ load, concurrency: 1 });
    const all = ids(6).map((id) => queue.request(id));
    queue.prioritise(['id-5', 'id-3', 'id-0', 'missing']);
    await Promise.all(all);
    assert.deepEqual(state.starts.map((s) => s.id), ['id-0', 'id-5', 'id-3', 'id-1', 'id-2', 'id-4']);
  });
});

describe('LoadQueue with lettaClient against the fake server', () => {
  let fake: FakeLetta;
  before(async () => {
    fake = await startFakeLetta({ stepsPerAgent: 5 });
  });
  after(() => fake.close());

  it('a 429 with Retry-After pauses every pending trace fetch; all 20 traces arrive, each asked once more at most', async () => {
    assert.ok(fake.named);
    const runId = fake.named.long;
    const client = createLettaClient({ baseUrl: fake.url, apiKey: 'fake-key', fetch: nodeFetch, timeoutMs: 10_000 });
    const steps = fake.steps.filter((s) => s.run_id === runId).reverse().slice(0, 20);
    fake.reset();
    fake.setFaults([{ route: 'trace', status: 429, headers: { 'retry-after-ms': '200' }, times: 1 }]);
    const starts: number[] = [];
    let limitedAt = 0;
    const queue = new LoadQueue<ProviderTrace>({
      concurrency: 4,
      // The queue owns retries: the client gets none of its own.
      load: (id, signal) => {
        starts.push(Date.now());
        return client.getTrace(id, { signal, maxRetries: 0 }).catch((e: unknown) => {
          if (isLettaApiError(e, 'rate-limited')) {
            limitedAt = Date.now();
          }
          throw e;
        });
      },
      retryAfterMs: (e) => (isLettaApiError(e) ? e.details.retryAfterMs : undefined),
    });
    const traces = await Promise.all(steps.map((s) => queue.request(s.id)));
    assert.deepEqual(traces.map((t) => t.step_id), steps.map((s) => s.id));
    assert.ok(limitedAt > 0, 'the 429 came');
    assert.ok(starts.filter((t) => t >= limitedAt).every((t) => t >= limitedAt + 190), 'no fetch started during the pause');
    assert.equal(fake.requests.filter((r) => r.path.endsWith('/trace')).length, 21, 'one fetch per trace and one retry');
  });
});

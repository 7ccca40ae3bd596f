// The API client's run calls against the fake server over real HTTP: a run, its steps in the order
// they happened across pages and up to a bound, usage, metrics, run lists, and the optional run trace
// (501 = not available); with the trace call's error handling, size cap and cancellation.
import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { createLettaClient, type LettaClientOptions } from '../../src/core/lettaClient';
import { nodeFetch } from '../../src/core/httpTransport';
import { expectFailure } from './expectFailure';
import type { NamedRuns } from '../fakeLetta/data';
import { runMetrics, runUsage } from '../fakeLetta/data';
import { startFakeLetta, type FakeLetta } from '../fakeLetta/server';

const KEY = 'fake-key';
const MB = 1024 * 1024;
const UNKNOWN_RUN = 'run-0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a';

describe('lettaClient: runs', () => {
  let fake: FakeLetta;
  let named: NamedRuns;
  const logged: string[] = [];

  before(async () => {
    fake = await startFakeLetta({ stepsPerAgent: 30 });
    assert.ok(fake.named);
    named = fake.named;
    await client().listAgents({ limit: 1 });
    fake.reset();
  });
  after(() => fake.close());
  afterEach(() => {
    fake.reset();
    assert.ok(logged.every((line) => !line.includes(KEY)), 'the log never sees the key');
    logged.length = 0;
  });

  const client = (options: Partial<LettaClientOptions> = {}) => createLettaClient({ baseUrl: fake.url, apiKey: KEY, fetch: nodeFetch, timeoutMs: 10_000, log: (m) => logged.push(m), ...options });
  /** A run's step IDs in the order they happened. */
  const stepIdsOf = (runId: string) => fake.steps.filter((s) => s.run_id === runId).reverse().map((s) => s.id);
  const runRequests = (suffix: string) => fake.requests.filter((r) => r.path.startsWith('/v1/runs') && r.path.endsWith(suffix));

  const failure = expectFailure;

  it('gets a run with the key as a bearer token', async () => {
    const run = await client().getRun(named.memoryEdit);
    assert.deepEqual(run, fake.runs.find((r) => r.run.id === named.memoryEdit)?.run);
    assert.equal(fake.requests[0].path, `/v1/runs/${named.memoryEdit}`);
    assert.equal(fake.requests[0].headers.authorization, `Bearer ${KEY}`);
  });

  it('refuses malformed run and agent IDs before any request, and reports an unknown run as not found', async () => {
    const api = client();
    for (const call of [api.getRun('run-nope'), api.listRunSteps('step-3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b'), api.getRunUsage(''), api.getRunMetrics('RUN-X'), api.getRunTrace('run-1'), api.listRuns({ agentId: 'agent-1' })]) {
      const error = await failure(call, 'invalid-request');
      assert.match(error.message, /(run|agent) ID/);
    }
    assert.equal(fake.requests.length, 0);
    const missing = await failure(api.getRun(UNKNOWN_RUN), 'not-found');
    assert.match(missing.message, /Run with id/);
  });

  it('reads all 200 steps of a run oldest first, page after page, reporting each page', async () => {
    const pages: number[] = [];
    const { steps, truncated } = await client().listRunSteps(named.long, { pageSize: 50, onPage: (page) => pages.push(page.length) });
    assert.deepEqual(steps.map((s) => s.id), stepIdsOf(named.long));
    assert.equal(truncated, false);
    assert.deepEqual(pages, [50, 50, 50, 50]);
    const asked = runRequests('/steps').map((r) => [r.query.order, r.query.limit, r.query.after]);
    const ids = stepIdsOf(named.long);
    assert.deepEqual(asked, [
      ['asc', '50', undefined],
      ['asc', '50', ids[49]],
      ['asc', '50', ids[99]],
      ['asc', '50', ids[149]],
      ['asc', '50', ids[199]],
    ]);
    // The default page is the server's (100), asked for explicitly in ascending order.
    fake.reset();
    const again = await client().listRunSteps(named.memoryEdit);
    assert.deepEqual(again.steps.map((s) => s.id), stepIdsOf(named.memoryEdit));
    assert.deepEqual(runRequests('/steps').map((r) => [r.query.order, r.query.limit]), [['asc', '100']]);
  });

  it('stops at maxSteps and says the run is longer; a run of exactly maxSteps is not truncated', async () => {
    const ids = stepIdsOf(named.long);
    const bounded = await client().listRunSteps(named.long, { pageSize: 50, maxSteps: 120 });
    assert.deepEqual(bounded.steps.map((s) => s.id), ids.slice(0, 120));
    assert.equal(bounded.truncated, true);
    assert.deepEqual(runRequests('/steps').map((r) => r.query.limit), ['50', '50', '21'], 'the last page asks one more than fits');
    const exact = await client().listRunSteps(named.long, { pageSize: 100, maxSteps: 200 });
    assert.equal(exact.steps.length, 200);
    assert.equal(exact.truncated, false);
  });

  it('a server that ignores the cursor is reported instead of paged for ever', async () => {
    const two = fake.steps.filter((s) => s.run_id === named.long).slice(0, 2);
    fake.setFaults([{ route: 'run-steps', status: 200, body: two }]);
    const error = await failure(client().listRunSteps(named.long, { pageSize: 2 }), 'bad-response');
    assert.match(error.message, /same steps again/);
    assert.equal(runRequests('/steps').length, 2);
  });

  it('run steps get the trace call’s handling: 5xx retried, 429 reported, size cap, bad bodies', async () => {
    fake.setFaults([{ route: 'run-steps', status: 502, times: 1 }]);
    assert.equal((await client().listRunSteps(named.memoryEdit)).steps.length, 4);
    assert.equal(runRequests('/steps').length, 2, 'one retry');
    fake.setFaults([{ route: 'run-steps', status: 429, headers: { 'retry-after': '600' } }]);
    const limited = await failure(client().listRunSteps(named.memoryEdit), 'rate-limited');
    assert.match(limited.message, /Try again in 600 s/);
    assert.equal(limited.details.retryAfterMs, 600_000, 'for a queue that pauses every pending load');
    fake.setFaults([{ route: 'run-steps', kind: 'huge-body', hugeBytes: 3 * MB }]);
    await failure(client({ maxBodyBytes: MB }).listRunSteps(named.memoryEdit), 'too-large');
    fake.setFaults([{ route: 'run', kind: 'html', times: 1 }]);
    assert.match((await failure(client().getRun(named.memoryEdit), 'bad-response')).message, /HTML page/);
    fake.setFaults([{ route: 'run-usage', status: 200, body: [1, 2], times: 1 }]);
    assert.match((await failure(client().getRunUsage(named.memoryEdit), 'bad-response')).message, /a JSON array instead of a run's usage/);
  });

  it('cancelling while paging aborts the page in flight and asks for no more', async () => {
    const abort = new AbortController();
    const pages: number[] = [];
    // Once the first page is in, the next one is slow to come.
    const onPage = (page: readonly unknown[]) => {
      pages.push(page.length);
      fake.setFaults([{ route: 'run-steps', delayMs: 5000 }]);
    };
    const reading = client().listRunSteps(named.long, { pageSize: 50, onPage }, { signal: abort.signal });
    for (const until = Date.now() + 5000; runRequests('/steps').length < 2; ) {
      assert.ok(Date.now() < until);
      await new Promise((r) => setTimeout(r, 10));
    }
    const started = Date.now();
    abort.abort();
    await failure(reading, 'cancelled');
    assert.ok(Date.now() - started < 1000, 'at once');
    assert.deepEqual(pages, [50]);
    assert.equal(await runRequests('/steps')[1].settled, 'aborted');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(runRequests('/steps').length, 2);
  });

  it('gets a run’s usage and metrics as the server sums them', async () => {
    const api = client();
    const steps = fake.steps.filter((s) => s.run_id === named.long);
    const record = fake.runs.find((r) => r.run.id === named.long);
    assert.ok(record);
    assert.deepEqual(await api.getRunUsage(named.long), runUsage(steps));
    assert.deepEqual(await api.getRunMetrics(named.long), runMetrics(record, steps));
    assert.deepEqual(fake.requests.map((r) => r.path), [`/v1/runs/${named.long}/usage`, `/v1/runs/${named.long}/metrics`]);
  });

  it('lists an agent’s runs a page at a time', async () => {
    const agentId = fake.agents[2].id;
    const mine = fake.runs.filter((r) => r.run.agent_id === agentId).map((r) => r.run.id);
    const api = client();
    const first = await api.listRuns({ agentId, limit: 2 });
    assert.deepEqual(first.map((r) => r.id), mine.slice(0, 2));
    const next = await api.listRuns({ agentId, limit: 2, after: first[1].id });
    assert.deepEqual(next.map((r) => r.id), mine.slice(2, 4));
    assert.deepEqual(fake.requests.map((r) => r.query), [
      { limit: '2', agent_id: agentId },
      { after: first[1].id, limit: '2', agent_id: agentId },
    ]);
  });

  it('the run trace: 501 means not available (asked once), spans where it answers, other errors as usual', async () => {
    const api = client();
    const none = await api.getRunTrace(named.memoryEdit);
    assert.equal(none.available, false);
    assert.match(none.available ? '' : none.reason, /HTTP 501: Run traces require ClickHouse/);
    assert.equal(runRequests('/trace').length, 1, '501 is not retried');
    const spans = [{ name: 'agent_step', span_id: 'a1' }, { name: 'llm_request', span_id: 'b2' }];
    fake.setFaults([{ route: 'run-trace', status: 200, body: spans, times: 1 }]);
    assert.deepEqual(await api.getRunTrace(named.memoryEdit, { limit: 10 }), { available: true, spans });
    assert.equal(runRequests('/trace').at(-1)?.query.limit, '10');
    fake.setFaults([{ route: 'run-trace', status: 503 }]);
    await failure(client({ maxRetries: 1 }).getRunTrace(named.memoryEdit), 'server-error');
    fake.setFaults([{ route: 'run-trace', status: 200, body: { spans: 'no' }, times: 1 }]);
    await failure(api.getRunTrace(named.memoryEdit), 'bad-response');
  });
});

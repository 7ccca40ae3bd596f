// The fake Letta server itself: its data, paging, auth, every fault kind, the HTTP control routes
// other processes use, and the CLI. Plain `fetch` (undici) talks to it, not our client.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { isStepId } from '../../src/core/stepIds';
import { buildLargeTrace } from '../fixtures/builders';
import { loadFixtureTraces } from '../fixtures/fixtures';
import { fakeId } from '../fakeLetta/data';
import { startFakeLetta, type Fault, type FakeLetta } from '../fakeLetta/server';

const KEY = 'fake-key';
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('fake Letta server', () => {
  let fake: FakeLetta;

  before(async () => {
    fake = await startFakeLetta();
  });
  after(() => fake.close());
  afterEach(() => {
    fake.reset();
    fake.apiKey = KEY;
  });

  const get = (p: string, init: RequestInit = {}) => fetch(fake.url + p, { ...init, headers: { authorization: `Bearer ${KEY}`, ...init.headers } });
  const json = async (p: string) => {
    const res = await get(p);
    assert.equal(res.status, 200, p);
    return (await res.json()) as { id: string; name?: string; agent_id?: string }[];
  };
  const control = (p: string, body?: unknown): Promise<unknown> =>
    fetch(`${fake.url}/__fake/${p}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }).then((r) => r.json());

  it('listens on 127.0.0.1 and serves 3 agents, the first with 120 generated steps plus the fixtures', () => {
    assert.match(fake.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(fake.agents.length, 3);
    const fixtures = loadFixtureTraces();
    const first = fake.steps.filter((s) => s.agent_id === fake.agents[0].id);
    assert.equal(first.length, 120 + fixtures.length);
    for (const { trace } of fixtures) {
      assert.deepEqual(fake.traces.get(trace.step_id as string), trace, 'fixture traces served as they are');
    }
    for (const step of fake.steps) {
      assert.ok(isStepId(step.id), step.id);
    }
    for (const agent of fake.agents) {
      assert.match(agent.id.slice('agent-'.length), UUID4);
    }
    const withoutTrace = fake.steps.filter((s) => !fake.traces.has(s.id)).map((s) => s.id);
    assert.deepEqual(withoutTrace, [fake.named?.nullTraceStepId], 'every step has a trace but the one the null-trace run is for');
  });

  it('generates the same IDs on every start', async () => {
    const again = await startFakeLetta({ agents: 2, stepsPerAgent: 5 });
    try {
      assert.deepEqual(again.agents.map((a) => a.id), fake.agents.slice(0, 2).map((a) => a.id));
      assert.deepEqual(again.steps.slice(0, 12).map((s) => s.id), fake.steps.slice(0, 12).map((s) => s.id));
      assert.equal(fakeId('step', 'x'), fakeId('step', 'x'));
      assert.notEqual(fakeId('step', 'x'), fakeId('step', 'y'));
      assert.ok(isStepId(fakeId('step', 'anything')));
    } finally {
      await again.close();
    }
  });

  it('pages steps newest first with before/after cursors, limit, order and agent_id', async () => {
    const agentId = fake.agents[0].id;
    const mine = fake.steps.filter((s) => s.agent_id === agentId).map((s) => s.id);
    const ids = async (q: string) => (await json(`/v1/steps/?agent_id=${agentId}&${q}`)).map((s) => s.id);
    assert.deepEqual(await ids(''), mine.slice(0, 50), 'default limit 50');
    assert.deepEqual(await ids('limit=10'), mine.slice(0, 10));
    assert.deepEqual(await ids(`limit=10&after=${mine[9]}`), mine.slice(10, 20));
    assert.deepEqual(await ids(`limit=4&before=${mine[10]}`), mine.slice(6, 10));
    assert.deepEqual(await ids(`limit=3&order=asc`), mine.slice(-3).reverse());
    assert.deepEqual(await ids(`limit=3&order=asc&after=${mine.at(-1)}`), mine.slice(-4, -1).reverse());
    assert.deepEqual(await ids(`after=${mine.at(-1)}`), [], 'past the end');
    const other = await json(`/v1/steps/?agent_id=${fake.agents[1].id}`);
    assert.equal(other.length, 7);
    assert.ok(other.every((s) => s.agent_id === fake.agents[1].id));
    const noTrailingSlash = await json(`/v1/steps?agent_id=${fake.agents[1].id}&limit=2`);
    assert.equal(noTrailingSlash.length, 2);
  });

  it('marks a step failed only when its response is a stored failure', async () => {
    let failures = 0;
    let nullErrors = 0;
    for (const [id, trace] of fake.traces) {
      const step = (await json(`/v1/steps/${id}`)) as unknown as { status: string; error_type: string | null };
      const failed = (trace.response_json.error ?? null) !== null;
      failures += failed ? 1 : 0;
      nullErrors += 'error' in trace.response_json && trace.response_json.error === null ? 1 : 0;
      assert.equal(step.status, failed ? 'failed' : 'success', id);
      assert.equal(step.error_type === null, !failed, id);
    }
    assert.ok(failures > 0, 'the failed-call fixture is served');
    assert.ok(nullErrors > 0, 'the OpenAI Responses fixture, with "error": null, is served');
  });

  it('pages and filters agents by name', async () => {
    assert.deepEqual((await json('/v1/agents/')).map((a) => a.name), ['Support Bot', 'Research Assistant', 'Memory Tester']);
    assert.deepEqual((await json('/v1/agents/?name=Memory%20Tester')).map((a) => a.name), ['Memory Tester']);
    assert.deepEqual((await json('/v1/agents/?name=Nobody')), []);
    assert.deepEqual((await json(`/v1/agents/?limit=1&after=${fake.agents[0].id}`)).map((a) => a.id), [fake.agents[1].id]);
  });

  it('answers a trace, null for an unknown step, 404 for an unknown step record, 422 for a malformed ID', async () => {
    const [id, trace] = [...fake.traces][0];
    assert.deepEqual(await (await get(`/v1/steps/${id}/trace`)).json(), trace);
    const unknown = 'step-0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a';
    const nothing = await get(`/v1/steps/${unknown}/trace`);
    assert.equal(nothing.status, 200);
    assert.equal(await nothing.text(), 'null');
    assert.equal((await get(`/v1/steps/${unknown}`)).status, 404);
    const bad = await get('/v1/steps/step-1/trace');
    assert.equal(bad.status, 422);
    assert.match(((await bad.json()) as { detail: string }).detail, /string_pattern_mismatch/);
    const metrics = (await (await get(`/v1/steps/${id}/metrics`)).json()) as { id: string; step_ns: number };
    assert.equal(metrics.id, id);
    assert.ok(metrics.step_ns > 0);
  });

  it('checks the bearer key, can run without auth, and logs what each request carried', async () => {
    const wrong = await fetch(`${fake.url}/v1/agents/`, { headers: { authorization: 'Bearer nope', 'x-project': 'p1' } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), { detail: 'Unauthorized' });
    assert.equal((await fetch(`${fake.url}/v1/agents/`)).status, 401);
    fake.apiKey = null;
    assert.equal((await fetch(`${fake.url}/v1/agents/`)).status, 200);
    assert.deepEqual(
      fake.requests.map((r) => [r.path, r.headers.authorization, r.outcome]),
      [
        ['/v1/agents/', 'Bearer nope', 'answered'],
        ['/v1/agents/', undefined, 'answered'],
        ['/v1/agents/', undefined, 'answered'],
      ],
    );
    assert.equal(fake.requests[0].headers['x-project'], 'p1');
  });

  it('applies a fault to the next N matching requests only, by route or path pattern', async () => {
    const [id] = [...fake.traces.keys()];
    fake.setFaults([
      { route: 'trace', status: 503, times: 2 },
      { path: '^/v1/agents', status: 500, body: { detail: 'agents down' } },
    ]);
    assert.equal((await get(`/v1/steps/${id}/trace`)).status, 503);
    assert.equal((await get(`/v1/steps/${id}`)).status, 200, 'another route is untouched');
    assert.equal((await get(`/v1/steps/${id}/trace`)).status, 503);
    assert.equal((await get(`/v1/steps/${id}/trace`)).status, 200, 'spent after 2');
    const agents = await get('/v1/agents/');
    assert.equal(agents.status, 500);
    assert.deepEqual(await agents.json(), { detail: 'agents down' });
    assert.equal((await get('/v1/agents/')).status, 500, 'without times it stays');
    fake.reset();
    assert.equal((await get('/v1/agents/')).status, 200);
    assert.equal(fake.requests.length, 1, 'reset also clears the log');
  });

  it('sends statuses with headers, and delays headers', async () => {
    fake.setFaults([{ route: 'steps', status: 429, headers: { 'retry-after': '7' }, delayMs: 300 }]);
    const started = Date.now();
    const res = await get('/v1/steps/');
    assert.ok(Date.now() - started >= 290);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.deepEqual(await res.json(), { detail: 'Too Many Requests' });
  });

  it('serves broken bodies: HTML with 200, malformed JSON, null for the first N, a reset', async () => {
    const [id, trace] = [...fake.traces][0];
    fake.setFaults([{ route: 'trace', kind: 'html', times: 1 }]);
    const html = await get(`/v1/steps/${id}/trace`);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await html.text(), /^<!DOCTYPE html>/);
    fake.setFaults([{ route: 'trace', kind: 'malformed-json', times: 1 }]);
    const broken = await get(`/v1/steps/${id}/trace`);
    assert.match(broken.headers.get('content-type') ?? '', /application\/json/);
    await assert.rejects(broken.json(), SyntaxError);
    fake.setFaults([{ route: 'trace', kind: 'null', times: 2 }]);
    assert.equal(await (await get(`/v1/steps/${id}/trace`)).text(), 'null');
    assert.equal(await (await get(`/v1/steps/${id}/trace`)).text(), 'null');
    assert.deepEqual(await (await get(`/v1/steps/${id}/trace`)).json(), trace);
    fake.setFaults([{ route: 'trace', kind: 'reset', times: 1 }]);
    await assert.rejects(get(`/v1/steps/${id}/trace`), TypeError);
  });

  it('serves a huge valid body, with or without a length, and a body that stalls halfway', async () => {
    const [id] = [...fake.traces.keys()];
    fake.setFaults([{ route: 'trace', kind: 'huge-body', hugeBytes: 3 * 1024 * 1024, times: 1 }]);
    const huge = await get(`/v1/steps/${id}/trace`);
    assert.ok(Number(huge.headers.get('content-length')) > 3 * 1024 * 1024);
    const body = (await huge.json()) as { request_json: { filler: string } };
    assert.equal(body.request_json.filler.length, 3 * 1024 * 1024);
    fake.setFaults([{ route: 'trace', kind: 'huge-body', hugeBytes: 1024, chunked: true, times: 1 }]);
    const chunked = await get(`/v1/steps/${id}/trace`);
    assert.equal(chunked.headers.get('content-length'), null);
    assert.equal(((await chunked.json()) as { request_json: { filler: string } }).request_json.filler.length, 1024);

    fake.setFaults([{ route: 'trace', kind: 'stall-body', times: 1 }]);
    const abort = new AbortController();
    const stalled = await get(`/v1/steps/${id}/trace`, { signal: abort.signal });
    assert.equal(stalled.status, 200, 'headers arrive');
    setTimeout(() => abort.abort(), 300);
    await assert.rejects(stalled.text(), /abort/i);
    assert.equal(await fake.requests.at(-1)?.settled, 'aborted', 'the fake sees the client go');
  });

  it('serves traces added at run time, in-process or over HTTP', async () => {
    const big = { ...buildLargeTrace(2 * 1024 * 1024), step_id: fakeId('step', 'big-one') };
    fake.addTrace(big);
    assert.deepEqual(await (await get(`/v1/steps/${big.step_id}/trace`)).json(), big);
    assert.equal(fake.steps[0].id, big.step_id, 'its step is the newest');
    const posted = { ...buildLargeTrace(10_000, 'anthropic', 7), step_id: fakeId('step', 'posted') };
    assert.deepEqual(await control('traces', posted), { ok: true, stepId: posted.step_id });
    assert.deepEqual(await (await get(`/v1/steps/${posted.step_id}/trace`)).json(), posted);
    assert.throws(() => fake.addTrace({ request_json: {}, response_json: {}, step_id: 'step-1' }), /valid step_id/);
  });

  it('is driven over HTTP by another process: faults, reset, config, requests, data', async () => {
    const [id] = [...fake.traces.keys()];
    const faults: Fault[] = [{ route: 'trace', status: 502, times: 1 }];
    assert.deepEqual(await control('faults', faults), { ok: true });
    assert.equal((await get(`/v1/steps/${id}/trace`)).status, 502);
    assert.equal((await get(`/v1/steps/${id}/trace`)).status, 200);
    const seen = (await control('requests')) as { path: string; authorization: string | null; headers: Record<string, string>; outcome: string }[];
    assert.equal(seen.length, 2);
    assert.equal(seen[0].path, `/v1/steps/${id}/trace`);
    assert.equal(seen[0].authorization, `Bearer ${KEY}`);
    assert.equal(seen[0].headers.authorization, `Bearer ${KEY}`);
    assert.equal(seen[0].outcome, 'answered');
    assert.deepEqual(await control('config', { apiKey: 'other' }), { ok: true });
    assert.equal(fake.apiKey, 'other');
    assert.equal((await get('/v1/agents/')).status, 401);
    await control('config', { apiKey: null });
    assert.equal((await fetch(`${fake.url}/v1/agents/`)).status, 200);
    const data = (await control('data')) as { agents: { id: string }[]; traceStepIds: string[] };
    assert.deepEqual(data.agents.map((a) => a.id), fake.agents.map((a) => a.id));
    assert.equal(data.traceStepIds.length, fake.traces.size);
    await control('faults', [{ status: 500 }]);
    await control('reset', {});
    assert.equal((await fetch(`${fake.url}/v1/agents/`)).status, 200, 'reset cleared the faults');
    assert.equal(((await control('requests')) as unknown[]).length, 1);
  });

  it('runs from the command line, printing one JSON line with its URL, and stops on SIGTERM', async () => {
    const cli = path.join(__dirname, '..', 'fakeLetta', 'cli.js');
    const child = spawn(process.execPath, [cli, '--port', '0', '--key', 'cli-key', '--agents', '2', '--steps', '4'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) {
            resolve(out.split('\n')[0]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const info = JSON.parse(line) as { url: string; apiKey: string; agents: number };
      assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(info.apiKey, 'cli-key');
      assert.equal(info.agents, 2);
      const agents = await fetch(`${info.url}/v1/agents/`, { headers: { authorization: 'Bearer cli-key' } });
      assert.equal(((await agents.json()) as unknown[]).length, 2);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
      }
    }
  });
});

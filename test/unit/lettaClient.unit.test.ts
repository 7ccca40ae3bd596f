// The API client against the fake server over real HTTP: every error path, retries, cancellation,
// deadlines, the size cap, and where the key goes.
import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { createLettaClient, type LettaClientOptions } from '../../src/core/lettaClient';
import { nodeFetch } from '../../src/core/httpTransport';
import { LettaApiError, type LettaApiErrorKind } from '../../src/core/lettaApi';
import { startFakeLetta, type FakeLetta } from '../fakeLetta/server';

describe('lettaClient', () => {
  let fake: FakeLetta;
  let stepId: string;

  before(async () => {
    fake = await startFakeLetta({ stepsPerAgent: 30 });
    stepId = [...fake.traces.keys()][0];
  });
  after(() => fake.close());
  afterEach(() => fake.reset());

  const client = (options: Partial<LettaClientOptions> = {}) =>
    createLettaClient({ baseUrl: fake.url, apiKey: 'fake-key', fetch: nodeFetch, timeoutMs: 1000, nullTraceRetryDelayMs: 20, ...options });

  async function failure(promise: Promise<unknown>, kind: LettaApiErrorKind): Promise<LettaApiError> {
    const error = await promise.then(
      () => assert.fail(`expected a ${kind} error`),
      (e: unknown) => e,
    );
    assert.ok(error instanceof LettaApiError, String(error));
    assert.equal(error.kind, kind, error.message);
    assert.ok(!error.message.includes('fake-key'), 'no key in messages');
    return error;
  }

  it('gets a trace, with the key as a bearer token', async () => {
    const trace = await client().getTrace(stepId);
    assert.deepEqual(trace, fake.traces.get(stepId));
    assert.equal(fake.requests[0].headers.authorization, 'Bearer fake-key');
    assert.equal(fake.requests[0].path, `/v1/steps/${stepId}/trace`);
  });

  it('accepts the base URL with a trailing slash or /v1', async () => {
    for (const baseUrl of [`${fake.url}/`, `${fake.url}/v1`, `${fake.url}/v1/`]) {
      assert.equal((await client({ baseUrl }).getTrace(stepId)).step_id, stepId);
    }
  });

  it('refuses a malformed step ID before any request', async () => {
    const error = await failure(client().getTrace('step-123'), 'invalid-request');
    assert.match(error.message, /41 characters/);
    assert.equal(fake.requests.length, 0);
  });

  it('null with 200 is retried once, then reported as no trace with the likely reasons', async () => {
    const error = await failure(client().getTrace('step-0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a'), 'no-trace');
    assert.match(error.message, /provider tracing is off/);
    assert.match(error.message, /another server, project or organisation/);
    assert.equal(fake.requests.length, 2);
  });

  it('a trace written just after the step is found by the retry', async () => {
    fake.setFaults([{ route: 'trace', kind: 'null', times: 1 }]);
    assert.equal((await client().getTrace(stepId)).step_id, stepId);
    assert.equal(fake.requests.length, 2);
  });

  it('401 → unauthorized, naming the host', async () => {
    const error = await failure(client({ apiKey: 'wrong' }).getTrace(stepId), 'unauthorized');
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${fake.port} rejected the API key`));
    assert.equal(error.details.status, 401);
  });

  it('422 → the server detail, in the real server form and in the spec list form', async () => {
    fake.setFaults([{ route: 'trace', status: 422, body: { trace_id: '', detail: 'String should match pattern', examples: [] }, times: 1 }]);
    assert.match((await failure(client().getTrace(stepId), 'invalid-request')).message, /HTTP 422\): String should match pattern/);
    fake.setFaults([{ route: 'trace', status: 422, body: { detail: [{ loc: ['path', 'step_id'], msg: 'bad pattern', type: 'x' }] }, times: 1 }]);
    assert.match((await failure(client().getTrace(stepId), 'invalid-request')).message, /path\.step_id: bad pattern/);
  });

  it('404 → not found with the detail', async () => {
    fake.setFaults([{ route: 'trace', status: 404, body: { detail: 'Step not found' } }]);
    assert.match((await failure(client().getTrace(stepId), 'not-found')).message, /Step not found/);
  });

  it('5xx is retried with backoff, then reported; 429 honours Retry-After', async () => {
    fake.setFaults([{ route: 'trace', status: 502, times: 2 }]);
    assert.equal((await client().getTrace(stepId)).step_id, stepId, 'recovers within the retries');
    assert.equal(fake.requests.length, 3);
    fake.reset();
    fake.setFaults([{ route: 'trace', status: 500, body: { detail: 'An unknown error occurred' } }]);
    assert.match((await failure(client({ maxRetries: 1 }).getTrace(stepId), 'server-error')).message, /An unknown error occurred/);
    fake.reset();
    fake.setFaults([{ route: 'trace', status: 429, headers: { 'retry-after': '1' } }]);
    const started = Date.now();
    const error = await failure(client({ maxRetries: 1 }).getTrace(stepId), 'rate-limited');
    assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
    assert.match(error.message, /Try again in 1 s/);
  });

  it('an HTML page with 200, malformed JSON, or a trace that is not an object → bad-response', async () => {
    fake.setFaults([{ route: 'trace', kind: 'html', times: 1 }]);
    assert.match((await failure(client().getTrace(stepId), 'bad-response')).message, /HTML page/);
    fake.setFaults([{ route: 'trace', kind: 'malformed-json', times: 1 }]);
    assert.match((await failure(client().getTrace(stepId), 'bad-response')).message, /malformed JSON/);
    fake.setFaults([{ route: 'trace', status: 200, body: { request_json: 'a string', response_json: {} }, times: 1 }]);
    assert.match((await failure(client().getTrace(stepId), 'bad-response')).message, /request_json or response_json is not a JSON object/);
  });

  it('a body over the size cap is refused with the setting to change', async () => {
    fake.setFaults([{ route: 'trace', kind: 'huge-body', hugeBytes: 3 * 1024 * 1024 }]);
    const error = await failure(client({ maxBodyBytes: 1024 * 1024 }).getTrace(stepId), 'too-large');
    assert.match(error.message, /letta\.maxTraceSizeMB/);
  });

  it('slow headers and a body that stalls halfway both time out, naming the host', async () => {
    fake.setFaults([{ route: 'trace', delayMs: 3000 }]);
    assert.match((await failure(client({ maxRetries: 0, timeoutMs: 300 }).getTrace(stepId), 'timeout')).message, /did not answer within/);
    fake.setFaults([{ route: 'trace', kind: 'stall-body' }]);
    const started = Date.now();
    await failure(client({ maxRetries: 0, timeoutMs: 300 }).getTrace(stepId), 'timeout');
    assert.ok(Date.now() - started < 2000);
  });

  it('refused connections and resets are network errors naming the host', async () => {
    const dead = createLettaClient({ baseUrl: 'http://127.0.0.1:9', fetch: nodeFetch, maxRetries: 0 });
    assert.match((await failure(dead.getTrace(stepId), 'network')).message, /127\.0\.0\.1:9: connection refused/);
    fake.setFaults([{ route: 'trace', kind: 'reset' }]);
    assert.match((await failure(client({ maxRetries: 0 }).getTrace(stepId), 'network')).message, /reset/);
  });

  it('cancelling aborts the request at once and frees the connection', async () => {
    fake.setFaults([{ route: 'trace', delayMs: 5000 }]);
    const abort = new AbortController();
    const pending = client({ timeoutMs: 10_000 }).getTrace(stepId, { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    const started = Date.now();
    await failure(pending, 'cancelled');
    assert.ok(Date.now() - started < 500);
  });

  it('cancelling during a retry wait returns at once', async () => {
    fake.setFaults([{ route: 'trace', status: 429, headers: { 'retry-after': '30' } }]);
    const abort = new AbortController();
    const pending = client().getTrace(stepId, { signal: abort.signal });
    setTimeout(() => abort.abort(), 200);
    const started = Date.now();
    await failure(pending, 'cancelled');
    assert.ok(Date.now() - started < 1000);
  });

  it('without a key, no Authorization header is sent', async () => {
    fake.apiKey = null;
    try {
      await createLettaClient({ baseUrl: fake.url, fetch: nodeFetch }).getTrace(stepId);
      assert.equal(fake.requests[0].headers.authorization, undefined);
    } finally {
      fake.apiKey = 'fake-key';
    }
  });

  it('LETTA_* environment variables change neither the server, the key nor the headers', async () => {
    const saved = { ...process.env };
    process.env.LETTA_BASE_URL = 'http://127.0.0.1:9';
    process.env.LETTA_API_KEY = 'env-key';
    process.env.LETTA_CUSTOM_HEADERS = 'X-Leak: yes\nAuthorization: Bearer env-key';
    try {
      await client().getTrace(stepId);
      fake.apiKey = null;
      await createLettaClient({ baseUrl: fake.url, fetch: nodeFetch }).getTrace(stepId);
    } finally {
      process.env = saved;
      fake.apiKey = 'fake-key';
    }
    assert.equal(fake.requests[0].headers.authorization, 'Bearer fake-key');
    assert.equal(fake.requests[1].headers.authorization, undefined);
    assert.ok(fake.requests.every((r) => r.headers['x-leak'] === undefined));
  });

  it('sends the project as X-Project', async () => {
    await client({ project: 'my-project' }).getTrace(stepId);
    assert.equal(fake.requests[0].headers['x-project'], 'my-project');
  });

  it('lists steps one page at a time with cursors, and agents by name', async () => {
    const agentId = fake.agents[0].id;
    const api = client();
    const first = await api.listSteps({ agentId, limit: 10 });
    assert.equal(first.length, 10);
    const second = await api.listSteps({ agentId, limit: 10, after: first.at(-1)?.id });
    assert.equal(second.length, 10);
    assert.equal(new Set([...first, ...second].map((s) => s.id)).size, 20);
    assert.deepEqual(fake.requests.at(-1)?.query, { agent_id: agentId, limit: '10', after: first.at(-1)?.id });
    const agents = await api.listAgents({ name: 'Research Assistant' });
    assert.deepEqual(agents.map((a) => a.name), ['Research Assistant']);
    const step = await api.getStep(first[0].id);
    assert.equal(step.id, first[0].id);
  });
});

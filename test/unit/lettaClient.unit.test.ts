// The API client against the fake server over real HTTP: every error path, retries, cancellation,
// deadlines, the size cap, and where the key goes (and does not).
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { createLettaClient, type LettaClientOptions } from '../../src/core/lettaClient';
import { createTransport, describeBodyTiming, nodeFetch, OffOriginError } from '../../src/core/httpTransport';
import { LettaApiError, type LettaApiErrorKind } from '../../src/core/lettaApi';
import { expectFailure } from './expectFailure';
import { SELF_SIGNED_CERT, SELF_SIGNED_KEY } from '../fakeLetta/selfSignedCert';
import { startFakeLetta, type FakeLetta } from '../fakeLetta/server';

const KEY = 'fake-key';
const UNKNOWN_STEP = 'step-0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a';
const MB = 1024 * 1024;

describe('lettaClient', () => {
  let fake: FakeLetta;
  let stepId: string;
  let host: string;
  const logged: string[] = [];

  before(async () => {
    fake = await startFakeLetta({ stepsPerAgent: 30 });
    stepId = [...fake.traces.keys()][0];
    host = `127.0.0.1:${fake.port}`;
    // Loads node-fetch and the SDK once, so the short deadlines below time the server, not module loading.
    await client().listAgents({ limit: 1 });
    fake.reset();
    logged.length = 0;
  });
  after(() => fake.close());
  afterEach(() => {
    fake.reset();
    fake.apiKey = KEY;
    assert.ok(logged.every((line) => !line.includes(KEY)), 'the log never sees the key');
    logged.length = 0;
  });

  const client = (options: Partial<LettaClientOptions> = {}) =>
    createLettaClient({ baseUrl: fake.url, apiKey: KEY, fetch: nodeFetch, timeoutMs: 10_000, nullTraceRetryDelayMs: 20, log: (m) => logged.push(m), ...options });

  async function failure(promise: Promise<unknown>, kind: LettaApiErrorKind): Promise<LettaApiError> {
    const error = await expectFailure(promise, kind);
    assert.ok(!error.message.includes(KEY), 'no key in messages');
    return error;
  }

  const traceRequests = () => fake.requests.filter((r) => r.path.endsWith('/trace'));

  /** Resolves once the fake has seen `count` requests: cancel tests abort only then. */
  async function requestsSeen(count: number): Promise<void> {
    for (const until = Date.now() + 10_000; fake.requests.length < count; ) {
      assert.ok(Date.now() < until, `the fake saw ${fake.requests.length} of ${count} requests`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('gets a trace with the key as a bearer token and only our headers', async () => {
    const trace = await client().getTrace(stepId);
    assert.deepEqual(trace, fake.traces.get(stepId));
    const [request] = fake.requests;
    assert.equal(request.path, `/v1/steps/${stepId}/trace`);
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(Object.keys(request.headers).sort(), ['accept', 'accept-encoding', 'authorization', 'connection', 'host', 'user-agent']);
    assert.ok(logged.some((l) => l.startsWith(`GET trace ${stepId} → ok`)));
  });

  it("logs where a trace's time went: its size, headers, body read, cost check and parse", async () => {
    await client().getTrace(stepId);
    const line = logged.find((l) => l.startsWith(`GET /v1/steps/${stepId}/trace: `));
    assert.ok(line, `a timing line among: ${logged.join(' | ')}`);
    const m = /: ([\d.]+ (?:B|KB|MB)); headers (\d+) ms, body read (\d+) ms, cost check (\d+) ms, parse (\d+) ms$/.exec(line);
    assert.ok(m, line);
    const served = Buffer.byteLength(JSON.stringify(fake.traces.get(stepId)));
    assert.equal(m[1], describeBodyTiming({ method: 'GET', path: '/', bytes: served, headersMs: 0, readMs: 0, checkMs: 0 }).split(': ')[1].split(';')[0]);
  });

  it('formats a body timing: sizes in B, KB or MB, phases rounded, parse only when parsed', () => {
    const t = { method: 'GET', path: '/v1/steps/x/trace', bytes: 44_040_192, headersMs: 11.6, readMs: 309.2, checkMs: 35.5, parseMs: 240.4 };
    assert.equal(describeBodyTiming(t), 'GET /v1/steps/x/trace: 42.0 MB; headers 12 ms, body read 309 ms, cost check 36 ms, parse 240 ms');
    assert.equal(describeBodyTiming({ ...t, bytes: 2048, parseMs: undefined }), 'GET /v1/steps/x/trace: 2.0 KB; headers 12 ms, body read 309 ms, cost check 36 ms');
    assert.equal(describeBodyTiming({ ...t, bytes: 17 }).split(';')[0], 'GET /v1/steps/x/trace: 17 B');
  });

  it('accepts the base URL with a trailing slash or /v1, and refuses a bad one', async () => {
    for (const baseUrl of [`${fake.url}/`, `${fake.url}/v1`, `${fake.url}/v1/`]) {
      assert.equal((await client({ baseUrl }).getTrace(stepId)).step_id, stepId);
    }
    assert.deepEqual(
      fake.requests.map((r) => r.path),
      Array(3).fill(`/v1/steps/${stepId}/trace`),
    );
    assert.throws(() => client({ baseUrl: 'ftp://example.com' }), (e: unknown) => e instanceof LettaApiError && e.kind === 'invalid-request' && /https:\/\//.test(e.message));
  });

  it('refuses a malformed step ID before any request', async () => {
    const error = await failure(client().getTrace('step-123'), 'invalid-request');
    assert.match(error.message, /41 characters/);
    await failure(client().getStep('agent-123'), 'invalid-request');
    assert.equal(fake.requests.length, 0);
  });

  it('setFeedback sends PATCH /v1/steps/{id}/feedback with the feedback and tags, and returns the step', async () => {
    const target = fake.steps[5].id;
    const step = await client().setFeedback(target, 'negative', ['wrong-tool', 'slow']);
    assert.equal(step.id, target);
    assert.equal(step.feedback, 'negative');
    assert.deepEqual(step.tags, ['wrong-tool', 'slow']);
    assert.deepEqual(fake.feedbackBodies, [{ stepId: target, body: { feedback: 'negative', tags: ['wrong-tool', 'slow'] } }]);
    const [request] = fake.requests;
    assert.equal(request.method, 'PATCH');
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    // null clears it; without tags the body has none (the step keeps its tags).
    const cleared = await client().setFeedback(target, null);
    assert.equal(cleared.feedback, null);
    assert.deepEqual(cleared.tags, ['wrong-tool', 'slow']);
    assert.deepEqual(fake.feedbackBodies[1].body, { feedback: null });
    assert.equal((await client().getStep(target)).feedback, null);
  });

  it('setFeedback refuses a bad step ID or value before any request, and maps 404', async () => {
    await failure(client().setFeedback('step-123', 'positive'), 'invalid-request');
    await failure(client().setFeedback(fake.steps[0].id, 'meh' as 'positive'), 'invalid-request');
    assert.equal(fake.requests.length, 0);
    await failure(client().setFeedback(UNKNOWN_STEP, 'positive'), 'not-found');
  });

  it('null with 200 is retried once after a short delay, then reported with the likely reasons', async () => {
    const started = Date.now();
    const error = await failure(client({ nullTraceRetryDelayMs: 150 }).getTrace(UNKNOWN_STEP), 'no-trace');
    assert.ok(Date.now() - started >= 140, 'waited before the second try');
    assert.equal(traceRequests().length, 2);
    assert.match(error.message, new RegExp(`^No trace was recorded for ${UNKNOWN_STEP} on ${host}\\.`));
    assert.match(error.message, /provider tracing is off/);
    assert.match(error.message, /another server, project or organisation/);
    assert.match(error.message, /finished moments ago/);
  });

  it('a trace written just after the step is found by the retry', async () => {
    fake.setFaults([{ route: 'trace', kind: 'null', times: 1 }]);
    assert.equal((await client().getTrace(stepId)).step_id, stepId);
    assert.equal(traceRequests().length, 2);
  });

  it('401 with a key → "rejected the API key"; without a key → "needs an API key"; 403 too', async () => {
    const rejected = await failure(client({ apiKey: 'wrong' }).getTrace(stepId), 'unauthorized');
    assert.match(rejected.message, new RegExp(`^${host} rejected the API key \\(HTTP 401: Unauthorized\\)`));
    assert.match(rejected.message, /Letta: Set API Key/);
    assert.ok(!rejected.message.includes('wrong'));
    assert.equal(rejected.details.status, 401);
    const missing = await failure(client({ apiKey: undefined }).getTrace(stepId), 'unauthorized');
    assert.match(missing.message, new RegExp(`^${host} needs an API key`));
    fake.setFaults([{ route: 'trace', status: 403, body: { detail: 'Forbidden for this project' } }]);
    assert.match((await failure(client().getTrace(stepId), 'unauthorized')).message, /HTTP 403: Forbidden for this project/);
    assert.equal(traceRequests().length, 3, 'never retried');
  });

  it('422 → the server detail, in the real server form and in the spec list form', async () => {
    fake.setFaults([{ route: 'trace', status: 422, body: { trace_id: '', detail: 'String should match pattern', examples: [] }, times: 1 }]);
    assert.match((await failure(client().getTrace(stepId), 'invalid-request')).message, /HTTP 422: String should match pattern/);
    fake.setFaults([{ route: 'trace', status: 422, body: { detail: [{ loc: ['path', 'step_id'], msg: 'bad pattern', type: 'x' }] }, times: 1 }]);
    assert.match((await failure(client().getTrace(stepId), 'invalid-request')).message, /path\.step_id: bad pattern/);
    fake.setFaults([{ route: 'trace', status: 400, body: { detail: 'Bad request' }, times: 1 }]);
    assert.match((await failure(client().getTrace(stepId), 'invalid-request')).message, /HTTP 400: Bad request/);
  });

  it('404 → not found with the server detail', async () => {
    const error = await failure(client().getStep(UNKNOWN_STEP), 'not-found');
    assert.match(error.message, new RegExp(`HTTP 404: Step with id ${UNKNOWN_STEP} not found`));
    assert.equal(error.details.detail, `Step with id ${UNKNOWN_STEP} not found`);
  });

  it('5xx is retried with backoff and recovers, or is reported after the retries', async () => {
    fake.setFaults([{ route: 'trace', status: 502, times: 2 }]);
    assert.equal((await client().getTrace(stepId)).step_id, stepId, 'recovers within the retries');
    assert.equal(traceRequests().length, 3);
    assert.ok(logged.some((l) => /server-error \(HTTP 502: Bad Gateway\); retry 1 of 2 in \d+ ms/.test(l)), logged.join('\n'));
    fake.reset();
    fake.setFaults([{ route: 'trace', status: 500, body: { detail: 'An unknown error occurred' } }]);
    const error = await failure(client({ maxRetries: 1 }).getTrace(stepId), 'server-error');
    assert.match(error.message, new RegExp(`^${host} had an internal error \\(HTTP 500: An unknown error occurred\\)`));
    assert.equal(traceRequests().length, 2);
    fake.reset();
    fake.setFaults([{ route: 'trace', kind: 'html', status: 502 }]);
    assert.match((await failure(client({ maxRetries: 0 }).getTrace(stepId), 'server-error')).message, /HTTP 502: an HTML page \("502 Bad Gateway"/);
  });

  it('429 waits as long as Retry-After says, then reports when to try again', async () => {
    fake.setFaults([{ route: 'trace', status: 429, headers: { 'retry-after': '1' } }]);
    const started = Date.now();
    const error = await failure(client({ maxRetries: 1 }).getTrace(stepId), 'rate-limited');
    assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
    assert.equal(traceRequests().length, 2);
    assert.match(error.message, new RegExp(`^${host} is limiting requests \\(HTTP 429: Too Many Requests\\)\\. Try again in 1 s\\.`));
    fake.reset();
    fake.setFaults([{ route: 'trace', status: 429, headers: { 'retry-after-ms': '50' }, times: 1 }]);
    assert.equal((await client().getTrace(stepId)).step_id, stepId, 'recovers after a retry-after-ms wait');
  });

  it('a huge Retry-After (seconds or a date) is reported at once instead of slept through', async () => {
    fake.setFaults([{ route: 'trace', status: 429, headers: { 'retry-after': '600' } }]);
    let started = Date.now();
    assert.match((await failure(client().getTrace(stepId), 'rate-limited')).message, /Try again in 600 s\./);
    assert.ok(Date.now() - started < 3000);
    assert.equal(traceRequests().length, 1);
    fake.setFaults([{ route: 'trace', status: 503, headers: { 'retry-after': new Date(Date.now() + 120_000).toUTCString() } }]);
    started = Date.now();
    await failure(client().getTrace(stepId), 'server-error');
    assert.ok(Date.now() - started < 3000);
    assert.equal(traceRequests().length, 2);
  });

  it('an HTML page or malformed JSON with 200, or a trace that is not an object → bad-response saying what came', async () => {
    fake.setFaults([{ route: 'trace', kind: 'html', times: 1 }]);
    let error = await failure(client().getTrace(stepId), 'bad-response');
    assert.match(error.message, new RegExp(`^${host} sent an HTML page \\("502 Bad Gateway"; .*\\) instead of a trace`));
    fake.setFaults([{ route: 'trace', kind: 'malformed-json', times: 1 }]);
    error = await failure(client().getTrace(stepId), 'bad-response');
    assert.match(error.message, /sent malformed JSON \("\{"request_json": \{"model": "gpt-4\.1", "messages": \["\)/);
    fake.setFaults([{ route: 'trace', status: 200, body: { request_json: 'a string', response_json: {} }, times: 1 }]);
    assert.match((await failure(client().getTrace(stepId), 'bad-response')).message, /request_json is text \("a string"\), not a JSON object/);
    fake.setFaults([{ route: 'trace', status: 200, body: { request_json: {}, response_json: [1] }, times: 1 }]);
    assert.match((await failure(client().getTrace(stepId), 'bad-response')).message, /response_json is a JSON array/);
    fake.setFaults([{ route: 'trace', status: 200, body: 'Hello\u0000\u001b[31m from a proxy ' + 'x'.repeat(200), times: 1 }]);
    error = await failure(client().getTrace(stepId), 'bad-response');
    assert.match(error.message, /text \("Hello \[31m from a proxy x+…"\)/);
    assert.ok(error.message.length < 250 && !/[\u0000\u001b]/.test(error.message), 'sanitised and truncated');
    fake.setFaults([{ route: 'steps', status: 200, body: { not: 'a list' }, times: 1 }]);
    assert.match((await failure(client().listSteps({}), 'bad-response')).message, /a JSON object instead of a list of steps/);
  });

  it('a body over the size cap is refused with its size and the setting to change, without reading it', async () => {
    fake.setFaults([{ route: 'trace', kind: 'huge-body', hugeBytes: 30 * MB }]);
    const error = await failure(client({ maxBodyBytes: MB }).getTrace(stepId), 'too-large');
    assert.match(error.message, new RegExp(`^The answer from ${host} is 30 MB, over the 1 MB limit\\. Raise "letta\\.maxTraceSizeMB"`));
    assert.equal(await fake.requests[0].settled, 'aborted', 'the connection was dropped before the body was sent');
    assert.equal(traceRequests().length, 1, 'not retried');
  });

  it('a body without a length is cut off at the cap', async () => {
    fake.setFaults([{ route: 'trace', kind: 'huge-body', hugeBytes: 5 * MB, chunked: true }]);
    const error = await failure(client({ maxBodyBytes: MB }).getTrace(stepId), 'too-large');
    assert.match(error.message, /is larger than the 1 MB limit/);
    assert.equal(await fake.requests[0].settled, 'aborted');
  });

  it('slow headers and a body that stalls halfway time out, naming the host and the limit', async () => {
    fake.setFaults([{ route: 'trace', delayMs: 3000 }]);
    const error = await failure(client({ maxRetries: 0, timeoutMs: 1000 }).getTrace(stepId), 'timeout');
    assert.match(error.message, new RegExp(`^${host} did not answer within 1 s`));
    assert.match(error.message, /letta\.requestTimeoutSeconds/);
    assert.equal(await fake.requests[0].settled, 'aborted');
    fake.reset();
    fake.setFaults([{ route: 'trace', kind: 'stall-body' }]);
    const started = Date.now();
    await failure(client({ maxRetries: 0, timeoutMs: 1500 }).getTrace(stepId), 'timeout');
    assert.ok(Date.now() - started >= 1400 && Date.now() - started < 5000);
    assert.equal(await fake.requests[0].settled, 'aborted');
  });

  it('a per-call timeout, shorter or longer than the client one, bounds a stalled body', async () => {
    fake.setFaults([{ route: 'trace', kind: 'stall-body' }]);
    let started = Date.now();
    let error = await failure(client({ timeoutMs: 10_000 }).getTrace(stepId, { timeoutMs: 500, maxRetries: 0 }), 'timeout');
    assert.ok(Date.now() - started < 5000);
    assert.match(error.message, /within 500 ms/);
    started = Date.now();
    error = await failure(client({ timeoutMs: 300 }).getTrace(stepId, { timeoutMs: 1500, maxRetries: 0 }), 'timeout');
    assert.ok(Date.now() - started >= 1400, 'the longer per-call deadline applies');
    assert.match(error.message, /within 1\.5 s/);
  });

  it('refused connections and resets are network errors naming the host; a reset is retried', async () => {
    const dead = createLettaClient({ baseUrl: 'http://127.0.0.1:9', fetch: nodeFetch, log: (m) => logged.push(m) });
    assert.match((await failure(dead.getTrace(stepId), 'network')).message, /^Could not reach 127\.0\.0\.1:9: connection refused/);
    assert.deepEqual(logged.filter((l) => l.includes('retry')), [], 'a refused connection is not retried');
    fake.setFaults([{ route: 'trace', kind: 'reset' }]);
    assert.match((await failure(client({ maxRetries: 1 }).getTrace(stepId), 'network')).message, new RegExp(`^Could not reach ${host}: the connection was reset`));
    assert.equal(traceRequests().length, 2);
    fake.reset();
    fake.setFaults([{ route: 'trace', kind: 'reset', times: 1 }]);
    assert.equal((await client().getTrace(stepId)).step_id, stepId);
  });

  it('TLS failures are network errors that say why: a self-signed certificate, or https to an http server', async () => {
    const server = https.createServer({ key: SELF_SIGNED_KEY, cert: SELF_SIGNED_CERT }, (_req, res) => res.end('[]'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const selfSigned = createLettaClient({ baseUrl: `https://127.0.0.1:${port}`, apiKey: KEY, fetch: nodeFetch });
      const error = await failure(selfSigned.listAgents({}), 'network');
      assert.match(error.message, new RegExp(`^Could not reach 127\\.0\\.0\\.1:${port}: its TLS certificate was not accepted \\(DEPTH_ZERO_SELF_SIGNED_CERT\\)`));
    } finally {
      server.close();
    }
    const wrongScheme = createLettaClient({ baseUrl: fake.url.replace('http:', 'https:'), fetch: nodeFetch, maxRetries: 0 });
    assert.match((await failure(wrongScheme.listAgents({}), 'network')).message, /no TLS connection could be set up .*http:\/\/ rather than https:\/\//);
  });

  it('a DNS failure names the host', async () => {
    const nowhere = createLettaClient({ baseUrl: 'http://no-such-host.invalid', fetch: nodeFetch, maxRetries: 0 });
    assert.match((await failure(nowhere.getTrace(stepId), 'network')).message, /^Could not reach no-such-host\.invalid: the host name was not found/);
  });

  it('cancelling aborts the request at once and the server sees the connection close', async () => {
    fake.setFaults([{ route: 'trace', delayMs: 5000 }]);
    const abort = new AbortController();
    const pending = client({ timeoutMs: 10_000 }).getTrace(stepId, { signal: abort.signal });
    await requestsSeen(1);
    const started = Date.now();
    abort.abort();
    assert.match((await failure(pending, 'cancelled')).message, /cancelled/);
    assert.ok(Date.now() - started < 2500);
    assert.equal(await fake.requests[0].settled, 'aborted');
  });

  it('cancelling during a stalled body or a retry wait returns at once', async () => {
    fake.setFaults([{ route: 'trace', kind: 'stall-body' }]);
    let abort = new AbortController();
    let pending = client({ timeoutMs: 10_000 }).getTrace(stepId, { signal: abort.signal });
    await requestsSeen(1);
    setTimeout(() => abort.abort(), 100);
    await failure(pending, 'cancelled');
    assert.equal(await fake.requests[0].settled, 'aborted');
    fake.reset();
    fake.setFaults([{ route: 'trace', status: 429, headers: { 'retry-after': '5' } }]);
    abort = new AbortController();
    pending = client().getTrace(stepId, { signal: abort.signal });
    await requestsSeen(1);
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    abort.abort();
    await failure(pending, 'cancelled');
    assert.ok(Date.now() - started < 2500);
    assert.equal(traceRequests().length, 1, 'no request after the cancel');
  });

  it('an already cancelled call sends nothing', async () => {
    await failure(client().getTrace(stepId, { signal: AbortSignal.abort() }), 'cancelled');
    await failure(client().listAgents({}, { signal: AbortSignal.abort() }), 'cancelled');
    assert.equal(fake.requests.length, 0);
  });

  it('without a key, no Authorization header is sent (a server without a password)', async () => {
    fake.apiKey = null;
    for (const apiKey of [undefined, '']) {
      await createLettaClient({ baseUrl: fake.url, apiKey, fetch: nodeFetch }).getTrace(stepId);
    }
    assert.equal(fake.requests.length, 2);
    assert.ok(fake.requests.every((r) => !('authorization' in r.headers)));
  });

  it('LETTA_* environment variables change neither the server, the key, the project nor the headers', async () => {
    const saved = { ...process.env };
    const consoleLines: unknown[] = [];
    process.env.LETTA_BASE_URL = 'http://127.0.0.1:9';
    process.env.LETTA_API_KEY = 'env-key';
    process.env.LETTA_LOG = 'debug';
    process.env.LETTA_CUSTOM_HEADERS = 'X-Leak: yes\nAuthorization: Bearer env-key\nX-Project: env-project\nUser-Agent: env';
    const originals = { log: console.log, info: console.info, debug: console.debug, warn: console.warn };
    console.log = console.info = console.debug = console.warn = (...args: unknown[]) => consoleLines.push(args);
    try {
      await client().getTrace(stepId);
      await client({ project: 'mine' }).getTrace(stepId);
      fake.apiKey = null;
      await createLettaClient({ baseUrl: fake.url, fetch: nodeFetch }).getTrace(stepId);
    } finally {
      process.env = saved;
      Object.assign(console, originals);
    }
    assert.equal(fake.requests.length, 3, 'every request reached the configured server');
    assert.equal(fake.requests[0].headers.authorization, `Bearer ${KEY}`);
    assert.equal(fake.requests[1].headers['x-project'], 'mine');
    assert.equal(fake.requests[2].headers.authorization, undefined);
    for (const r of fake.requests) {
      assert.equal(r.headers['x-leak'], undefined);
      assert.notEqual(r.headers['user-agent'], 'env');
    }
    assert.equal(fake.requests[0].headers['x-project'], undefined);
    assert.deepEqual(consoleLines, [], 'LETTA_LOG did not turn on the SDK logger');
  });

  it('sends the project as X-Project', async () => {
    await client({ project: 'my-project' }).getTrace(stepId);
    assert.equal(fake.requests[0].headers['x-project'], 'my-project');
  });

  it('the key goes only to the configured origin: a redirect elsewhere (even another port) is not followed', async () => {
    const other = await startFakeLetta({ apiKey: null, agents: 1, stepsPerAgent: 1 });
    try {
      fake.setFaults([{ route: 'trace', status: 307, headers: { location: `${other.url}/v1/steps/${stepId}/trace` } }]);
      const error = await failure(client().getTrace(stepId), 'bad-response');
      assert.match(error.message, new RegExp(`^${host} redirected the request to ${other.url.replace(/\./g, '\\.')}; it was not followed`));
      assert.equal(other.requests.length, 0);
      // Same origin: followed, with the key.
      fake.setFaults([{ route: 'trace', status: 302, headers: { location: 'http://[bad' }, times: 1 }]);
      assert.match((await failure(client().getTrace(stepId), 'bad-response')).message, /redirected the request to an invalid address \("http:\/\/\[bad"\)/);
      fake.setFaults([{ route: 'trace', status: 308, headers: { location: `/v1/steps/${stepId}/trace/` }, times: 1 }]);
      assert.equal((await client().getTrace(stepId)).step_id, stepId);
      assert.equal(fake.requests.at(-1)?.path, `/v1/steps/${stepId}/trace/`);
      assert.equal(fake.requests.at(-1)?.headers.authorization, `Bearer ${KEY}`);
    } finally {
      await other.close();
    }
  });

  it('the transport itself sends nothing to another origin, whatever URL it is handed', async () => {
    const other = await startFakeLetta({ apiKey: null, agents: 1, stepsPerAgent: 1 });
    const fetched: string[] = [];
    const transport = createTransport({
      origin: new URL(fake.url).origin,
      apiKey: KEY,
      maxBodyBytes: MB,
      timeoutMs: 10_000,
      fetch: (url, init) => {
        fetched.push(url);
        return nodeFetch(url, init);
      },
    });
    try {
      // Another port, another host name for the same machine, another scheme: each is another origin.
      for (const url of [`${other.url}/v1/steps/${stepId}/trace`, `http://localhost:${fake.port}/v1/steps/${stepId}/trace`, `https://127.0.0.1:${fake.port}/v1/steps/${stepId}/trace`]) {
        await assert.rejects(transport(url), (e: unknown) => e instanceof OffOriginError && !e.redirected, url);
      }
      assert.deepEqual(fetched, [], 'fetch was never called');
      assert.equal(other.requests.length, 0);
      assert.equal(fake.requests.length, 0);
      // The configured origin is fetched, with the key.
      const response = await transport(`${fake.url}/v1/steps/${stepId}/trace`);
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { step_id?: string }).step_id, stepId);
      assert.equal(fake.requests[0]?.headers.authorization, `Bearer ${KEY}`);
    } finally {
      await other.close();
    }
  });

  it('lists steps one page at a time with cursors either way, and agents by name', async () => {
    const agentId = fake.agents[0].id;
    const mine = fake.steps.filter((s) => s.agent_id === agentId);
    const api = client();
    const first = await api.listSteps({ agentId, limit: 10 });
    assert.deepEqual(first.map((s) => s.id), mine.slice(0, 10).map((s) => s.id), 'newest first');
    const second = await api.listSteps({ agentId, limit: 10, after: first.at(-1)?.id });
    assert.deepEqual(second.map((s) => s.id), mine.slice(10, 20).map((s) => s.id));
    assert.deepEqual(fake.requests.at(-1)?.query, { agent_id: agentId, limit: '10', after: first.at(-1)?.id });
    const back = await api.listSteps({ agentId, limit: 5, before: second[0].id });
    assert.deepEqual(back.map((s) => s.id), mine.slice(5, 10).map((s) => s.id));
    const oldest = await api.listSteps({ agentId, limit: 3, order: 'asc' });
    assert.deepEqual(oldest.map((s) => s.id), mine.slice(-3).reverse().map((s) => s.id));
    assert.equal(fake.requests.length, 4, 'one request per page, never auto-paging');
    const agents = await api.listAgents({ name: 'Research Assistant' });
    assert.deepEqual(agents.map((a) => a.name), ['Research Assistant']);
    assert.equal(fake.requests.at(-1)?.query.name, 'Research Assistant');
    assert.equal((await api.listAgents({ limit: 2 })).length, 2);
    const step = await api.getStep(first[0].id);
    assert.equal(step.id, first[0].id);
  });

  it('lists steps by feedback: `feedback` for one kind, `has_feedback` for either', async () => {
    const agentId = fake.agents[0].id;
    const mine = fake.steps.filter((s) => s.agent_id === agentId);
    const api = client();
    await api.setFeedback(mine[1].id, 'positive');
    await api.setFeedback(mine[4].id, 'negative');
    const positive = await api.listSteps({ agentId, feedback: 'positive', limit: 50 });
    assert.deepEqual(fake.requests.at(-1)?.query, { agent_id: agentId, limit: '50', feedback: 'positive' });
    assert.deepEqual(positive.map((s) => s.id), [mine[1].id]);
    const rated = await api.listSteps({ agentId, hasFeedback: true, limit: 50 });
    assert.deepEqual(fake.requests.at(-1)?.query, { agent_id: agentId, limit: '50', has_feedback: 'true' });
    assert.deepEqual(rated.map((s) => s.id), [mine[1].id, mine[4].id]);
    await api.setFeedback(mine[1].id, null);
    await api.setFeedback(mine[4].id, null);
  });
});

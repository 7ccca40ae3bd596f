// The API client against a hostile or broken server (the fake's hostile faults, over real HTTP):
// a server that echoes the key, bodies that would cost far more parsed than they weigh, redirect
// loops, bodies cut short, decompression bombs, and waits the host must be able to show.
import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { createLettaClient, type LettaClientOptions, type RetryWait } from '../../src/core/lettaClient';
import { nodeFetch } from '../../src/core/httpTransport';
import { LettaApiError } from '../../src/core/lettaApi';
import { expectFailure } from './expectFailure';
import { startFakeLetta, type FakeLetta } from '../fakeLetta/server';

// Long and unusual, so no message could hold it by chance; the fake accepts it.
const KEY = 'sk-let-Zq9xW3vT7pL2mN8rK4jH6fD1sA5gY0uE';
const MB = 1024 * 1024;

describe('lettaClient against a hostile server', () => {
  let fake: FakeLetta;
  let stepId: string;
  let host: string;
  const logged: string[] = [];

  before(async () => {
    fake = await startFakeLetta({ apiKey: KEY, agents: 1, stepsPerAgent: 3 });
    stepId = [...fake.traces.keys()][0];
    host = `127.0.0.1:${fake.port}`;
    await client().listAgents({ limit: 1 }); // loads node-fetch and the SDK once
    fake.reset();
    logged.length = 0;
  });
  after(() => fake.close());
  afterEach(() => {
    fake.reset();
    logged.length = 0;
  });

  const client = (options: Partial<LettaClientOptions> = {}) =>
    createLettaClient({ baseUrl: fake.url, apiKey: KEY, fetch: nodeFetch, timeoutMs: 20_000, nullTraceRetryDelayMs: 20, log: (m) => logged.push(m), ...options });

  const failure = expectFailure;

  /** Neither the error (message, detail) nor any log line holds the key or a piece of it. */
  function assertNoKey(error: LettaApiError): void {
    const texts = [error.message, error.details.detail ?? '', ...logged];
    for (const text of texts) {
      assert.ok(!text.includes(KEY), `the key leaked into: ${text}`);
      assert.ok(!text.includes(KEY.slice(0, 12)), `a piece of the key leaked into: ${text}`);
    }
  }

  it('a 401 whose detail echoes the Authorization header: the message, the detail and the log hold no key', async () => {
    fake.setFaults([{ route: 'trace', kind: 'echo-auth' }]);
    const error = await failure(client().getTrace(stepId), 'unauthorized');
    assert.ok(fake.requests[0].headers.authorization === `Bearer ${KEY}`, 'the fake saw the key…');
    assertNoKey(error); // …and echoed it: without the scrubbing, all three hold it
    assert.match(error.message, new RegExp(`^${host} rejected the API key \\(HTTP 401: Invalid credentials: got "Authorization: Bearer \\[redacted\\]" \\(X-BARE-PASSWORD: password \\[redacted\\]\\)`));
    assert.ok(logged.some((l) => l.includes('HTTP 401: Invalid credentials') && l.includes('[redacted]')), 'the log says why, scrubbed');
  });

  it('the echo is scrubbed whatever the status: 403, 404, 422, 429 and 5xx', async () => {
    for (const [status, kind] of [
      [403, 'unauthorized'],
      [404, 'not-found'],
      [422, 'invalid-request'],
      [429, 'rate-limited'],
      [503, 'server-error'],
      [418, 'bad-response'],
    ] as const) {
      fake.setFaults([{ route: 'trace', kind: 'echo-auth', status }]);
      const error = await failure(client({ maxRetries: 0 }).getTrace(stepId), kind);
      assertNoKey(error);
      assert.match(error.message, /\[redacted\]/, `${status}: the detail is kept, scrubbed`);
    }
  });

  it('a key where the detail is cut for the message is scrubbed before the cut, so no piece of it shows', async () => {
    fake.setFaults([{ route: 'trace', status: 401, body: { detail: `${'x'.repeat(295)} ${KEY}` } }]);
    const error = await failure(client().getTrace(stepId), 'unauthorized');
    assertNoKey(error);
    assert.match(error.message, /x{295} \[red…\)/);
  });

  it('a key in a 200 text body, an HTML title or a redirect address is scrubbed too', async () => {
    fake.setFaults([{ route: 'trace', status: 200, body: `proxy says: your key ${KEY} is fine`, times: 1 }]);
    assertNoKey(await failure(client().getTrace(stepId), 'bad-response'));
    fake.setFaults([{ route: 'trace', status: 200, body: `<html><head><title>Login for ${KEY}</title></head></html>`, headers: { 'content-type': 'text/html' }, times: 1 }]);
    assertNoKey(await failure(client().getTrace(stepId), 'bad-response'));
    // Same origin, back to itself with the key in the query: reported as a loop, without the key.
    fake.setFaults([{ route: 'trace', status: 302, headers: { location: `/v1/steps/${stepId}/trace?k=${KEY}` } }]);
    const loop = await failure(client().getTrace(stepId), 'bad-response');
    assertNoKey(loop);
    assert.match(loop.message, /loop/);
  });

  it('a trace of deeply nested arrays at the size cap is refused before it is parsed, without inviting a larger cap', async () => {
    const cap = 10 * MB;
    // The whole body just under the cap: `{"request_json": {"messages": ` + 5 M levels + `}, …}`.
    fake.setFaults([{ route: 'trace', kind: 'nested-body', nesting: 'deep', hugeBytes: cap - 100 }]);
    const started = Date.now();
    const error = await failure(client({ maxBodyBytes: cap }).getTrace(stepId), 'bad-response');
    assert.match(error.message, new RegExp(`^The trace from ${host} is too deeply nested \\(more than 20,000 levels of arrays and objects\\)`));
    assert.doesNotMatch(error.message, /maxTraceSizeMB/);
    assert.equal(fake.requests.length, 1, 'not retried');
    // Parsing it (as before the check) takes seconds and about 300 MB; the scan takes milliseconds.
    assert.ok(Date.now() - started < 1500, `refused in ${Date.now() - started} ms`);
  });

  it('a flat list of millions of empty arrays at the cap is refused as too many values', async () => {
    const cap = 10 * MB;
    fake.setFaults([{ route: 'trace', kind: 'nested-body', nesting: 'wide', hugeBytes: cap - 100 }]);
    const error = await failure(client({ maxBodyBytes: cap }).getTrace(stepId), 'bad-response');
    assert.match(error.message, /^The trace from .* holds too many values \(more than 1,000,000 arrays and objects\)/);
    assert.doesNotMatch(error.message, /maxTraceSizeMB/);
  });

  it('at the default 100 MB cap, a nested body just under it is refused too', async () => {
    fake.setFaults([{ route: 'trace', kind: 'nested-body', nesting: 'deep', hugeBytes: 100 * MB - 100 }]);
    const error = await failure(createLettaClient({ baseUrl: fake.url, apiKey: KEY, fetch: nodeFetch }).getTrace(stepId), 'bad-response');
    assert.match(error.message, /too deeply nested/);
  });

  it('a same-origin redirect loop says it is a loop and how many redirects were followed', async () => {
    const trace = `/v1/steps/${stepId}/trace`;
    fake.setFaults([
      { path: `^${trace}$`, status: 302, headers: { location: `${trace}/again` } },
      { path: `^${trace}/again$`, status: 302, headers: { location: trace } },
    ]);
    const error = await failure(client().getTrace(stepId), 'bad-response');
    assert.match(error.message, new RegExp(`^${host} redirects in a loop: after 1 redirect, followed on ${host}, the request came back to ${fake.url.replace(/\./g, '\\.')}${trace}\\.`));
    assert.equal(fake.requests.length, 2, 'stopped as soon as the loop closed');
    fake.reset();
    fake.setFaults([{ path: `^${trace}$`, status: 307, headers: { location: trace } }]);
    assert.match((await failure(client().getTrace(stepId), 'bad-response')).message, /redirects the request to the address it came from .*, a loop; nothing was followed/);
    // A chain that never repeats: five followed, the sixth given up.
    fake.reset();
    fake.setFaults([0, 1, 2, 3, 4, 5].map((n) => ({ path: `^${trace}${n ? `/${n}` : ''}$`, status: 302, headers: { location: `${trace}/${n + 1}` } })));
    const chain = await failure(client().getTrace(stepId), 'bad-response');
    assert.match(chain.message, new RegExp(`^${host} redirected the request again after 5 redirects, all followed on ${host}; it was given up\\.`));
    assert.equal(fake.requests.length, 6);
  });

  it('a body cut short says the connection closed before the whole trace arrived, with the bytes, and is retried', async () => {
    fake.setFaults([{ route: 'trace', kind: 'cut-body' }]);
    const error = await failure(client({ maxRetries: 1 }).getTrace(stepId), 'network');
    assert.match(error.message, new RegExp(`^The connection to ${host} closed before the whole trace arrived \\(got \\d+(\\.\\d)? (KB|bytes) of \\d+(\\.\\d)? (KB|bytes)\\)`));
    assert.doesNotMatch(error.message, /reset/);
    assert.equal(fake.requests.length, 2, 'retried once');
    fake.reset();
    fake.setFaults([{ route: 'trace', kind: 'cut-body', times: 1 }]);
    assert.equal((await client().getTrace(stepId)).step_id, stepId, 'the retry gets the whole trace');
  });

  it('a decompression bomb is refused without inviting a larger cap; a large compressed body names the setting', async () => {
    fake.setFaults([{ route: 'trace', kind: 'gzip-bomb', hugeBytes: 8 * MB }]);
    const bomb = await failure(client({ maxBodyBytes: MB }).getTrace(stepId), 'bad-response');
    assert.match(bomb.message, /expands to more than the 1 MB limit from only \d+(\.\d)? (KB|bytes) sent gzip-compressed/);
    assert.doesNotMatch(bomb.message, /maxTraceSizeMB/);
    // Over the cap already compressed: a real large trace, and the setting is the way to open it.
    fake.setFaults([{ route: 'trace', kind: 'gzip-bomb', hugeBytes: 8 * MB }]);
    const large = await failure(client({ maxBodyBytes: 4 * 1024 }).getTrace(stepId), 'too-large');
    assert.match(large.message, /larger than the 4096 bytes limit once decompressed \(\d+ (KB|bytes) came gzip-compressed\)\. If a trace that large is expected, raise "letta\.maxTraceSizeMB"/);
  });

  it('every wait between tries is announced, per call and to the client, with what it waits for and how long', async () => {
    const perClient: RetryWait[] = [];
    const perCall: RetryWait[] = [];
    const api = client({ onWait: (w) => perClient.push(w) });
    fake.setFaults([{ route: 'trace', status: 429, headers: { 'retry-after': '1' }, times: 1 }]);
    assert.equal((await api.getTrace(stepId, { onWait: (w) => perCall.push(w) })).step_id, stepId);
    assert.deepEqual(perCall, [{ reason: 'rate-limited', waitMs: 1000, retry: 1, maxRetries: 2, message: `${host} is limiting requests: waiting 1 s before retry 1 of 2.` }]);
    assert.deepEqual(perClient, perCall);
    fake.setFaults([{ route: 'trace', status: 502, times: 1 }]);
    await api.getTrace(stepId);
    assert.equal(perClient.at(-1)?.reason, 'server-error');
    assert.match(perClient.at(-1)?.message ?? '', new RegExp(`^${host} had an error \\(HTTP 502\\): waiting \\d+ ms before retry 1 of 2\\.$`));
    fake.setFaults([{ route: 'trace', kind: 'null', times: 1 }]);
    await api.getTrace(stepId);
    assert.deepEqual(perClient.at(-1), { reason: 'trace-not-written', waitMs: 20, retry: 1, maxRetries: 1, message: `${host} has no trace for this step yet: trying again in 20 ms.` });
    // A listener that throws does not break the call.
    fake.setFaults([{ route: 'trace', status: 503, times: 1 }]);
    const throwing = client({
      onWait: () => {
        throw new Error('listener bug');
      },
    });
    assert.equal((await throwing.getTrace(stepId)).step_id, stepId);
    assert.ok(logged.some((l) => l.includes('onWait listener failed: listener bug')));
  });
});

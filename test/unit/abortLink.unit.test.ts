// linkAbort (src/core/abortLink.ts): one signal for a request, linked to the caller's and to a
// deadline, let go of once the request is done; and the transport's use of it: the deadline stops
// once the body is read, and a redirect's first hop is dropped without cancelling the request.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { linkAbort } from '../../src/core/abortLink';
import { createTransport, DeadlineError, nodeFetch } from '../../src/core/httpTransport';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('linkAbort', () => {
  it('aborts with the source’s reason, and ignores sources that are absent', () => {
    const caller = new AbortController();
    const link = linkAbort([undefined, caller.signal, null]);
    assert.equal(link.signal.aborted, false);
    caller.abort(new Error('closed the panel'));
    assert.equal(link.signal.aborted, true);
    assert.equal((link.signal.reason as Error).message, 'closed the panel');
    assert.equal(link.timedOut, false);
  });

  it('starts aborted when a source already is', () => {
    const caller = new AbortController();
    caller.abort('gone');
    const link = linkAbort([caller.signal], 10_000);
    assert.equal(link.signal.aborted, true);
    assert.equal(link.signal.reason, 'gone');
  });

  it('times out with the TimeoutError AbortSignal.timeout gives, and says it timed out', async () => {
    const link = linkAbort([new AbortController().signal], 5);
    await sleep(30);
    assert.equal(link.signal.aborted, true);
    assert.equal(link.timedOut, true);
    assert.equal((link.signal.reason as DOMException).name, 'TimeoutError');
  });

  it('once disposed, neither the timer nor the source aborts it', async () => {
    const caller = new AbortController();
    const link = linkAbort([caller.signal], 5);
    link.dispose();
    link.dispose();
    await sleep(30);
    caller.abort();
    assert.equal(link.signal.aborted, false);
    assert.equal(link.timedOut, false);
  });

  it('abort() drops the current signal only; renew() gives a live one that the source still ends', () => {
    const caller = new AbortController();
    const link = linkAbort([caller.signal], 10_000);
    const first = link.signal;
    link.abort();
    assert.equal(first.aborted, true);
    assert.equal(caller.signal.aborted, false, 'the caller is not cancelled');
    const second = link.renew();
    assert.equal(second.aborted, false);
    assert.equal(link.signal, second);
    caller.abort('bye');
    assert.equal(second.aborted, true);
    assert.equal(link.renew().aborted, true, 'a link the source ended gives only aborted signals');
    link.dispose();
  });
});

describe('the transport’s deadline', () => {
  /** A server that answers /slow after `ms`, /redirect with a 302 to /ok, and /ok with a small JSON body. */
  async function server(ms = 200): Promise<{ url: string; close: () => Promise<void> }> {
    const s = http.createServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/ok' }).end();
      } else if (req.url === '/slow') {
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), ms);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    return { url, close: () => new Promise((r) => s.close(() => r())) };
  }

  /** A transport to `url` that records the signal of every request it makes. */
  function recording(url: string, timeoutMs: number) {
    const signals: AbortSignal[] = [];
    const transport = createTransport({
      origin: new URL(url).origin,
      maxBodyBytes: 1024,
      timeoutMs,
      fetch: (u, init) => {
        signals.push(init.signal as AbortSignal);
        return nodeFetch(u, init);
      },
    });
    return { transport, signals };
  }

  it('stops once the body is read: the request’s signal is never aborted afterwards', async () => {
    const { url, close } = await server();
    // Long enough for a loaded machine to answer within it; waited out below.
    const { transport, signals } = recording(url, 500);
    try {
      assert.deepEqual(await (await transport(`${url}/ok`)).json(), { ok: true });
      await sleep(700);
      assert.equal(signals.length, 1);
      assert.equal(signals[0].aborted, false, 'the deadline was let go of with the body');
    } finally {
      await close();
    }
  });

  it('still ends a request that takes too long, as a DeadlineError', async () => {
    const { url, close } = await server(300);
    const transport = createTransport({ origin: new URL(url).origin, maxBodyBytes: 1024, timeoutMs: 40, fetch: nodeFetch });
    try {
      await assert.rejects(transport(`${url}/slow`), (e: unknown) => e instanceof DeadlineError && e.timeoutMs === 40);
    } finally {
      await close();
    }
  });

  it('drops a redirect’s first hop and follows it on a fresh signal, the caller’s still linked', async () => {
    const { url, close } = await server();
    const caller = new AbortController();
    const { transport, signals } = recording(url, 5_000);
    try {
      const response = await transport(`${url}/redirect`, { signal: caller.signal });
      assert.equal(signals.length, 2);
      assert.equal(signals[0].aborted, true, 'the 302 was dropped unread');
      assert.equal(signals[1].aborted, false);
      assert.deepEqual(await response.json(), { ok: true });
      assert.equal(caller.signal.aborted, false);
    } finally {
      await close();
    }
  });
});

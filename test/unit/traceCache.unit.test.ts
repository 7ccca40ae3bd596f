import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadedTrace } from '../../src/core/lettaTypes';
import { approximateJsonSize } from '../../src/core/traceJson';
import { TraceCache } from '../../src/core/traceCache';
import { MemoryBudget } from '../../src/core/memoryBudget';
import { RenderedDocuments } from '../../src/core/renderedDocuments';
import { PanelPosts } from '../../src/core/viewer/panelPosts';
import type { HostMessage } from '../../src/shared/protocol';
import { buildDeepJson } from '../fixtures/builders';

const id = (n: number) => `step-${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;

const SERVER = { kind: 'server', origin: 'https://api.letta.com' } as const;

function loaded(n: number, textSize = 10): LoadedTrace {
  return { stepId: id(n), trace: { request_json: { text: 'x'.repeat(textSize) }, response_json: {} }, source: SERVER, loadedAt: n };
}

const keys = (cache: TraceCache) => cache.traces().map((t) => t.stepId);

describe('trace cache', () => {
  it('evicts the least recently used when over the entry limit; a read counts as a use', () => {
    const cache = new TraceCache({ maxTotalSize: Number.POSITIVE_INFINITY, maxEntries: 3 });
    cache.set(loaded(1));
    cache.set(loaded(2));
    cache.set(loaded(3));
    assert.equal(cache.get(id(1), SERVER)?.stepId, id(1));
    cache.set(loaded(4));
    assert.deepEqual(keys(cache), [id(4), id(1), id(3)]);
    assert.equal(cache.get(id(2), SERVER), undefined);
    // A peek (listing what is cached) does not count as a use.
    assert.equal(cache.peek(id(3), SERVER)?.stepId, id(3));
    cache.set(loaded(5));
    assert.deepEqual(keys(cache), [id(5), id(4), id(1)]);
  });

  it('is bounded by total size: one big trace pushes out many small ones, and stays itself', () => {
    const small = approximateJsonSize(loaded(0).trace);
    const cache = new TraceCache({ maxTotalSize: small * 10, maxEntries: 100 });
    for (let n = 1; n <= 10; n++) {
      cache.set(loaded(n));
    }
    assert.equal(cache.size, 10);
    assert.ok(cache.totalSize <= small * 10);
    cache.set(loaded(99, small * 5));
    assert.ok(cache.totalSize <= small * 10, `total ${cache.totalSize}`);
    assert.equal(keys(cache)[0], id(99));
    assert.ok(cache.size < 10 && !cache.has(id(1), SERVER) && cache.has(id(10), SERVER));
    // Alone over the limit, the newest trace is still kept: it is the one on screen.
    cache.set(loaded(100, small * 50));
    assert.deepEqual(keys(cache), [id(100)]);
    assert.equal(cache.totalSize, approximateJsonSize(loaded(100, small * 50).trace));
  });

  it('replacing a trace and deleting keep the total right', () => {
    const cache = new TraceCache({ maxTotalSize: Number.POSITIVE_INFINITY, maxEntries: 10 });
    cache.set(loaded(1, 100));
    cache.set(loaded(1, 1000));
    assert.equal(cache.size, 1);
    assert.equal(cache.totalSize, approximateJsonSize(loaded(1, 1000).trace));
    cache.set({ ...loaded(2), source: { kind: 'file', path: '/tmp/x.json' } });
    cache.deleteWhere((t) => t.source.kind === 'server');
    assert.deepEqual(keys(cache), [id(2)]);
    assert.equal(cache.totalSize, approximateJsonSize(loaded(2).trace));
  });

  it('sizes data close to its JSON length, including 10,000-deep nesting, without recursion', () => {
    for (const value of [{ a: [1, 'two', null, true, { b: 'c' }] }, loaded(1, 5000).trace]) {
      const exact = JSON.stringify(value).length;
      const approx = approximateJsonSize(value);
      assert.ok(Math.abs(approx - exact) <= exact * 0.5, `${approx} vs ${exact}`);
    }
    assert.ok(approximateJsonSize(buildDeepJson(10_000)) > 10_000);
  });

  it('keys traces by source: a saved file of a step never stands in for the live trace, nor one server for another', () => {
    const cache = new TraceCache({ maxEntries: 10 });
    const file = { kind: 'file', path: '/tmp/saved.json' } as const;
    const other = { kind: 'server', origin: 'http://localhost:8283' } as const;
    cache.set({ ...loaded(1), source: file });
    assert.equal(cache.get(id(1), SERVER), undefined, 'the file does not answer for the server');
    assert.equal(cache.get(id(1), other), undefined);
    cache.set({ ...loaded(1, 50), source: SERVER });
    assert.equal(cache.size, 2);
    assert.deepEqual(cache.get(id(1), file)?.source, file);
    assert.deepEqual(cache.get(id(1), SERVER)?.source, SERVER);
  });

  it('shares one budget with documents and panel pieces: the least recently used goes first, whoever holds it, but never what is on screen', () => {
    const budget = new MemoryBudget(1000);
    const cache = new TraceCache({ maxEntries: 100 }, budget);
    const docs = new RenderedDocuments(budget);
    const t1 = loaded(1, 300);
    cache.set(t1);
    cache.hold(t1); // on screen in a panel
    docs.put('/doc/a', new Uint8Array(400), 1, true);
    cache.set(loaded(2, 300));
    assert.ok(budget.totalSize <= 1000, `total ${budget.totalSize}`);
    // The document (least recently used and not in use) went, the held trace stayed.
    assert.equal(docs.take('/doc/a'), undefined);
    assert.ok(cache.has(id(1), SERVER), 'the trace on screen stays');
    assert.ok(cache.has(id(2), SERVER));
    cache.set(loaded(3, 300));
    assert.ok(cache.has(id(1), SERVER) && !cache.has(id(2), SERVER) && cache.has(id(3), SERVER));
    cache.release(t1);
    cache.set(loaded(4, 300));
    assert.ok(!cache.has(id(1), SERVER), 'once released it can go');
  });

  it('a rendered document waits for its one read, then only its size and mtime stay', () => {
    const budget = new MemoryBudget(Number.POSITIVE_INFINITY);
    const docs = new RenderedDocuments(budget);
    docs.put('/a', new Uint8Array(50), 7, true);
    assert.equal(budget.totalSize, 50);
    assert.deepEqual(docs.stat('/a'), { size: 50, mtime: 7, ok: true });
    assert.equal(docs.take('/a')?.byteLength, 50);
    assert.equal(budget.totalSize, 0, 'let go after the read');
    assert.equal(docs.heldBytes, 0);
    assert.deepEqual(docs.stat('/a'), { size: 50, mtime: 7, ok: true });
    assert.equal(docs.take('/a'), undefined, 'a second read renders again');
    let now = 0;
    const failing = new RenderedDocuments(budget, () => now);
    failing.put('/b', new Uint8Array(5), 1, false);
    assert.ok(failing.stat('/b'));
    now = 5000;
    assert.equal(failing.stat('/b'), undefined, 'a failure is kept for a moment only');
  });

  it('panel pieces wait for ready, are let go once sent, and are built again when the webview loads again', () => {
    const budget = new MemoryBudget(Number.POSITIVE_INFINITY);
    const sent: HostMessage[][] = [];
    const posts = new PanelPosts(budget, 'p', (m) => sent.push(m));
    let builds = 0;
    const build = (): HostMessage[] => (builds++, [{ type: 'raw', stepId: id(1), text: 'x'.repeat(100), done: true }]);
    posts.show({ messages: build(), rebuild: build });
    assert.equal(sent.length, 0, 'nothing before ready');
    assert.ok(budget.totalSize >= 100, 'waiting pieces count in the budget');
    posts.onReady();
    assert.equal(sent.length, 1);
    assert.equal(posts.heldSize, 0, 'let go once sent');
    assert.equal(budget.totalSize, 0);
    assert.equal(builds, 1);
    posts.onReady();
    assert.equal(builds, 2, 'built again for a webview that loaded again');
    assert.equal(sent.length, 2);
    posts.show({ messages: [{ type: 'error', message: 'gone' }] });
    posts.onReady();
    assert.deepEqual(sent.at(-1), [{ type: 'error', message: 'gone' }], 'a small state is kept to resend');
  });
});

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadedTrace } from '../../src/core/lettaTypes';
import { approximateJsonSize } from '../../src/core/traceJson';
import { TraceCache } from '../../src/core/traceCache';
import { buildDeepJson } from '../fixtures/builders';

const id = (n: number) => `step-${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;

function loaded(n: number, textSize = 10): LoadedTrace {
  return { stepId: id(n), trace: { request_json: { text: 'x'.repeat(textSize) }, response_json: {} }, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: n };
}

describe('trace cache', () => {
  it('evicts the least recently used when over the entry limit; a read counts as a use', () => {
    const cache = new TraceCache({ maxTotalSize: Number.POSITIVE_INFINITY, maxEntries: 3 });
    cache.set(loaded(1));
    cache.set(loaded(2));
    cache.set(loaded(3));
    assert.equal(cache.get(id(1))?.stepId, id(1));
    cache.set(loaded(4));
    assert.deepEqual(cache.keys(), [id(4), id(1), id(3)]);
    assert.equal(cache.get(id(2)), undefined);
    // A peek (listing what is cached) does not count as a use.
    assert.equal(cache.peek(id(3))?.stepId, id(3));
    cache.set(loaded(5));
    assert.deepEqual(cache.keys(), [id(5), id(4), id(1)]);
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
    assert.equal(cache.keys()[0], id(99));
    assert.ok(cache.size < 10 && !cache.has(id(1)) && cache.has(id(10)));
    // Alone over the limit, the newest trace is still kept: it is the one on screen.
    cache.set(loaded(100, small * 50));
    assert.deepEqual(cache.keys(), [id(100)]);
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
    assert.deepEqual(cache.keys(), [id(2)]);
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
});

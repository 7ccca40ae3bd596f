/** The webview's sliced JSON parser gives what `JSON.parse` gives, on any JSON, however it is sliced. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildDeepJson, buildLargeTrace } from '../fixtures/builders';
import { stringifyJson } from '../../src/core/traceJson';
import { ChunkedJsonParser, parseJsonInSlices } from '../../src/webview/jsonChunkedParse';

function parseAll(text: string, nativeLimit: number): unknown {
  const parser = new ChunkedJsonParser(text, nativeLimit);
  let steps = 0;
  // Each zero-budget step advances at least once: a step that made no progress would spin here.
  while (!parser.step(0)) {
    steps++;
    assert.ok(steps <= text.length + 1, `no progress after ${steps} steps on ${text.length} characters`);
  }
  return parser.value;
}

describe('ChunkedJsonParser', () => {
  it('equals JSON.parse on arbitrary JSON, walked by hand (limit 0) and natively (big limit)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 8, 64, 1 << 20), fc.boolean(), (value, limit, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        assert.deepEqual(parseAll(text, limit), JSON.parse(text));
      }),
      { numRuns: 400 },
    );
  });

  it('keeps "__proto__" as a plain key, as JSON.parse does', () => {
    const text = '{"__proto__":{"polluted":true},"a":[{"__proto__":1}]}';
    const parsed = parseAll(text, 0) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.deepEqual(Object.keys(parsed), ['__proto__', 'a']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(JSON.stringify(parsed), JSON.stringify(JSON.parse(text)));
  });

  it('handles escapes, quotes and brackets inside strings', () => {
    const value = { s: 'a "quoted" ] } [ { \\ back\\\\slash \n line \u2028 é 😀', t: ['"', '\\', '\\"'], u: '' };
    const text = JSON.stringify(value);
    assert.deepEqual(parseAll(text, 0), value);
    assert.deepEqual(parseAll(text, 10), value);
  });

  it('rejects malformed JSON with a SyntaxError', () => {
    for (const bad of ['', '{', '[1,]', '{"a" 1}', '{"a":1,}', '[1 2]', '"open', 'nul', '{} x']) {
      assert.throws(() => parseAll(bad, 0), SyntaxError, bad);
    }
  });

  it('parses a 10,000-deep value, and a 5 MB trace over several slices', async () => {
    // Compared as text: stringify and deepEqual would both recurse 10,000 deep.
    const deep = stringifyJson(buildDeepJson(10_000));
    assert.equal(stringifyJson(parseAll(deep, 0)), deep);
    assert.equal(stringifyJson(parseAll(deep, 1000)), deep);

    const text = JSON.stringify(buildLargeTrace(5_000_000));
    const parser = new ChunkedJsonParser(text);
    let slices = 0;
    for (;;) {
      const done = parser.step(5);
      slices++;
      if (done) {
        break;
      }
    }
    // How long a slice takes is the benchmark's business (npm run bench); here: it did slice the work.
    assert.ok(slices > 1, 'it yielded');
    assert.deepEqual(parser.value, JSON.parse(text));
    let pauses = 0;
    // A 0 ms slice: it pauses between slices however fast this machine parses.
    const viaHelper = await parseJsonInSlices(
      text,
      () => {
        pauses++;
        return Promise.resolve();
      },
      undefined,
      0,
    );
    assert.ok(pauses > 0);
    assert.deepEqual(viaHelper, JSON.parse(text));
  });
});

/** The pre-parse bound on what a JSON text costs: depth, containers and values, strings skipped. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { describeJsonCostProblem, exceedsJsonLimits, JSON_LIMITS } from '../../src/core/jsonCost';

const limits = { maxDepth: 3, maxContainers: 4, maxValues: 6 };

describe('exceedsJsonLimits', () => {
  it('counts nesting depth and refuses one level past the limit', () => {
    assert.equal(exceedsJsonLimits('[[[1]]]', limits), undefined);
    assert.deepEqual(exceedsJsonLimits('[[[[1]]]]', limits), { limit: 'depth', max: 3 });
    assert.equal(exceedsJsonLimits('[[[]],[[]]]', { ...limits, maxContainers: 10 }), undefined, 'depth goes back down on close');
  });

  it('counts containers and values', () => {
    assert.equal(exceedsJsonLimits('[{},{},[]]', limits), undefined);
    assert.deepEqual(exceedsJsonLimits('[{},{},[],[]]', limits), { limit: 'containers', max: 4 });
    assert.equal(exceedsJsonLimits('[1,2,3,4,5]', limits), undefined, '6 values with the array');
    assert.deepEqual(exceedsJsonLimits('[1,2,3,4,5,6]', limits), { limit: 'values', max: 6 });
    assert.equal(exceedsJsonLimits('{"a":1,"b":2,"c":3,"d":4}', limits), undefined, 'a member is one value, its key is not');
  });

  it('skips strings, escaped quotes and backslashes included', () => {
    assert.equal(exceedsJsonLimits(JSON.stringify({ a: '[[[[[[,,,,,,{{{{' }), limits), undefined);
    assert.equal(exceedsJsonLimits(JSON.stringify(['say \\"[[[[[[\\" \\\\', 'x"[[[[[[']), limits), undefined);
    assert.deepEqual(exceedsJsonLimits(`["a\\\\",[[[1]]]]`, limits), { limit: 'depth', max: 3 }, 'the string ends after an escaped backslash');
  });

  it('agrees with the real counts of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        let depth = 0;
        let containers = 0;
        let values = 0;
        const walk = (v: unknown, d: number) => {
          values++;
          if (v !== null && typeof v === 'object') {
            containers++;
            depth = Math.max(depth, d);
            for (const child of Object.values(v)) {
              walk(child, d + 1);
            }
          }
        };
        walk(value, 1);
        const exact = { maxDepth: depth, maxContainers: containers, maxValues: values };
        assert.equal(exceedsJsonLimits(text, exact), undefined, text);
        if (depth > 0) {
          assert.equal(exceedsJsonLimits(text, { ...exact, maxDepth: depth - 1 })?.limit, 'depth', text);
          assert.equal(exceedsJsonLimits(text, { ...exact, maxDepth: 1e9, maxContainers: containers - 1 })?.limit, 'containers', text);
        }
        if (values > 1) {
          assert.equal(exceedsJsonLimits(text, { maxDepth: 1e9, maxContainers: 1e9, maxValues: values - 1 })?.limit, 'values', text);
        }
      }),
    );
  });

  it('a text too short to reach the container and value limits is bounded by its brackets alone, strings included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const text = JSON.stringify(value);
        let depth = 0;
        const walk = (v: unknown, d: number) => {
          if (v !== null && typeof v === 'object') {
            depth = Math.max(depth, d);
            for (const child of Object.values(v)) {
              walk(child, d + 1);
            }
          }
        };
        walk(value, 1);
        const roomy = { maxContainers: text.length + 1, maxValues: text.length + 1 };
        assert.equal(exceedsJsonLimits(text, { ...roomy, maxDepth: Math.max(depth, 1) }), undefined, text);
        if (depth > 0) {
          assert.equal(exceedsJsonLimits(text, { ...roomy, maxDepth: depth - 1 })?.limit, 'depth', text);
        }
      }),
    );
    // Brackets inside strings count toward the quick bound only: past it, the exact scan decides.
    const quoted = JSON.stringify({ text: '['.repeat(50) });
    assert.equal(exceedsJsonLimits(quoted, { maxDepth: 10, maxContainers: 1000, maxValues: 1000 }), undefined);
  });

  it('lets malformed text through for JSON.parse to refuse', () => {
    assert.equal(exceedsJsonLimits('{"a": "unterminated [[[[[[[', limits), undefined);
  });

  it('the defaults pass a real trace shape and refuse the shapes that multiply memory', () => {
    const trace = JSON.stringify({ request_json: { messages: Array.from({ length: 2000 }, (_, i) => ({ role: 'user', content: [{ type: 'text', text: `m${i}` }] })) }, response_json: {} });
    assert.equal(exceedsJsonLimits(trace), undefined);
    assert.equal(exceedsJsonLimits('['.repeat(20_001) + ']'.repeat(20_001))?.limit, 'depth');
    assert.equal(exceedsJsonLimits(`[${'[],'.repeat(1_000_000)}[]]`)?.limit, 'containers');
    assert.equal(exceedsJsonLimits(`[${'0,'.repeat(10_000_000)}0]`)?.limit, 'values');
    assert.equal(JSON_LIMITS.maxDepth, 20_000);
  });

  it('says what is too much, never to raise the size cap', () => {
    assert.equal(describeJsonCostProblem({ limit: 'depth', max: 20_000 }), 'is too deeply nested (more than 20,000 levels of arrays and objects)');
    assert.equal(describeJsonCostProblem({ limit: 'values', max: 10_000_000 }), 'holds too many values (more than 10,000,000)');
    assert.equal(describeJsonCostProblem({ limit: 'containers', max: 1_000_000 }), 'holds too many values (more than 1,000,000 arrays and objects)');
  });
});

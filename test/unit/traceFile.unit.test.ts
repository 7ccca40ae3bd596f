import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTraceFile, serializeTraceFile } from '../../src/core/traceFile';
import { deeperThan, MAX_INDENT_DEPTH, prettyJson, prettyJsonIterative, traceMetadata } from '../../src/core/traceJson';
import { parseTraceDocumentPath, parseTraceDocumentQuery, traceDocumentPath, traceDocumentQuery } from '../../src/core/traceUri';
import { buildDeepJson } from '../fixtures/builders';
import { loadFixtureTrace } from '../fixtures/fixtures';

describe('trace files', () => {
  const trace = loadFixtureTrace('anthropic');
  const stepId = trace.step_id as string;

  it('round-trips the whole trace, the step and the origin', () => {
    const text = serializeTraceFile({ stepId, trace, step: { id: stepId, status: 'success' }, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 0 });
    const parsed = parseTraceFile(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.trace, trace);
    assert.equal(parsed.stepId, stepId);
    assert.equal(parsed.step?.status, 'success');
    assert.equal(parsed.origin, 'https://api.letta.com');
  });

  it('saves and reopens a trace nested 10,000 levels deep', () => {
    const deepTrace = { ...trace, request_json: { ...trace.request_json, deep: buildDeepJson(10_000) } };
    const text = serializeTraceFile({ stepId, trace: deepTrace, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 0 });
    assert.ok(text.length < 1_000_000, `${text.length} characters`);
    const parsed = parseTraceFile(text);
    assert.ok(parsed.ok);
    assert.equal(parsed.stepId, stepId);
    // Compared as text: the recursive deepEqual would overflow the stack on this data itself.
    assert.equal(prettyJsonIterative(parsed.trace), prettyJsonIterative(deepTrace));
  });

  it('opens a bare ProviderTrace as the API returns it, even with a BOM', () => {
    const parsed = parseTraceFile('\ufeff' + JSON.stringify(trace));
    assert.ok(parsed.ok);
    assert.equal(parsed.stepId, stepId);
  });

  it('explains what is wrong with a file that is not a trace', () => {
    const cases: [string, RegExp][] = [
      ['{', /not valid JSON/],
      ['[1]', /expected a JSON object/],
      ['{"request_json": {}}', /"request_json" and "response_json"/],
      [JSON.stringify({ ...trace, step_id: 'step-1' }), /no valid "step_id"/],
      [JSON.stringify({ format: 'letta-step-trace', version: 99, trace }), /newer version/],
    ];
    for (const [text, why] of cases) {
      const parsed = parseTraceFile(text);
      assert.ok(!parsed.ok, text.slice(0, 40));
      assert.match(parsed.error, why);
    }
  });
});

describe('trace documents', () => {
  it('builds and parses document paths; other paths are refused', () => {
    const id = 'step-3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b';
    assert.equal(traceDocumentPath(id, 'request'), `/${id}/request.json`);
    assert.deepEqual(parseTraceDocumentPath(`/${id}/response.json`), { stepId: id, part: 'response' });
    assert.equal(parseTraceDocumentPath(`/${id}/secrets.json`), undefined);
    assert.equal(parseTraceDocumentPath('/step-1/request.json'), undefined);
  });

  it('metadata is every field but request and response', () => {
    const meta = traceMetadata(loadFixtureTrace('openai-chat'));
    assert.ok(!('request_json' in meta) && !('response_json' in meta));
    assert.ok('step_id' in meta && 'created_at' in meta);
  });

  it('pretty-prints deep nesting and lone surrogates without throwing', () => {
    const deep = prettyJson(buildDeepJson(10_000));
    assert.ok(deep.includes('"leaf"'), 'all the data, down to the leaf');
    // Indenting every level would write ~200 MB of spaces; below MAX_INDENT_DEPTH it stays on one line.
    assert.ok(deep.length < 500_000, `${deep.length} characters`);
    assert.equal(deep, prettyJsonIterative(JSON.parse(deep)), 'valid JSON of the same data');
    let node: unknown = JSON.parse(deep);
    for (let depth = 0; depth < 10_000; depth++) {
      node = Array.isArray(node) ? node[0] : (node as { next: unknown }).next;
    }
    assert.equal(node, 'leaf');
    assert.equal(deeperThan(buildDeepJson(MAX_INDENT_DEPTH), MAX_INDENT_DEPTH), false);
    assert.equal(deeperThan(buildDeepJson(MAX_INDENT_DEPTH + 1), MAX_INDENT_DEPTH), true);
    // At the cap the lines stop growing: the deepest indented line has MAX_INDENT_DEPTH levels.
    const longestIndent = Math.max(...deep.split('\n').map((line) => /^ */.exec(line)?.[0].length ?? 0));
    assert.equal(longestIndent, 2 * MAX_INDENT_DEPTH);
    // The iterative printer writes exactly what JSON.stringify writes, where that works.
    for (const value of [buildDeepJson(50), { a: [1, { b: null, c: [] }, {}], d: 'x"\n', e: undefined, f: [undefined, () => 1] }, [], 'text', 3]) {
      assert.equal(prettyJsonIterative(value), JSON.stringify(value, null, 2));
    }
    assert.equal(prettyJson({ s: '\ud800' }), '{\n  "s": "\\ud800"\n}');
  });
});

describe('trace document queries', () => {
  it('name the source: an origin as is, a file path in base64url, and survive decoding', () => {
    const server = { kind: 'server', origin: 'http://127.0.0.1:8283' } as const;
    const file = { kind: 'file', path: '/tmp/a b&c=d%20?#.json' } as const;
    assert.equal(traceDocumentQuery(server), 'origin=http://127.0.0.1:8283');
    assert.deepEqual(parseTraceDocumentQuery(traceDocumentQuery(server)), server);
    // VS Code percent-decodes a query it parses: base64url has nothing to decode.
    const q = traceDocumentQuery(file);
    assert.equal(decodeURIComponent(q), q);
    assert.deepEqual(parseTraceDocumentQuery(q), file);
    assert.equal(parseTraceDocumentQuery(''), undefined);
    assert.equal(parseTraceDocumentQuery('origin=javascript:alert(1)'), undefined);
  });
});

/** The lazy viewer transfer: a bounded first post, and pages, nodes, slices and search over the whole trace. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadedTrace } from '../../src/core/lettaTypes';
import { buildTraceData, rawRoots } from '../../src/core/viewer/tracePayload';
import {
  FIRST_POST_BUDGET,
  FIRST_POST_STRING,
  PAGE_BUDGET,
  RAW_CHILDREN,
  STRING_SLICE,
  STUB_KEY,
  cutLongStrings,
  firstPost,
  messagePage,
  rawNode,
  resolvePath,
  stringSlice,
  stubOf,
} from '../../src/core/viewer/tracePaging';
import { buildLargeTrace } from '../fixtures/builders';
import { loadFixtureTraces } from '../fixtures/fixtures';

const load = (trace: LoadedTrace['trace']): LoadedTrace => ({ stepId: 'step-00000000-0000-4000-8000-000000000000', trace, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 0 });
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify({ type: 'trace', data: value }));

describe('firstPost', () => {
  for (const size of [2_000_000, 8_000_000, 40_000_000]) {
    it(`stays under 256 KB for a ${size / 1e6} MB trace, with the first and last messages and the middle counted`, () => {
      const data = buildTraceData(load(buildLargeTrace(size)), { raw: false });
      const all = data.conversation.messages;
      const first = firstPost(data);
      assert.ok(bytes(first) <= 256 * 1024, `${bytes(first)} bytes`);
      assert.equal(first.raw, undefined, 'the raw text stays in the host');
      assert.equal(first.rawLazy, true);
      const shown = first.conversation.messages;
      const omitted = first.omitted!;
      assert.equal(omitted.lazy, true);
      assert.equal(omitted.start + omitted.count + (shown.length - omitted.start), all.length, 'every message is shown or counted');
      assert.ok(omitted.start > 0 && shown.length - omitted.start > 0, 'both ends are on the first screen');
      assert.ok(omitted.chars! > size / 2, 'the middle is sized so the page can hold its height');
      // The shown ones are the real ones (or cut and listed as cut).
      shown.forEach((m, k) => {
        const index = k < omitted.start ? k : omitted.start + omitted.count + (k - omitted.start);
        if (!first.cut?.includes(index)) {
          assert.deepEqual(m, all[index]);
        }
      });
      // Everything but the messages came too.
      assert.deepEqual(first.summary, data.summary);
      assert.equal(first.conversation.output.length, data.conversation.output.length);
      assert.equal(first.conversation.tools.length, data.conversation.tools.length);
    });
  }

  it('cuts a single huge message to fit, and says which', () => {
    const trace = { request_json: { model: 'gpt-4o', messages: [{ role: 'system', content: 'x'.repeat(2_000_000) }, { role: 'user', content: 'hi' }] }, response_json: { choices: [] } };
    const data = buildTraceData(load(trace), { raw: false });
    const first = firstPost(data);
    assert.ok(bytes(first) <= FIRST_POST_BUDGET + 10_000, `${bytes(first)} bytes`);
    assert.deepEqual(first.cut, [0]);
    const text = (first.conversation.messages[0].parts[0] as { text: string }).text;
    assert.ok(text.startsWith('x'.repeat(FIRST_POST_STRING)) && text.includes('1,996,000 more characters'), text.slice(-60));
  });

  it('leaves fixture traces whole (only the raw text stays behind)', () => {
    for (const { name, trace } of loadFixtureTraces()) {
      const data = buildTraceData(load(trace), { raw: false });
      const first = firstPost(data);
      assert.equal(first.omitted, undefined, name);
      assert.deepEqual(first.conversation, data.conversation, name);
    }
  });
});

describe('messagePage', () => {
  const data = buildTraceData(load(buildLargeTrace(4_000_000)), { raw: false });
  const all = data.conversation.messages;

  it('pages through every message in order within the budget', () => {
    const seen = [];
    for (let at = 0; at < all.length; ) {
      const page = messagePage(all, at, 50);
      assert.equal(page.start, at);
      assert.ok(page.messages.length >= 1 && page.messages.length <= 50);
      assert.ok(JSON.stringify(page.messages).length <= PAGE_BUDGET + 70_000);
      seen.push(...page.messages);
      at += page.messages.length;
    }
    assert.deepEqual(seen, all);
  });

  it('clamps a range outside the conversation', () => {
    assert.deepEqual(messagePage(all, all.length + 5, 10).messages, []);
    assert.equal(messagePage(all, -3, 1).start, 0);
  });

  it('cuts long strings unless asked for the whole message', () => {
    const long = [{ role: 'user' as const, parts: [{ kind: 'text' as const, text: 'y'.repeat(100_000) }] }];
    const cut = messagePage(long, 0, 1);
    assert.deepEqual(cut.cut, [0]);
    assert.ok((cut.messages[0].parts[0] as { text: string }).text.length < 70_000);
    const whole = messagePage(long, 0, 1, Number.MAX_SAFE_INTEGER, Infinity);
    assert.deepEqual(whole.cut, []);
    assert.deepEqual(whole.messages, long);
  });
});

describe('raw nodes and slices', () => {
  const trace = { request_json: { messages: [{ content: 'a'.repeat(200_000) }, { content: '{"inner":{"deep":[1,2,3]}}' }], big: Array.from({ length: 5000 }, (_, i) => i) }, response_json: { id: 'r1', ok: null } };
  const roots = rawRoots(load(trace));

  it('sends a container one level deep, children as stubs and long strings as stubs', () => {
    const node = rawNode(roots.request, []);
    assert.equal(node.total, 2);
    const value = node.value as Record<string, unknown>;
    assert.deepEqual(stubOf(value.messages), { kind: 'array', count: 2 });
    assert.deepEqual(stubOf(value.big), { kind: 'array', count: 5000 });
    const messages = rawNode(roots.request, ['messages', 0]).value as Record<string, unknown>;
    const info = stubOf(messages.content);
    assert.equal(info?.kind, 'string');
    assert.equal(info?.kind === 'string' && info.length, 200_000);
    assert.ok(JSON.stringify(messages).length < 1000);
  });

  it('pages a long array from an offset, and puts it back together', () => {
    const pages: unknown[] = [];
    for (let offset = 0; offset < 5000; offset += RAW_CHILDREN) {
      const node = rawNode(roots.request, ['big'], offset);
      assert.equal(node.total, 5000);
      pages.push(...(node.value as unknown[]));
    }
    assert.deepEqual(pages, trace.request_json.big);
  });

  it('reads a long string slice by slice', () => {
    let text = '';
    for (let offset = 0; ; ) {
      const slice = stringSlice(roots.request, ['messages', 0, 'content'], offset);
      assert.equal(slice.total, 200_000);
      assert.ok(slice.text!.length <= STRING_SLICE);
      text += slice.text;
      offset += slice.text!.length;
      if (offset >= 200_000) {
        break;
      }
    }
    assert.equal(text, trace.request_json.messages[0].content);
  });

  it('decodes a JSON string on the way down, and refuses paths that are not there', () => {
    assert.deepEqual(resolvePath(roots.request, ['messages', 1, 'content', { decoded: true }, 'inner', 'deep']), { ok: true, value: [1, 2, 3] });
    assert.equal(resolvePath(roots.request, ['messages', 0, 'content', { decoded: true }]).ok, false);
    assert.equal(resolvePath(roots.request, ['nope']).ok, false);
    assert.equal(resolvePath(roots.request, ['__proto__']).ok, false);
    assert.equal(resolvePath(roots.request, ['messages', 9]).ok, false);
    assert.ok(rawNode(roots.request, ['missing']).error);
  });

  it('cutLongStrings copies only when something is long, and never changes the input', () => {
    const value = { a: ['short', 'z'.repeat(50)], b: { c: 'z'.repeat(50) } };
    assert.equal(cutLongStrings(value, 100).value, value);
    const { value: cut, cut: was } = cutLongStrings(value, 10);
    assert.equal(was, true);
    assert.equal(cut.a[0], 'short');
    assert.ok(cut.b.c.startsWith('zzzzzzzzzz\u2026 [40 more'));
    assert.equal(value.b.c.length, 50);
    assert.ok(!(STUB_KEY in cut));
  });
});

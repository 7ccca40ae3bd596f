/** The trace viewer's host-side payload: deep JSON survives, cURL never holds a key, only web links open. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadedTrace } from '../../src/core/lettaTypes';
import { prettyJsonIterative, stringifyJson } from '../../src/core/traceJson';
import { CONVERSATION_MAX_DEPTH, limitDepth } from '../../src/core/viewer/limitDepth';
import { approximateJsonSize } from '../../src/core/traceJson';
import { buildTraceData, isOpenableUrl, splitTraceData } from '../../src/core/viewer/tracePayload';
import { buildDeepJson, buildLargeTrace } from '../fixtures/builders';
import { loadFixtureTrace, loadFixtureTraces } from '../fixtures/fixtures';

function depthOf(root: unknown): number {
  let max = 0;
  const stack: { v: unknown; d: number }[] = [{ v: root, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (v !== null && typeof v === 'object') {
      max = Math.max(max, d + 1);
      for (const c of Object.values(v)) {
        stack.push({ v: c, d: d + 1 });
      }
    }
  }
  return max;
}

describe('tracePanelJson', () => {
  it('the loop, on one line, stringifies exactly like JSON.stringify', () => {
    const samples: unknown[] = [
      null,
      0,
      -1.5e-7,
      'quote " backslash \\ newline \n lone \ud800',
      [],
      {},
      [1, 'a', null, true, undefined, () => 1, NaN, Infinity, [[], {}]],
      { a: undefined, b: 1, c: { d: [{ e: 'f' }] }, g: () => 1, '': 'empty key', 'ключ': 'значение' },
      ...loadFixtureTraces().map((f) => f.trace),
    ];
    for (const s of samples) {
      assert.equal(prettyJsonIterative(s, -1), JSON.stringify(s));
    }
  });

  it('stringifies 10,000-deep JSON that the native one cannot', () => {
    const deep = buildDeepJson(10_000);
    assert.throws(() => JSON.stringify(deep), RangeError);
    const text = stringifyJson(deep);
    assert.equal(stringifyJson(JSON.parse(text)), text);
    assert.ok(text.includes('"leaf"'));
  });

  it('limitDepth keeps shallow values as they are and cuts deep ones with a note', () => {
    const shallow = { a: [{ b: 1 }] };
    assert.equal(limitDepth(shallow, 10), shallow);
    const cut = limitDepth({ deep: buildDeepJson(10_000) }, CONVERSATION_MAX_DEPTH);
    assert.ok(depthOf(cut) <= CONVERSATION_MAX_DEPTH);
    assert.doesNotThrow(() => JSON.stringify(cut));
    assert.ok(JSON.stringify(cut).includes('see the Raw JSON tab'));
  });
});

describe('tracePayload', () => {
  const chat = loadFixtureTrace('openai-chat');
  const loaded: LoadedTrace = { stepId: chat.step_id!, trace: chat, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 1 };

  it('carries the summary, the conversation and the raw request/response/metadata', () => {
    const data = buildTraceData(loaded);
    assert.equal(data.stepId, chat.step_id);
    assert.equal(data.origin, 'https://api.letta.com');
    assert.equal(data.summary.model, 'gpt-4.1-mini');
    assert.ok(data.conversation.messages.length > 0);
    const raw = JSON.parse(data.raw!) as { request: unknown; response: unknown; metadata: Record<string, unknown> };
    assert.deepEqual(raw.request, chat.request_json);
    assert.deepEqual(raw.response, chat.response_json);
    assert.equal(raw.metadata.step_id, chat.step_id);
    assert.equal('request_json' in raw.metadata, false);
  });

  it('a trace from a file has no origin but its path', () => {
    const data = buildTraceData({ ...loaded, source: { kind: 'file', path: '/tmp/t.json' } });
    assert.equal(data.origin, undefined);
    assert.equal(data.file, '/tmp/t.json');
  });

  it('only http and https links may open', () => {
    assert.ok(isOpenableUrl('https://example.com/a.png'));
    assert.ok(isOpenableUrl('http://localhost:8283/x'));
    for (const bad of ['javascript:alert(1)', 'data:image/svg+xml;base64,AAAA', 'file:///etc/passwd', 'command:letta.signOut', 'vscode://x', 'not a url', '']) {
      assert.equal(isOpenableUrl(bad), false, bad);
    }
  });
});

describe('splitTraceData', () => {
  const load = (trace: LoadedTrace['trace']): LoadedTrace => ({ stepId: 'step-00000000-0000-4000-8000-000000000000', trace, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 0 });

  it('sends a fixture-sized trace as one message, unchanged', () => {
    for (const { trace } of loadFixtureTraces()) {
      const data = buildTraceData(load(trace));
      assert.deepEqual(splitTraceData(data), [{ type: 'trace', data }]);
    }
  });

  it('splits a large trace into budget-sized messages that put back together to the whole', () => {
    const data = buildTraceData(load(buildLargeTrace(4_000_000)));
    const budget = 500_000;
    const out = splitTraceData(data, budget);
    const [first, ...rest] = out;
    assert.equal(first.type, 'trace');
    if (first.type !== 'trace') {
      return;
    }
    assert.equal(first.data.raw, undefined, 'the raw text follows in pieces');
    const omitted = first.data.omitted!;
    const all = data.conversation.messages;
    // Head + middle chunks in order + tail = every message, in order.
    const middle = rest.flatMap((m) => (m.type === 'messages' ? m.messages : []));
    const starts = rest.flatMap((m) => (m.type === 'messages' ? [m.start] : []));
    assert.equal(starts[0], omitted.start);
    assert.equal(middle.length, omitted.count);
    const shown = first.data.conversation.messages;
    assert.deepEqual([...shown.slice(0, omitted.start), ...middle, ...shown.slice(omitted.start)], all);
    // Everything else in the conversation comes with the first message.
    assert.deepEqual({ ...first.data.conversation, messages: [] }, { ...data.conversation, messages: [] });
    const raws = rest.filter((m) => m.type === 'raw');
    assert.equal(raws.map((m) => (m.type === 'raw' ? m.text : '')).join(''), data.raw);
    assert.deepEqual(raws.map((m) => m.type === 'raw' && m.done), [...raws.slice(1).map(() => false), true]);
    assert.equal(rest.indexOf(raws[0]), rest.length - raws.length, 'raw text comes after the messages');
    for (const m of out) {
      assert.ok(JSON.stringify(m).length < budget * 1.5, `${m.type} message within the budget`);
    }
    assert.ok(Math.abs(approximateJsonSize(data.conversation) - JSON.stringify(data.conversation).length) < JSON.stringify(data.conversation).length * 0.2, 'size estimate within 20%');
  });
});

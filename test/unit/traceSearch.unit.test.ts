/** Find in the trace (issue 18): counts, options, a bad pattern, JSON in strings, long strings, pacing. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostMessage } from '../../src/shared/protocol';
import { TraceFind } from '../../src/core/viewer/traceFind';
import { MAX_MATCH, WINDOW, compileQuery, findInTrace, type FindMatch, type FindOptions } from '../../src/core/viewer/traceSearch';
import { resolvePath } from '../../src/core/viewer/tracePaging';
import { rng } from '../fixtures/builders';

type Roots = { key: string; value: unknown }[];
const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

async function find(roots: Roots, query: string, options: FindOptions = {}) {
  const result = await findInTrace(roots, query, options, { yieldNow: immediate });
  if (!result.ok) {
    throw new Error(result.error);
  }
  return result;
}

/** The text a match points at, read back through the path (decoding where it says). */
function textAt(roots: Roots, m: FindMatch): string {
  const root = roots.find((r) => r.key === m.path[0])!;
  if (m.inKey) {
    return (m.path.at(-1) as string).slice(m.offset, m.offset + m.length);
  }
  const at = resolvePath(root.value, m.path.slice(1));
  assert.ok(at.ok, 'the path resolves');
  return String(at.value).slice(m.offset, m.offset + m.length);
}

const trace: Roots = [
  { key: 'request', value: { model: 'gpt-4o', messages: [{ role: 'system', content: 'You are Sam. Sam remembers.' }, { role: 'user', content: 'Hi sam' }], tools: [{ name: 'send_message', parameters: { sam_field: 1 } }] } },
  { key: 'response', value: { choices: [{ message: { tool_calls: [{ function: { name: 'send_message', arguments: '{"message": "Hello, Sam!", "samples": [1, 2]}' } }] } }], usage: { total: 1234 } } },
  { key: 'metadata', value: { step_id: 'step-1', ok: true, missing: null } },
];

describe('findInTrace', () => {
  it('counts keys and values everywhere, case-insensitive by default, in document order', async () => {
    const r = await find(trace, 'sam');
    assert.equal(r.total, 6);
    assert.deepEqual(
      r.matches.map((m) => textAt(trace, m)),
      ['Sam', 'Sam', 'sam', 'sam', 'Sam', 'sam'],
    );
    assert.deepEqual(r.matches[3].path, ['request', 'tools', 0, 'parameters', 'sam_field']);
    assert.equal(r.matches[3].inKey, true);
    assert.deepEqual(r.matches.map((m) => m.path[0]), ['request', 'request', 'request', 'request', 'response', 'response']);
  });

  it('finds null, numbers and booleans as their JSON text, keys only below the roots, and keeps the first matches past a cap', async () => {
    const at = async (query: string) => (await find(trace, query)).matches.map((m) => ({ path: m.path, inKey: m.inKey, text: textAt(trace, m) }));
    assert.deepEqual(await at('null'), [{ path: ['metadata', 'missing'], inKey: false, text: 'null' }]);
    assert.deepEqual(await at('234'), [{ path: ['response', 'usage', 'total'], inKey: false, text: '234' }]);
    assert.equal((await find(trace, '234')).matches[0].offset, 1);
    assert.deepEqual(await at('TRUE'), [{ path: ['metadata', 'ok'], inKey: false, text: 'true' }]);
    // A key is a match of its own, before its value: "missing" is a key whose value is null.
    assert.deepEqual(await at('missing'), [{ path: ['metadata', 'missing'], inKey: true, text: 'missing' }]);
    // The roots' own names are the tree's roots, not keys of the trace.
    assert.equal((await find(trace, 'metadata')).total, 0);
    const capped = await findInTrace(trace, 'sam', {}, { yieldNow: immediate, maxLocations: 2 });
    assert.ok(capped.ok);
    assert.deepEqual([capped.total, capped.matches.length, capped.capped], [6, 2, true]);
  });

  it('honours case-sensitive and whole-word', async () => {
    assert.equal((await find(trace, 'Sam', { caseSensitive: true })).total, 3);
    // "sam_field" and "samples" are not the word "sam"; "Sam!" and "Sam." are.
    assert.equal((await find(trace, 'sam', { wholeWord: true })).total, 4);
    assert.equal((await find(trace, 'Sam', { wholeWord: true, caseSensitive: true })).total, 3);
  });

  it('takes regular expressions, and says what is wrong with a bad one instead of throwing', async () => {
    const r = await find(trace, 'sam\\w+', { regex: true });
    assert.deepEqual(r.matches.map((m) => textAt(trace, m)), ['sam_field', 'samples']);
    assert.equal((await find(trace, '\\d{4}', { regex: true })).total, 1);
    const bad = await findInTrace(trace, 'sam(', { regex: true }, { yieldNow: immediate });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.error, /^Not a valid regular expression: .*sam\(/);
    // Plain text with the same characters is just text.
    assert.equal((await find([{ key: 'r', value: 'f(sam( x' }], 'sam(')).total, 1);
    // A pattern that matches empty text counts nothing and does not loop.
    assert.equal((await find(trace, 'x*', { regex: true })).total, 0);
    assert.equal((await findInTrace(trace, '', {}, { yieldNow: immediate })).ok, false);
  });

  it('searches the JSON inside a string as its value, located under a decoded segment', async () => {
    const r = await find(trace, 'hello');
    assert.equal(r.total, 1);
    assert.deepEqual(r.matches[0].path, ['response', 'choices', 0, 'message', 'tool_calls', 0, 'function', 'arguments', { decoded: true }, 'message']);
    assert.equal(r.matches[0].offset, 0);
    // resolvePath follows the decoded segment: the match reads back as found.
    assert.equal(textAt(trace, r.matches[0]), 'Hello');
    const key = await find(trace, 'samples', { wholeWord: true });
    assert.equal(key.matches[0].inKey, true);
    assert.deepEqual(key.matches[0].path.slice(-2), [{ decoded: true }, 'samples']);
    // Escapes in the string: a \u escape spelling the word, a word after a \n, a word across none.
    const escaped = [{ key: 'r', value: { a: '{"x": "\\u0071uokka here", "y": "line\\nquokka", "z": "no"}', b: '["quo\\nkka"]' } }];
    assert.equal((await find(escaped, 'quokka')).total, 2);
    assert.equal((await find(escaped, 'quokka', { wholeWord: true })).total, 2);
    assert.equal((await find(escaped, 'quo\\nkka', { regex: true })).total, 1, 'a regular expression sees the decoded newline');
    // A string that only looks like JSON is searched as text.
    assert.equal((await find([{ key: 'r', value: { s: '{not json sam}' } }], 'sam')).total, 1);
  });

  it('finds matches deep in long strings, across window edges, with their offsets', async () => {
    const text = 'a'.repeat(WINDOW - 2) + 'needle' + 'b'.repeat(3 * WINDOW) + 'NEEDLE' + 'c'.repeat(100);
    const roots = [{ key: 'request', value: { system: text } }];
    const r = await find(roots, 'needle');
    assert.deepEqual(r.matches.map((m) => m.offset), [WINDOW - 2, WINDOW - 2 + 6 + 3 * WINDOW]);
    assert.deepEqual(r.matches.map((m) => textAt(roots, m)), ['needle', 'NEEDLE']);
    assert.equal((await find(roots, 'needle', { caseSensitive: true })).total, 1);
    // A regular expression's match across a window edge is found once, whole.
    const rx = await find(roots, 'a+needleb{3}', { regex: true });
    assert.equal(rx.total, 1);
    assert.deepEqual([rx.matches[0].offset, rx.matches[0].length], [0, WINDOW - 2 + 'needlebbb'.length]);
    // A match longer than the overlap reaches at most that far past its window.
    assert.ok(MAX_MATCH < WINDOW);
    assert.ok(textAt(roots, rx.matches[0]).endsWith('aneedlebbb'));
  });

  it('reports the first match before the walk is done, yields between slices and stops when cancelled', async () => {
    const big = Array.from({ length: 20_000 }, (_, i) => ({ text: `item ${i} ${i % 7 === 0 ? 'marker' : 'plain'} ${'x'.repeat(200)}` }));
    const roots = [{ key: 'request', value: big }];
    const events: string[] = [];
    let yields = 0;
    const r = await findInTrace(roots, 'marker', {}, {
      yieldNow: () => (yields++, events.push('yield'), immediate()),
      onFirst: () => events.push('first'),
      sliceMs: 1,
    });
    assert.ok(r.ok);
    assert.equal(r.total, Math.ceil(20_000 / 7));
    assert.ok(events.indexOf('first') < events.length / 4, `the first match is reported early: ${events.indexOf('first')} of ${events.length} events`);
    assert.ok(yields > 1, `paused ${yields} times`);
    let asked = 0;
    const stopped = await findInTrace(roots, 'marker', {}, { yieldNow: immediate, sliceMs: 0, isCancelled: () => ++asked > 2 });
    assert.ok(stopped.ok && stopped.cancelled && stopped.total < r.total);
  });

  it('counts exactly what a naive scan counts (random texts, queries and options)', async () => {
    const rand = rng(7);
    const alphabet = ['a', 'b', 'A', 'B', ' ', '_', 'é', 'É'];
    const pick = () => alphabet[Math.floor(rand() * alphabet.length)];
    const word = (n: number) => Array.from({ length: n }, pick).join('');
    for (let round = 0; round < 200; round++) {
      const texts = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => word(Math.floor(rand() * (round % 10 === 0 ? 3 * WINDOW : 60))));
      const roots = [{ key: 'request', value: Object.fromEntries(texts.map((t, i) => [`k${i}`, t])) }];
      const query = word(1 + Math.floor(rand() * 3)).trim() || 'a';
      const options = { caseSensitive: rand() < 0.5, wholeWord: rand() < 0.3 };
      const norm = (t: string) => (options.caseSensitive ? t : t.toLowerCase());
      let naive = 0;
      for (const t of [...texts.map((_, i) => `k${i}`), ...texts]) {
        const hay = norm(t);
        const needle = norm(query);
        for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) {
          const before = hay[at - 1];
          const after = hay[at + needle.length];
          const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);
          if (!options.wholeWord || (!isWord(before) && !isWord(after))) {
            naive++;
          } else {
            // Whole word: a rejected position lets the next try start one character on.
            at = at - needle.length + 1;
          }
        }
      }
      const r = await find(roots, query, options);
      assert.equal(r.total, naive, `round ${round}: ${JSON.stringify(query)} ${JSON.stringify(options)}`);
    }
  });
});

describe('compileQuery', () => {
  it('finds only in the range asked for', () => {
    const m = compileQuery('ab', { caseSensitive: true });
    assert.ok(m.ok);
    assert.deepEqual(m.find('xxabxxab', 3, 8), { index: 6, length: 2 });
    assert.equal(m.find('xxabxxab', 0, 2), undefined);
  });
});

describe('findInTrace on text a search used to stall on', () => {
  it('steps over an emoji that is not a whole word (a lastIndex inside a surrogate pair found it again)', async () => {
    const roots: Roots = [{ key: 'request', value: { a: '😀x 😀 x😀', b: '😀' } }];
    const r = await find(roots, '😀', { wholeWord: true });
    assert.deepEqual(
      r.matches.map((m) => [m.path.at(-1), m.offset]),
      [
        ['a', 4],
        ['b', 0],
      ],
    );
  });

  it('lowers a window whose lower case is longer once, not once per match', async () => {
    // U+0130 lowers to two characters: the window falls back to the regular expression.
    const text = 'İstanbul quokka '.repeat(WINDOW / 8);
    const r = await find([{ key: 'request', value: { text } }], 'quokka');
    assert.equal(r.total, WINDOW / 8);
  });
});

describe('TraceFind', () => {
  it('posts the first match, then the total, and answers for match k', async () => {
    const posted: HostMessage[] = [];
    const session = new TraceFind((m) => posted.push(m), immediate);
    const held = { stepId: 's', messages: [], roots: trace };
    await session.handle(held, { type: 'find', stepId: 's', id: 1, query: 'sam', options: {} });
    const results = posted.filter((m): m is Extract<HostMessage, { type: 'findResult' }> => m.type === 'findResult');
    assert.equal(results[0].done, false);
    assert.deepEqual(results[0].first?.path, ['request', 'messages', 0, 'content']);
    assert.equal(results.at(-1)!.done, true);
    assert.equal(results.at(-1)!.total, 6);
    await session.handle(held, { type: 'findMatch', stepId: 's', id: 1, index: 3 });
    const answer = posted.at(-1) as Extract<HostMessage, { type: 'findMatch' }>;
    assert.deepEqual(answer.match?.path, ['request', 'tools', 0, 'parameters', 'sam_field']);
    await session.handle(held, { type: 'findMatch', stepId: 's', id: 1, index: 99 });
    assert.ok((posted.at(-1) as { error?: string }).error);
    // A bad pattern: one answer with the error.
    await session.handle(held, { type: 'find', stepId: 's', id: 2, query: '[', options: { regex: true } });
    assert.match((posted.at(-1) as { error?: string }).error ?? '', /regular expression/);
    // Another step's request is not answered.
    const before = posted.length;
    await session.handle(held, { type: 'find', stepId: 'other', id: 3, query: 'sam', options: {} });
    assert.equal(posted.length, before);
  });
});

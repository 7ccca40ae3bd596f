/**
 * The find's text index (src/core/viewer/traceTextIndex.ts): for every query it answers, it finds
 * exactly what the walk of `findInTrace` finds, in the same order (on every fixture, the real-world
 * payloads and a generated trace with long strings, JSON in strings and case-changing letters);
 * the queries it cannot answer are left to the walk; the panel's session builds it once, counts
 * it in the memory budget and builds it again once the budget dropped it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostMessage } from '../../src/shared/protocol';
import { TraceFind } from '../../src/core/viewer/traceFind';
import { findInTrace, type FindOptions, type FindResult } from '../../src/core/viewer/traceSearch';
import { CHUNK, SEPARATOR, buildTextIndex, findInIndex, indexAnswers, type TraceTextIndex } from '../../src/core/viewer/traceTextIndex';
import { loadFixtureTraces, loadRealWorldTraces } from '../fixtures/fixtures';
import { rng } from '../fixtures/builders';
import type { ProviderTrace } from '../../src/core/lettaTypes';

type Roots = { key: string; value: unknown }[];
const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

function rootsOf(trace: ProviderTrace): Roots {
  const { request_json: request, response_json: response, ...metadata } = trace as unknown as Record<string, unknown>;
  return [
    { key: 'request', value: request },
    { key: 'response', value: response },
    { key: 'metadata', value: metadata },
  ];
}

async function index(roots: Roots): Promise<TraceTextIndex> {
  const built = await buildTextIndex(roots, { yieldNow: immediate });
  assert.ok(built, 'built');
  return built;
}

function ok(result: FindResult): Extract<FindResult, { ok: true }> {
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result;
}

async function same(roots: Roots, built: TraceTextIndex, query: string, options: FindOptions, sliceMs?: number): Promise<number> {
  const hooks = { yieldNow: immediate, ...(sliceMs === undefined ? {} : { sliceMs }) };
  const walked = ok(await findInTrace(roots, query, options, hooks));
  const indexed = ok(await findInIndex(built, query, options, hooks));
  assert.equal(indexed.total, walked.total, `count of ${JSON.stringify(query)} ${JSON.stringify(options)}`);
  assert.deepEqual(indexed.matches, walked.matches, `matches of ${JSON.stringify(query)} ${JSON.stringify(options)}`);
  return walked.total;
}

const OPTIONS: FindOptions[] = [{}, { caseSensitive: true }, { wholeWord: true }, { caseSensitive: true, wholeWord: true }];

/** Words of the trace itself (so most queries match), cut and recased, plus a few that never do. */
function queriesOf(roots: Roots, random: () => number, n: number): string[] {
  const words = JSON.stringify(roots.map((r) => r.value)).match(/[\p{L}\p{N}_]{2,}/gu) ?? [];
  const out = ['the', 'e', 'id', 'null', 'true', '1', 'role', '"', ':', 'zzqxq-never'];
  for (let i = 0; i < n && words.length > 0; i++) {
    const w = words[Math.floor(random() * words.length)];
    const cut = w.slice(0, 1 + Math.floor(random() * w.length));
    out.push(random() < 0.3 ? cut.toUpperCase() : cut);
  }
  return out;
}

/** A trace with texts past `CHUNK` characters, long and short JSON in strings, and letters whose lower case is longer. */
function generated(): Roots {
  const random = rng(7);
  const word = () => ['quokka', 'Σίσυφος', 'İstanbul', 'alpha', 'beta_2', 'naïve', '😀x', 'end.'][Math.floor(random() * 8)];
  const sentence = (n: number) => Array.from({ length: n }, word).join(' ');
  const messages = Array.from({ length: 400 }, (_, i) => ({
    role: i % 2 ? 'assistant' : 'user',
    // JSON in strings, some with \\u escapes that decode to the words searched for (`\\u0071` is q).
    content: i % 7 === 3 ? JSON.stringify({ result: sentence(20), nested: { quokka: [1, 2, sentence(3)] } }) : i % 13 === 5 ? `{"escaped": "\\u0071uokka \\nquokka ${sentence(2)}"}` : sentence(10 + (i % 50)),
  }));
  const long = sentence(Math.ceil((CHUNK * 1.4) / 6));
  return [
    { key: 'request', value: { model: 'gpt-4o', system: long, messages, tools: [{ name: 'send_message', parameters: { quokka: { type: 'string' } } }] } },
    { key: 'response', value: { content: [{ text: sentence(CHUNK / 40) }, { text: JSON.stringify([sentence(5), { a: sentence(2) }]) }], usage: { input: 1234, output: 56 } } },
    { key: 'metadata', value: { step_id: 'step-1', ok: true, missing: null, [`key ${word()}`]: 'x', notes: Array.from({ length: 20_000 }, () => sentence(8)) } },
  ];
}

describe('the find text index', () => {
  it('finds what the walk finds, in the same order, on every fixture and real-world payload', async () => {
    const random = rng(42);
    const traces = [...loadFixtureTraces(), ...loadRealWorldTraces()];
    assert.ok(traces.length > 40);
    let total = 0;
    for (const { trace } of traces) {
      const roots = rootsOf(trace);
      const built = await index(roots);
      for (const query of queriesOf(roots, random, 6)) {
        for (const options of OPTIONS) {
          if (indexAnswers(query, options)) {
            total += await same(roots, built, query, options);
          }
        }
      }
    }
    assert.ok(total > 1000, `the queries matched (${total} matches)`);
  });

  it('finds what the walk finds across joined parts, long texts, JSON in strings and case-changing letters, sliced or not', async () => {
    const roots = generated();
    const built = await index(roots);
    assert.ok(built.parts.some((p) => p.singles.some((t) => t.text.length > CHUNK)), 'a text past CHUNK is kept on its own');
    assert.ok(built.parts.some((p) => p.json.includes(1)), 'strings that may hold JSON are joined, decoded by the searches that find the query in them');
    assert.ok(built.parts.some((p) => p.singles.some((t) => t.json)), 'one with a \\u escape is kept on its own');
    assert.ok(built.parts.length >= 2, 'short texts fill more than one joined part');
    for (const query of ['quokka', 'QUOKKA', 'σ', 'Σίσυφος', 'ΣΊΣΥΦΟΣ', 'i̇stanbul', 'stanbul', 'İ', '😀', 'x ', 'beta_2 naïve', 'end', 'd.', 'result', 'nested', 'a']) {
      for (const options of OPTIONS) {
        if (indexAnswers(query, options)) {
          await same(roots, built, query, options);
          // Sliced to nothing, so every part and every long text is resumed where it stopped.
          await same(roots, built, query, options, 0);
        }
      }
    }
    const quokka = ok(await findInIndex(built, 'quokka', {}, { yieldNow: immediate }));
    assert.ok(quokka.total > 1000);
    assert.ok(quokka.matches.some((m) => m.path.some((s) => typeof s === 'object')), 'matches inside JSON in strings carry the decoded step');
    assert.ok(quokka.matches.some((m) => m.inKey), 'keys are found');
  });

  it('leaves regular expressions, the separator, quotes and escapes, and queries whose lower case is longer to the walk', () => {
    assert.equal(indexAnswers('a.b', { regex: true }), false);
    assert.equal(indexAnswers('say "hi"', {}), false, 'a quote decoded from JSON in a string is not in its raw text');
    assert.equal(indexAnswers('a/b', { caseSensitive: true }), false);
    assert.equal(indexAnswers(`a${SEPARATOR}b`, {}), false);
    assert.equal(indexAnswers('İ', {}), false, 'its lower case is two characters');
    assert.equal(indexAnswers('İ', { caseSensitive: true }), true);
    assert.equal(indexAnswers('', {}), false);
    assert.equal(indexAnswers('plain', { wholeWord: true }), true);
  });

  it('stops building when cancelled', async () => {
    let polls = 0;
    const built = await buildTextIndex(generated(), { yieldNow: immediate, sliceMs: 0, isCancelled: () => ++polls > 1 });
    assert.equal(built, undefined);
  });

  it('reaches the walk through TraceFind: built once, counted in the budget, built again once dropped', async () => {
    const posted: HostMessage[] = [];
    const accounted: (number | undefined)[] = [];
    let drop: (() => void) | undefined;
    const done: boolean[] = [];
    const session = new TraceFind(
      (m) => posted.push(m),
      immediate,
      ({ indexed }) => done.push(indexed),
      (bytes, dropIt) => {
        accounted.push(bytes);
        drop = dropIt;
      },
    );
    const roots = generated();
    const held = { stepId: 's', messages: [], roots };
    await session.handle(held, { type: 'findPrepare', stepId: 's' });
    assert.equal(accounted.length, 1);
    assert.ok((accounted[0] ?? 0) > CHUNK, 'the joined texts are counted');
    assert.ok((accounted[0] ?? 0) < 8 * CHUNK, 'the long texts are not copied, so not counted');
    const walked = ok(await findInTrace(roots, 'quokka', {}, { yieldNow: immediate }));
    await session.handle(held, { type: 'find', stepId: 's', id: 1, query: 'quokka', options: {} });
    const last = posted.at(-1) as Extract<HostMessage, { type: 'findResult' }>;
    assert.equal(last.done, true);
    assert.equal(last.total, walked.total);
    assert.deepEqual(last.first, walked.matches[0]);
    assert.deepEqual(done, [true], 'answered from the index');
    assert.equal(accounted.length, 1, 'built once');
    // A regular expression walks.
    await session.handle(held, { type: 'find', stepId: 's', id: 2, query: 'quo+kka', options: { regex: true } });
    assert.deepEqual(done, [true, false]);
    assert.equal((posted.at(-1) as { total?: number }).total, walked.total);
    // The budget drops it: the next search builds it again.
    drop?.();
    await session.handle(held, { type: 'find', stepId: 's', id: 3, query: 'quokka', options: {} });
    assert.equal(accounted.length, 2);
    assert.deepEqual(done, [true, false, true]);
    // Another trace shown: the index goes from the budget.
    session.stop();
    assert.equal(accounted.at(-1), undefined);
  });
});

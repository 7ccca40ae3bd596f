import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { countTokens as o200k } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import { countTokens as cl100k } from 'gpt-tokenizer/cjs/encoding/cl100k_base';
import { encodingForModel } from '../../src/core/context/encodingForModel';
import { countTokensChunked, HARD_CUT, PIECE_CHARS, splitForCounting } from '../../src/core/context/tokenCount';
import { createWorkerTokenCounter } from '../../src/core/context/tokenizerHost';
import { loadEncoder } from '../../src/core/context/tokenizerModule';

const AS_TEXT = { disallowedSpecial: new Set<string>() };
const whole = (text: string) => o200k(text, AS_TEXT);

/** Prose-like text: words, punctuation, numbers, newlines and indentation, some non-ASCII. */
const proseText = fc
  .array(fc.oneof(fc.constantFrom('the', 'memory', 'block', 'Letta', "don't", '1234567', 'naïve', '東京', '🙂', '{"a": 1}', '—', 'x'.repeat(50)), fc.constantFrom(' ', '  ', '\n', '\n\n', '\t', ', ', '. ')), { minLength: 1, maxLength: 4000 })
  .map((parts) => parts.join(''));

describe('splitForCounting', () => {
  it('pieces join back to the text and none is longer than a piece', () => {
    fc.assert(
      fc.property(fc.oneof(proseText, fc.string({ maxLength: 20000 })), (text) => {
        const pieces = splitForCounting(text, 512, 256);
        assert.equal(pieces.join(''), text);
        assert.ok(pieces.every((p) => p.length <= 512));
      }),
      { numRuns: 200 },
    );
  });

  it('a text without boundaries is cut hard, never inside a surrogate pair', () => {
    const pieces = splitForCounting('🙂'.repeat(5000));
    assert.ok(pieces.length > 1);
    assert.ok(pieces.every((p) => p.length <= PIECE_CHARS && p.length >= HARD_CUT - 1));
    assert.ok(pieces.every((p) => !/[\ud800-\udbff]$/.test(p)), 'no piece ends with a lone high surrogate');
  });
});

describe('countTokensChunked', () => {
  it('counts prose exactly as one whole call does (cuts only where the tokenizer splits anyway)', async () => {
    await fc.assert(
      fc.asyncProperty(proseText, async (text) => {
        const [chunked] = await countTokensChunked([text], whole);
        assert.equal(chunked, whole(text));
      }),
      { numRuns: 60 },
    );
  });

  it('counts a Letta prompt (4 KB pieces) the same as whole, and an empty text as 0', async () => {
    const text = 'You are a helpful agent.\n<memory_blocks>\n'.repeat(2000);
    assert.ok(text.length > PIECE_CHARS * 10);
    assert.deepEqual(await countTokensChunked([text, ''], whole), [whole(text), 0]);
  });

  it('yields between slices: a timer set before counting fires before it ends', async () => {
    const text = 'word '.repeat(400_000);
    let fired = false;
    setTimeout(() => (fired = true), 0);
    const slices: number[] = [];
    await countTokensChunked([text], whole, { sliceMs: 5, onSlice: (ms) => slices.push(ms) });
    assert.equal(fired, true);
    assert.ok(slices.length > 1, `counted in ${slices.length} slices`);
  });

  it('stops when cancelled', async () => {
    const signal = { aborted: false };
    const p = countTokensChunked(['word '.repeat(400_000)], whole, { sliceMs: 1, signal });
    signal.aborted = true;
    await assert.rejects(p, { name: 'AbortError' });
  });

  it('counts special-token text as text instead of throwing', async () => {
    const encode = await loadEncoder('o200k_base');
    assert.equal(encode('a <|endoftext|> b'), whole('a <|endoftext|> b'));
    assert.ok(encode('<|endoftext|>') > 1, 'not the single special token');
  });
});

describe('encodingForModel', () => {
  it('OpenAI models get their public encoding; others an estimate', () => {
    assert.deepEqual(encodingForModel('gpt-4o-mini'), { encoding: 'o200k_base', exact: true });
    assert.deepEqual(encodingForModel('openai/gpt-4.1-mini'), { encoding: 'o200k_base', exact: true });
    assert.deepEqual(encodingForModel('o3-mini'), { encoding: 'o200k_base', exact: true });
    assert.deepEqual(encodingForModel('gpt-5-mini'), { encoding: 'o200k_base', exact: true });
    assert.deepEqual(encodingForModel('gpt-4-0613'), { encoding: 'cl100k_base', exact: true });
    assert.deepEqual(encodingForModel('gpt-3.5-turbo'), { encoding: 'cl100k_base', exact: true });
    assert.deepEqual(encodingForModel('claude-sonnet-4-5-20250929'), { encoding: 'o200k_base', exact: false });
    assert.deepEqual(encodingForModel(undefined), { encoding: 'o200k_base', exact: false });
  });
});

describe('worker token counter', () => {
  const workerFile = path.join(__dirname, '..', '..', 'src', 'core', 'context', 'tokenizerWorker.js');

  it('counts in a worker thread, in both encodings, the same as on this thread', async () => {
    const counter = createWorkerTokenCounter(workerFile);
    try {
      const texts = ['Hello, world!', 'the memory block\n'.repeat(3000), ''];
      assert.deepEqual(await counter.count(texts, 'o200k_base'), texts.map(whole));
      assert.deepEqual(await counter.count(texts, 'cl100k_base'), texts.map((t) => cl100k(t, AS_TEXT)));
    } finally {
      counter.dispose();
    }
  });

  it('rejects pending counts when disposed, and a bad worker file rejects instead of hanging', async () => {
    const counter = createWorkerTokenCounter(workerFile);
    const pending = counter.count(['word '.repeat(200_000)], 'o200k_base');
    counter.dispose();
    await assert.rejects(pending, /stopped/);
    const broken = createWorkerTokenCounter(path.join(__dirname, 'no-such-worker.js'));
    await assert.rejects(broken.count(['x'], 'o200k_base'), /tokenizer stopped/);
    broken.dispose();
  });
});

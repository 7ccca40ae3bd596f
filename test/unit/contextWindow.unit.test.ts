import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calcPrice } from '@pydantic/genai-prices';
import { countTokens } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import { contextPieces, reportedPromptTokens } from '../../src/core/context/contextWindow';
import { countTokensChunked, type TokenCounter } from '../../src/core/context/tokenCount';
import { loadEncoder } from '../../src/core/context/tokenizerModule';
import { locateSystemPrompt, stepContextLater, stepContextNow } from '../../src/core/context/stepContext';
import { normalizeTrace } from '../../src/core/conversation/normalize';
import type { Conversation } from '../../src/core/conversation/model';
import { contextTraces, readPromptFixture } from '../fixtures/contextFixtures';
import { loadFixtureTrace } from '../fixtures/fixtures';

const AS_TEXT = { disallowedSpecial: new Set<string>() };
/** The real tokenizer on this thread, chunked (what a page would use). */
const count: TokenCounter = async (texts, encoding) => countTokensChunked(texts, await loadEncoder(encoding));
const loadPrices = () => Promise.resolve(calcPrice);

describe('contextPieces', () => {
  it('splits a Letta prompt into system instructions and one piece per memory block, the rest by role', () => {
    const [{ loaded }] = contextTraces();
    const conversation = normalizeTrace(loaded.trace);
    const located = locateSystemPrompt(conversation);
    assert.ok(located);
    const { pieces } = contextPieces(conversation, located);
    assert.deepEqual(
      pieces.map((p) => p.id),
      ['system', 'block:persona', 'block:human', 'block:project_log', 'tools', 'messages:user', 'messages:assistant', 'tool-results'],
    );
    // The system prompt is all there, once: instructions + blocks give back its length.
    const prompt = readPromptFixture('letta-prompt-new');
    const promptChars = pieces.filter((p) => p.kind === 'system' || p.kind === 'memory-block').reduce((n, p) => n + p.text.length, 0);
    assert.equal(promptChars, prompt.length);
  });

  it('finds Letta\u2019s summary message and Anthropic tool results inside user messages', () => {
    const conversation: Conversation = {
      format: 'anthropic', formatLabel: 'Anthropic', requestFormat: 'anthropic', tools: [], parameters: {}, output: [], notes: [],
      messages: [
        { role: 'system', parts: [{ kind: 'text', text: 'plain prompt' }] },
        { role: 'user', parts: [{ kind: 'text', text: 'Note: prior messages (40 of 52 total messages) have been hidden from view due to conversation memory constraints.\nThe following is a summary of the previous 40 messages: …' }] },
        { role: 'assistant', parts: [{ kind: 'tool-call', name: 'search', arguments: { q: 'x' } }] },
        { role: 'user', parts: [{ kind: 'tool-result', toolCallId: 't1', content: [{ kind: 'text', text: 'found it' }] }, { kind: 'image', mediaType: 'image/png' }] },
      ],
    };
    const { pieces, images } = contextPieces(conversation);
    assert.deepEqual(pieces.map((p) => p.id), ['system', 'summary', 'messages:assistant', 'tool-results']);
    assert.equal(images, 1);
    assert.equal(pieces.find((p) => p.id === 'tool-results')?.text, 'found it');
  });
});

describe('reportedPromptTokens', () => {
  it('adds Anthropic cache reads and writes to its input_tokens; others include them already', () => {
    assert.equal(reportedPromptTokens({ promptTokens: 10, cachedTokens: 100, cacheWriteTokens: 5 }, 'anthropic'), 115);
    assert.equal(reportedPromptTokens({ promptTokens: 3187, cachedTokens: 2944 }, 'openai-chat'), 3187);
    assert.equal(reportedPromptTokens({ completionTokens: 3 }, 'openai-chat'), undefined);
  });
});

describe('stepContextLater on the fixtures', () => {
  it('OpenAI, new format, step limit: exact o200k counts, limit from the step, difference to the reported tokens', async () => {
    const [{ loaded }] = contextTraces();
    const later = await stepContextLater(loaded, { count, loadPrices });
    const w = later.window;
    assert.ok(w, later.windowError);
    assert.equal(w.encoding, 'o200k_base');
    assert.equal(w.estimated, false);
    assert.equal(w.limit, 32000);
    assert.equal(w.limitSource, 'step');
    assert.equal(w.totalTokens, w.sections.reduce((n, s) => n + s.tokens, 0));
    const persona = w.sections.find((s) => s.id === 'block:persona');
    const conversation = normalizeTrace(loaded.trace);
    const located = locateSystemPrompt(conversation);
    const raw = located?.parsed.sections.find((s) => s.kind === 'memory-block' && s.block.label === 'persona')?.raw ?? '';
    assert.equal(persona?.tokens, countTokens(raw, AS_TEXT));
    assert.equal(w.reportedPromptTokens, 1904);
    assert.equal(w.difference, 1904 - w.totalTokens);
    assert.ok(w.sections.some((s) => s.id === 'framing'));
    assert.equal(later.cost.known, true);
  });

  it('Anthropic, old format, no step: estimated, limit from llm_config, prompt includes cache', async () => {
    const [, { loaded }] = contextTraces();
    const later = await stepContextLater(loaded, { count, loadPrices });
    const w = later.window;
    assert.ok(w);
    assert.equal(w.estimated, true);
    assert.equal(w.limit, 200000);
    assert.equal(w.limitSource, 'llm_config');
    assert.deepEqual(w.sections.filter((s) => s.kind === 'memory-block').map((s) => s.label), ['Memory: persona', 'Memory: human']);
    const usage = normalizeTrace(loaded.trace).usage ?? {};
    assert.equal(w.reportedPromptTokens, (usage.promptTokens ?? 0) + (usage.cachedTokens ?? 0) + (usage.cacheWriteTokens ?? 0));
    assert.ok(w.notes.some((n) => /not public/.test(n)));
  });

  it('a counter that fails gives a windowError, and the cost still comes', async () => {
    const [{ loaded }] = contextTraces();
    const later = await stepContextLater(loaded, { count: () => Promise.reject(new Error('no worker')), loadPrices });
    assert.equal(later.window, undefined);
    assert.match(later.windowError ?? '', /no worker/);
    assert.equal(later.cost.known, true);
  });

  it('a price table that fails to load is "cost unknown", not a guess', async () => {
    const [{ loaded }] = contextTraces();
    const later = await stepContextLater(loaded, { count, loadPrices: () => Promise.reject(new Error('missing prices.js')) });
    assert.equal(later.cost.known, false);
    assert.match(later.cost.known ? '' : later.cost.reason, /missing prices\.js/);
  });
});

describe('stepContextNow', () => {
  it('a step whose prompt is not Letta\u2019s has no systemPrompt, and keeps its parameters', () => {
    const trace = loadFixtureTrace('openai-chat');
    const req = structuredClone(trace.request_json) as { messages: { content: string }[] };
    req.messages[0].content = 'You are a helpful assistant.';
    const now = stepContextNow(normalizeTrace({ ...trace, request_json: req }));
    assert.equal(now.systemPrompt, undefined);
    assert.ok(now.parameters.length > 0);
  });
});

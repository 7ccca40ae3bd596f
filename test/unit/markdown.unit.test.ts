import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { calcPrice } from '@pydantic/genai-prices';
import { formatUsd, priceStep } from '../../src/core/context/cost';
import { glanceParameters } from '../../src/core/context/parameters';
import { normalizeTrace } from '../../src/core/conversation/normalize';
import { cutText, fence, fencedCut, inlineCode } from '../../src/core/markdown/markdownSafe';
import { loadedStepToMarkdown, runToMarkdown, stepToMarkdown, type StepMarkdownInput } from '../../src/core/markdown/stepMarkdown';
import { stepContextLater } from '../../src/core/context/stepContext';
import { countTokensChunked } from '../../src/core/context/tokenCount';
import { loadEncoder } from '../../src/core/context/tokenizerModule';
import { contextTraces } from '../fixtures/contextFixtures';
import { summarizeTrace } from '../../src/core/stepSummary';
import { loadFixtureTrace, type FixtureName } from '../fixtures/fixtures';

/** What a CommonMark reader sees inside a fence: the lines between the opening and its closing fence. */
function readFence(md: string): string {
  const lines = md.split('\n');
  const open = /^(`{3,})/.exec(lines[0]);
  assert.ok(open);
  const body: string[] = [];
  for (const line of lines.slice(1)) {
    const m = /^(`{3,})\s*$/.exec(line);
    if (m && m[1].length >= open[1].length) {
      return body.join('\n');
    }
    body.push(line);
  }
  throw new Error('fence never closed');
}

function input(name: FixtureName): StepMarkdownInput {
  const trace = loadFixtureTrace(name);
  const conversation = normalizeTrace(trace);
  const summary = summarizeTrace(trace);
  return {
    stepId: trace.step_id ?? 'step-x',
    summary,
    conversation,
    parameters: glanceParameters(conversation.parameters, conversation.format),
    cost: priceStep({ usage: conversation.usage, model: summary.model, provider: summary.provider, format: conversation.format }, calcPrice),
  };
}

describe('markdownSafe', () => {
  it('a fence holds any text: nothing inside closes it', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('`', '```', '````', '~~~', '\n', 'a', ' ', '<b>', '>'), { maxLength: 60 }).map((a) => a.join('')), (text) => {
        assert.equal(readFence(fence(text)), text.endsWith('\n') ? text.slice(0, -1) : text);
      }),
      { numRuns: 1000 },
    );
    assert.match(fence('a\n```\nb'), /^````\n/);
  });

  it('inline code is one line and keeps its text as code', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('`', 'a', ' ', '\n') }), (text) => {
        const code = inlineCode(text);
        assert.ok(!code.includes('\n'));
        const ticks = /^`+/.exec(code)?.[0] ?? '';
        assert.ok(code.endsWith(ticks));
        // No run inside is as long as the delimiters.
        const inner = code.slice(ticks.length, code.length - ticks.length);
        assert.ok(!inner.includes(ticks));
      }),
      { numRuns: 500 },
    );
  });

  it('a cut text says how much was cut, and never halves a surrogate pair', () => {
    assert.deepEqual(cutText('ab🙂', 3), { text: 'ab', cut: 2 });
    const md = fencedCut('x'.repeat(5000), 1000);
    assert.match(md, /4,000 characters more not shown \(of 5,000 characters\)/);
  });
});

describe('stepToMarkdown', () => {
  it('has the conversation, tool calls with arguments, output, usage and cost of a step', () => {
    const md = stepToMarkdown(input('openai-chat'));
    assert.match(md, /^# Letta step `step-6f10b27d-1536-46e7-9b1f-ec8ea330f6c0`/);
    assert.match(md, /- Model: `gpt-4\.1-mini`/);
    assert.match(md, /- Usage: 3,187 in · 74 out · 2,944 cached · 0 reasoning · 0 audio in · 0 audio out · 3,261 total/);
    assert.match(md, /- Cost: \$0\.\d+ \(input \$[\d.]+, output \$[\d.]+; OpenAI prices from @pydantic\/genai-prices 0\.1\.8, 2026-09-23\)/);
    assert.match(md, /- Parameters: Temperature `0\.7`/);
    assert.match(md, /Tool call `[a-z_]+`/);
    assert.match(md, /## Response/);
    assert.match(md, /## Request \(7 messages\)/);
  });

  it('untrusted text cannot break out: hostile fixture\u2019s backticks and HTML stay inside fences', () => {
    const md = stepToMarkdown(input('hostile'));
    // Every line outside a fence is one this module wrote: a heading, a fact, a note or a label.
    let open = 0;
    for (const line of md.split('\n')) {
      const m = /^(`{3,})/.exec(line);
      if (open === 0 && m) {
        open = m[1].length;
        continue;
      }
      if (open > 0) {
        if (m && m[1].length >= open && line.slice(m[1].length).trim() === '') {
          open = 0;
        }
        continue;
      }
      assert.ok(line === '' || /^(#{1,6} |- |_|Tool (call|result|error)|Thinking:|`)/.test(line), `unfenced line: ${JSON.stringify(line.slice(0, 120))}`);
    }
    assert.equal(open, 0, 'every fence is closed');
  });

  it('stays under the bound, with a note saying what was left out', () => {
    const big = input('openai-chat');
    big.conversation = { ...big.conversation, messages: Array.from({ length: 200 }, (_, i) => ({ role: 'user' as const, parts: [{ kind: 'text' as const, text: `message ${i} `.repeat(300) }] })) };
    const md = stepToMarkdown(big, { maxChars: 16_000, maxTextChars: 1000 });
    assert.ok(md.length <= 16_000, `${md.length}`);
    assert.match(md, /more request messages not shown/);
    assert.match(md, /## Response/, 'the response is kept');
    assert.match(md, /more not shown \(of 3,\d{3} characters\)/, 'long texts are cut with a note');
  });

  it('a run shares one budget between its steps', () => {
    const steps = (['openai-chat', 'anthropic', 'google', 'openai-responses'] as const).map(input);
    const md = runToMarkdown('run-1', steps, { maxChars: 12_000 });
    assert.ok(md.length <= 12_000, `${md.length}`);
    assert.match(md, /^# Letta run `run-1`/);
    assert.equal(md.match(/^## Letta step /gm)?.length, 4);
    const tiny = runToMarkdown('run-1', steps, { maxChars: 2048 });
    assert.ok(tiny.length <= 2048 + 200);
    assert.match(tiny, /more steps? not shown/);
  });

  it('a loaded step with its context: the context window line and the cost come from the counts', async () => {
    const [{ loaded }] = contextTraces();
    const later = await stepContextLater(loaded, { count: async (texts, e) => countTokensChunked(texts, await loadEncoder(e)), loadPrices: () => Promise.resolve(calcPrice) });
    const md = loadedStepToMarkdown(loaded, later);
    const w = later.window;
    assert.ok(w && later.cost.known);
    assert.ok(md.includes(`- Context window: ${w.totalTokens.toLocaleString('en-US')} tokens of 32,000`), md.slice(0, 800));
    assert.ok(md.includes(`- Cost: ${formatUsd(later.cost.total)} (`));
    assert.ok(!loadedStepToMarkdown(loaded).includes('- Cost:'), 'no cost line without a price');
  });
});

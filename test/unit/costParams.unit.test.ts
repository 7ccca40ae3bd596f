import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { calcPrice } from '@pydantic/genai-prices';
import { formatUsd, PRICE_TABLE, priceStep } from '../../src/core/context/cost';
import { glanceParameters } from '../../src/core/context/parameters';
import { normalizeTrace } from '../../src/core/conversation/normalize';
import { loadFixtureTrace, type FixtureName } from '../fixtures/fixtures';
import { repoRoot } from '../webview/page';

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

describe('priceStep', () => {
  it('prices OpenAI usage: cached input at the cached rate, reasoning inside output', () => {
    const cost = priceStep({ usage: { promptTokens: 10_000, completionTokens: 1_000, cachedTokens: 4_000, reasoningTokens: 400 }, model: 'gpt-4o-mini', provider: 'openai', format: 'openai-chat' }, calcPrice);
    assert.ok(cost.known);
    // gpt-4o-mini: $0.15 / MTok input, $0.075 cached, $0.60 output (the table's prices, read back).
    const table = calcPrice({ input_tokens: 1_000_000, output_tokens: 0 }, 'gpt-4o-mini', { providerId: 'openai' });
    assert.ok(table);
    const input = table.model_price.input_mtok as number;
    const cached = table.model_price.cache_read_mtok as number;
    const output = table.model_price.output_mtok as number;
    assert.ok(close(cost.breakdown?.input ?? NaN, (6_000 * input) / 1e6));
    assert.ok(close(cost.breakdown?.cachedInput ?? NaN, (4_000 * cached) / 1e6));
    assert.ok(close(cost.breakdown?.output ?? NaN, (600 * output) / 1e6));
    assert.ok(close(cost.breakdown?.reasoning ?? NaN, (400 * output) / 1e6));
    const sum = Object.values(cost.breakdown ?? {}).reduce((a, b) => a + b, 0);
    assert.ok(close(sum, cost.total), `breakdown ${sum} = total ${cost.total}`);
    assert.equal(cost.provider, 'OpenAI');
  });

  it('prices Anthropic usage with cache reads and writes added to its input_tokens', () => {
    const cost = priceStep({ usage: { promptTokens: 100, completionTokens: 50, cachedTokens: 2_000, cacheWriteTokens: 300 }, model: 'claude-sonnet-4-5-20250929', provider: 'anthropic', format: 'anthropic' }, calcPrice);
    assert.ok(cost.known);
    assert.deepEqual(cost.tokens, { input: 2_400, cacheRead: 2_000, cacheWrite: 300, output: 50, reasoning: 0 });
    assert.ok(cost.breakdown?.cacheWrite !== undefined && cost.breakdown.cacheWrite > 0);
    // Claude Sonnet 4.5's prices are tiered by input size: the breakdown uses the tier's rates and adds up.
    const sum = Object.values(cost.breakdown ?? {}).reduce((a, b) => a + b, 0);
    assert.ok(close(sum, cost.total), `breakdown ${sum} = total ${cost.total}`);
  });

  it('a tiered price past its threshold: the breakdown uses the higher tier and still adds up', () => {
    const small = priceStep({ usage: { promptTokens: 100_000, completionTokens: 1000 }, model: 'gemini-2.5-pro', provider: 'google_ai', format: 'google' }, calcPrice);
    const large = priceStep({ usage: { promptTokens: 300_000, completionTokens: 1000 }, model: 'gemini-2.5-pro', provider: 'google_ai', format: 'google' }, calcPrice);
    assert.ok(small.known && large.known);
    assert.ok((large.breakdown?.input ?? 0) / 300_000 > (small.breakdown?.input ?? 0) / 100_000, 'the per-token input rate rose past the tier');
    assert.ok(close(Object.values(large.breakdown ?? {}).reduce((a, b) => a + b, 0), large.total));
  });

  it('an unknown model, no usage or inconsistent usage is "cost unknown" with the reason', () => {
    const unknown = priceStep({ usage: { promptTokens: 10, completionTokens: 1 }, model: 'my-finetune-7b', format: 'openai-chat' }, calcPrice);
    assert.equal(unknown.known, false);
    assert.match(unknown.known ? '' : unknown.reason, /does not know "my-finetune-7b"/);
    assert.equal(priceStep({ model: 'gpt-4o', format: 'openai-chat' }, calcPrice).known, false);
    const bad = priceStep({ usage: { promptTokens: 10, completionTokens: 1, cachedTokens: 50 }, model: 'gpt-4o', format: 'openai-chat' }, calcPrice);
    assert.equal(bad.known, false);
    assert.match(bad.known ? '' : bad.reason, /could not be priced/);
  });

  it('a provider the table files under another name falls back to the model\u2019s own provider', () => {
    const cost = priceStep({ usage: { promptTokens: 1000, completionTokens: 10 }, model: 'openai/gpt-4o', provider: 'letta', format: 'openai-chat' }, calcPrice);
    assert.ok(cost.known);
  });

  it('PRICE_TABLE names the installed, pinned version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const installed = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'node_modules', '@pydantic', 'genai-prices', 'package.json'), 'utf8')) as { version: string };
    assert.equal(pkg.dependencies[PRICE_TABLE.package], PRICE_TABLE.version);
    assert.equal(installed.version, PRICE_TABLE.version);
  });

  it('formatUsd', () => {
    assert.equal(formatUsd(0.032850000000000004), '$0.0329');
    assert.equal(formatUsd(1.2391), '$1.24');
    assert.equal(formatUsd(0.00001), '<$0.0001');
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(0.1), '$0.1');
  });
});

describe('glanceParameters on each provider fixture', () => {
  const glance = (name: FixtureName) => {
    const c = normalizeTrace(loadFixtureTrace(name));
    return Object.fromEntries(glanceParameters(c.parameters, c.requestFormat ?? c.format).map((p) => [p.id, `${p.value} <${p.source}>`]));
  };

  it('OpenAI Chat', () => {
    assert.deepEqual(glance('openai-chat'), { temperature: '0.7 <temperature>', maxTokens: '4,096 <max_completion_tokens>', toolChoice: 'required <tool_choice>', parallelToolCalls: 'no <parallel_tool_calls>' });
  });

  it('OpenAI Responses: effort and summary, text verbosity is not a format', () => {
    assert.deepEqual(glance('openai-responses'), { maxTokens: '16,384 <max_output_tokens>', toolChoice: 'required <tool_choice>', parallelToolCalls: 'no <parallel_tool_calls>', reasoning: 'effort medium, summary auto <reasoning.effort>' });
  });

  it('Anthropic: thinking budget, parallel calls from disable_parallel_tool_use', () => {
    assert.deepEqual(glance('anthropic'), { temperature: '1 <temperature>', maxTokens: '8,192 <max_tokens>', toolChoice: 'auto <tool_choice>', parallelToolCalls: 'no <tool_choice.disable_parallel_tool_use>', reasoning: 'budget 2,048 tokens <thinking.budget_tokens>' });
  });

  it('Google: config fields, snake or camel case', () => {
    const g = glance('google');
    assert.ok(g.temperature, JSON.stringify(g));
    assert.ok(g.maxTokens);
    const camel = glanceParameters({ maxOutputTokens: 100, toolConfig: { functionCallingConfig: { mode: 'ANY' } }, thinkingConfig: { thinkingBudget: -1 }, responseMimeType: 'application/json', responseSchema: {} }, 'google');
    assert.deepEqual(camel.map((p) => p.value), ['100', 'ANY', 'budget dynamic', 'application/json with schema']);
  });

  it('response formats, named tool choice, long values cut', () => {
    const p = glanceParameters({ response_format: { type: 'json_schema', json_schema: { name: 'answer' } }, tool_choice: { type: 'function', function: { name: 'send_message' } }, temperature: 'x'.repeat(100) }, 'openai-chat');
    assert.deepEqual(p.map((x) => x.value), [`${'x'.repeat(57)}…`, 'function: send_message', 'json_schema: answer']);
    assert.deepEqual(glanceParameters({}, 'unknown'), []);
  });
});

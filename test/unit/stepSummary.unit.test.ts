import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatLocalTime, groupDigits } from '../../src/core/conversation/format';
import { formatLatency, formatTokens, formatUsage, summarizeTrace } from '../../src/core/stepSummary';
import type { ProviderTrace, Step } from '../../src/core/lettaTypes';
import { loadFixtureTrace } from '../fixtures/fixtures';

describe('summarizeTrace', () => {
  it('summarises a trace from its own fields and response usage', () => {
    const trace = loadFixtureTrace('openai-chat');
    assert.deepEqual(summarizeTrace(trace), {
      format: 'openai-chat',
      formatLabel: 'OpenAI Chat Completions',
      stepId: trace.step_id,
      createdAt: trace.created_at,
      model: 'gpt-4.1-mini',
      provider: 'openai',
      callType: 'agent_step',
      latencyMs: 2318,
      usage: { promptTokens: 3187, completionTokens: 74, totalTokens: 3261, cachedTokens: 2944, reasoningTokens: 0, audioPromptTokens: 0, audioCompletionTokens: 0 },
      agentId: trace.agent_id,
      runId: trace.run_id,
      stopReason: 'tool_calls',
    });
  });

  it('prefers the step for tokens, status and stop reason', () => {
    const trace = loadFixtureTrace('anthropic');
    const step: Step = {
      id: String(trace.step_id),
      status: 'success',
      stop_reason: 'end_turn',
      prompt_tokens: 4158,
      completion_tokens: 233,
      total_tokens: 4391,
      cached_input_tokens: 2210,
      cache_write_tokens: 1536,
      reasoning_tokens: null,
      provider_name: 'anthropic-byok',
    };
    const s = summarizeTrace(trace, step);
    assert.deepEqual(s.usage, { promptTokens: 4158, completionTokens: 233, totalTokens: 4391, cachedTokens: 2210, cacheWriteTokens: 1536 });
    assert.equal(s.status, 'success');
    assert.equal(s.stopReason, 'end_turn');
    // llm_config's endpoint type wins over the step's provider name
    assert.equal(s.provider, 'anthropic');
    assert.equal(s.format, 'anthropic');
  });

  it('takes the Gemini model from llm_config and labels streamed steps', () => {
    assert.equal(summarizeTrace(loadFixtureTrace('google')).model, 'gemini-2.5-flash');
    assert.equal(summarizeTrace(loadFixtureTrace('google')).provider, 'google_ai');
    const stream = summarizeTrace(loadFixtureTrace('letta-stream'));
    assert.equal(stream.formatLabel, 'Anthropic Messages (streamed)');
    assert.deepEqual(stream.usage, { promptTokens: 3051, completionTokens: 142 });
  });

  it('reports a failed call from the response, or from the step', () => {
    const trace = loadFixtureTrace('failed-call');
    const s = summarizeTrace(trace);
    assert.equal(s.status, 'failed');
    assert.equal(s.error?.type, 'RateLimitError');
    assert.match(s.error?.message ?? '', /Rate limit reached/);
    assert.equal(s.usage, undefined);

    const fromStep = summarizeTrace(loadFixtureTrace('openai-chat'), { id: 'step-x', status: 'failed', error_type: 'ContextWindowExceededError', error_data: { message: 'Context window exceeded' } });
    assert.deepEqual(fromStep.error, { message: 'Context window exceeded', type: 'ContextWindowExceededError' });
    assert.equal(fromStep.status, 'failed');
  });

  it('falls back to the step and the detected format when the trace says little', () => {
    const bare: ProviderTrace = { request_json: { messages: [], model: 'gpt-x', user: 'u-1' }, response_json: {} };
    const s = summarizeTrace(bare, { id: 'step-1', agent_id: 'agent-1', run_id: 'run-1', model: 'step-model' });
    assert.equal(s.model, 'gpt-x');
    assert.equal(s.provider, 'openai');
    // with nothing to tell OpenAI from Anthropic, no provider is claimed and the label names both
    const tie = summarizeTrace({ request_json: { messages: [], model: 'x' }, response_json: {} });
    assert.equal(tie.provider, undefined);
    assert.equal(tie.formatLabel, 'Unknown format (looks like OpenAI Chat Completions or Anthropic Messages)');
    assert.equal(s.stepId, 'step-1');
    assert.equal(s.agentId, 'agent-1');
    assert.equal(s.runId, 'run-1');
    const noModel = summarizeTrace({ request_json: { contents: [] }, response_json: {} }, { id: 's', model: 'step-model', provider_name: 'google_vertex' });
    assert.equal(noModel.model, 'step-model');
    assert.equal(noModel.provider, 'google_vertex');
  });

  it('does not throw on junk', () => {
    const junk = { request_json: [1, 2] as unknown, response_json: null as unknown, llm_config: 'x' as unknown, latency_ms: 'slow' as unknown } as ProviderTrace;
    const s = summarizeTrace(junk);
    assert.equal(s.format, 'unknown');
    assert.equal(s.latencyMs, undefined);
    assert.equal(s.model, undefined);
  });
});

describe('formatters', () => {
  it('formats token counts', () => {
    assert.equal(formatTokens(0), '0');
    assert.equal(formatTokens(950), '950');
    assert.equal(formatTokens(12345), '12,345');
    assert.equal(formatTokens(123_456), '123k');
    assert.equal(formatTokens(1_234_567), '1.2M');
    assert.equal(formatTokens(25_000_000), '25M');
    assert.equal(formatTokens(undefined), '–');
    assert.equal(formatTokens(Number.NaN), '–');
  });
  it('formats latency', () => {
    assert.equal(formatLatency(850), '850 ms');
    assert.equal(formatLatency(2318), '2.3 s');
    assert.equal(formatLatency(30012), '30 s');
    assert.equal(formatLatency(65_000), '1 min 5 s');
    assert.equal(formatLatency(120_000), '2 min');
    assert.equal(formatLatency(undefined), '–');
    assert.equal(formatLatency(-1), '–');
  });
  it('groups digits by thousands without ICU', () => {
    assert.equal(groupDigits(0), '0');
    assert.equal(groupDigits(999), '999');
    assert.equal(groupDigits(1000), '1,000');
    assert.equal(groupDigits(-1234567), '-1,234,567');
    assert.equal(groupDigits(12345.678), '12,345.678');
  });
  it('formats a timestamp as local time, and leaves what is not one as it was', () => {
    const iso = '2026-03-14T09:26:53.412871Z';
    const d = new Date(iso);
    const two = (n: number) => String(n).padStart(2, '0');
    assert.equal(formatLocalTime(iso), `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`);
    assert.match(formatLocalTime(iso), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.equal(formatLocalTime('yesterday-ish'), 'yesterday-ish');
  });
  it('formats usage in one line with only the counts present', () => {
    assert.equal(formatUsage({ promptTokens: 3187, completionTokens: 74, cachedTokens: 2944, reasoningTokens: 0 }), '3,187 in · 74 out · 2,944 cached · 0 reasoning');
    assert.equal(formatUsage({ completionTokens: 5, cacheWriteTokens: 1536 }), '5 out · 1,536 cache write');
    assert.equal(formatUsage(undefined), '');
  });
});

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadedTrace, Step } from '../../src/core/lettaTypes';
import { entryFromSummary, formatShortTime, stepDescription, stepLabel, stepTooltip, summaryFromEntry } from '../../src/core/sidebar/stepLabels';
import { summaryFromLoaded, summaryOfStep } from '../../src/core/stepSummary';
import { readEntries } from '../../src/core/sidebar/treeModel';
import { loadFixtureTrace } from '../fixtures/fixtures';

const STEP_ID = 'step-8c29aa5b-3b5b-4957-b6ed-fdfdac515ff1';

describe('step labels', () => {
  it('a step record alone has no time: the description leaves it out', () => {
    const step: Step = { id: STEP_ID, model: 'gpt-4.1-mini', status: 'failed', stop_reason: 'llm_api_error', prompt_tokens: 1200, completion_tokens: 34, error_type: 'RateLimitError' };
    const info = summaryOfStep(step);
    assert.equal(info.createdAt, undefined);
    assert.equal(stepLabel(info), 'step-8c29aa5b…');
    assert.equal(stepDescription(info), 'gpt-4.1-mini · 1,234 tok');
    const tip = stepTooltip(info);
    assert.match(tip, /^step-8c29aa5b-3b5b-4957-b6ed-fdfdac515ff1$/m);
    assert.match(tip, /Status: failed \(llm_api_error\)/);
    assert.match(tip, /Tokens: 1,234 \(1,200 in · 34 out\)/);
    assert.match(tip, /Error: RateLimitError/);
  });

  it('with the cached trace, the time comes from the trace and the model from its config', () => {
    const trace = loadFixtureTrace('anthropic');
    const info = summaryOfStep({ id: STEP_ID, status: 'success', total_tokens: 4391 }, trace);
    assert.equal(info.createdAt, trace.created_at);
    assert.equal(info.model, 'claude-sonnet-4-5-20250929');
    const now = new Date(2026, 5, 1);
    assert.equal(stepDescription(info, now), `${formatShortTime(String(trace.created_at), now)} · claude-sonnet-4-5-20250929 · 4,391 tok`);
    assert.match(stepDescription(info, now), /^03-14 \d\d:\d\d · /);
    assert.match(stepTooltip(info), /Time: 2026-03-14 11:40:09 UTC/);
    assert.match(stepTooltip(info), /Latency: /);
  });

  it('a loaded trace keeps where it came from; a Recent entry keeps only the short summary', () => {
    const trace = loadFixtureTrace('openai-chat');
    const loaded: LoadedTrace = { stepId: String(trace.step_id), trace, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 1 };
    const info = summaryFromLoaded(loaded);
    assert.equal(info.origin, 'https://api.letta.com');
    assert.match(stepTooltip(info), /Server: https:\/\/api\.letta\.com/);
    const entry = entryFromSummary(info, 42);
    const allowed = new Set(['stepId', 'origin', 'model', 'createdAt', 'totalTokens', 'status', 'openedAt']);
    assert.deepEqual(Object.keys(entry).filter((k) => !allowed.has(k)), []);
    assert.ok(['stepId', 'origin', 'model', 'createdAt', 'openedAt'].every((k) => k in entry));
    assert.equal(entry.openedAt, 42);
    assert.equal(entry.model, info.model);
    assert.ok(!JSON.stringify(entry).includes('request_json') && JSON.stringify(entry).length < 400, 'no trace content in state');
    // The entry survives storage and gives the same line back.
    const [read] = readEntries(JSON.parse(JSON.stringify([entry])), 5);
    assert.equal(stepDescription(summaryFromEntry(read)), stepDescription({ ...info, usage: entry.totalTokens !== undefined ? { totalTokens: entry.totalTokens } : undefined }));
  });

  it('a file-loaded trace names the file, not a server', () => {
    const trace = loadFixtureTrace('google');
    const info = summaryFromLoaded({ stepId: String(trace.step_id), trace, source: { kind: 'file', path: '/tmp/t.json' }, loadedAt: 1 });
    assert.equal(info.origin, undefined);
    assert.match(stepTooltip(info), /File: \/tmp\/t\.json/);
    assert.equal(entryFromSummary(info, 1).origin, undefined);
  });

  it('short times are local and only as long as needed; unparseable times are left out', () => {
    const d = new Date(2026, 2, 4, 9, 5, 30);
    assert.equal(formatShortTime(d.toISOString(), new Date(2026, 2, 4, 23, 0)), '09:05', 'today: the time');
    assert.equal(formatShortTime(d.toISOString(), new Date(2026, 10, 4, 9, 0)), '03-04 09:05', 'this year: month, day, time');
    assert.equal(formatShortTime(d.toISOString(), new Date(2027, 0, 1)), '2026-03-04', 'another year: the date');
    assert.equal(formatShortTime('yesterday'), undefined);
    assert.equal(formatShortTime(undefined), undefined);
    assert.equal(stepDescription({ stepId: STEP_ID, createdAt: 'garbage', model: 'm' }), 'm');
  });

  it('the tooltip is plain text that carries server strings as they are, and long errors are cut', () => {
    const info = summaryOfStep({ id: STEP_ID, model: '[x](command:letta.signOut) <img src=x>', error_data: { message: 'e'.repeat(1000) } });
    const tip = stepTooltip(info);
    assert.ok(tip.includes('Model: [x](command:letta.signOut) <img src=x>'));
    assert.ok(tip.split('\n').every((line) => line.length <= 320));
  });
});

// The run model (src/core/runs/runModel.ts) over the fake server's simulated runs: rows in order
// with tool calls, tokens, times and changes; totals and duration; the transcript; traces arriving
// in any order, missing (null) or failing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Run, Step } from '../../src/core/lettaTypes';
import { RunTracker, shortArguments, type RunStepRow, type TraceState } from '../../src/core/runs/runModel';
import { buildFakeData, runMetrics, runUsage } from '../fakeLetta/data';

const data = buildFakeData({ agents: 3, stepsPerAgent: 12 });
const named = data.named;
assert.ok(named);

function runOf(runId: string): { run: Run; steps: Step[] } {
  const record = data.runs.find((r) => r.run.id === runId);
  assert.ok(record, runId);
  return { run: record.run, steps: data.steps.filter((s) => s.run_id === runId).reverse() };
}

/** What the server would give for each step's trace. */
const stateOf = (stepId: string): TraceState => {
  const trace = data.traces.get(stepId);
  return trace ? { kind: 'loaded', trace } : { kind: 'none' };
};

function loaded(runId: string): RunTracker {
  const { run, steps } = runOf(runId);
  const tracker = new RunTracker(run, steps);
  for (const s of steps) {
    tracker.setTrace(s.id, stateOf(s.id));
  }
  return tracker;
}

describe('RunTracker', () => {
  it('the memory-edit run: four rows in order with tool calls, tokens, times, and the edit on row 3', () => {
    const { run, steps } = runOf(named.memoryEdit);
    const model = loaded(named.memoryEdit).model();
    assert.equal(model.runId, named.memoryEdit);
    assert.deepEqual([model.status, model.stopReason, model.agentId], ['completed', 'end_turn', run.agent_id]);
    assert.deepEqual(model.rows.map((r) => r.stepId), steps.map((s) => s.id));
    assert.deepEqual(model.rows.map((r) => r.toolCalls.map((c) => c.name)), [['conversation_search'], ['core_memory_replace'], ['archival_memory_search'], ['send_message']]);
    assert.equal(model.rows[0].toolCalls[0].args, 'query: "Berlin", page: 0');
    assert.deepEqual(model.rows.map((r) => r.tokens.prompt), steps.map((s) => s.prompt_tokens));
    assert.deepEqual(model.rows.map((r) => r.comparedWith), [undefined, 0, 1, 2]);
    assert.equal(model.rows[0].changes?.first, true);
    assert.deepEqual(model.rows.map((r) => r.changes?.system?.blocks.map((b) => b.label) ?? []), [[], [], ['human'], []]);
    for (const r of model.rows) {
      const trace = data.traces.get(r.stepId);
      assert.equal(r.startMs, Date.parse(trace?.created_at ?? ''));
      assert.equal(r.durationMs, trace?.latency_ms);
      assert.equal(r.trace, 'loaded');
    }
    assert.ok(model.rows.every((r, i) => i === 0 || (r.startMs ?? 0) > (model.rows[i - 1].startMs ?? 0)), 'rows in time order');
    assert.match(model.rows[1].summary, /^core_memory_replace\(label: "human", .*\) · 1,\d{3} → \d+ tokens$/);
  });

  it('totals and duration: from the steps, or from the server’s usage and metrics when given', () => {
    const { run, steps } = runOf(named.long);
    const model = new RunTracker(run, steps).model();
    const sum = (k: 'prompt_tokens' | 'completion_tokens' | 'total_tokens' | 'cached_input_tokens') => steps.reduce((n, s) => n + (s[k] ?? 0), 0);
    assert.deepEqual(model.totals, { steps: 200, promptTokens: sum('prompt_tokens'), completionTokens: sum('completion_tokens'), totalTokens: sum('total_tokens'), cachedTokens: sum('cached_input_tokens') });
    assert.ok(model.totals.cachedTokens > 0);
    assert.equal(model.durationMs, (run.total_duration_ns ?? 0) / 1e6);
    const record = data.runs.find((r) => r.run.id === named.long);
    assert.ok(record);
    const usage = { ...runUsage(steps), prompt_tokens: 7 };
    const withServer = new RunTracker({ ...run, total_duration_ns: null }, steps, { usage, metrics: runMetrics(record, steps), truncated: true }).model();
    assert.equal(withServer.totals.promptTokens, 7, 'the server’s usage wins');
    assert.equal(withServer.durationMs, record.endMs - record.startMs);
    assert.equal(withServer.truncated, true);
    const bare = new RunTracker({ id: run.id, created_at: '2026-03-14T09:00:00Z', completed_at: '2026-03-14T09:00:02.5Z' }, steps).model();
    assert.equal(bare.durationMs, 2500);
  });

  it('the transcript: the user’s message, then what the agent sent', () => {
    assert.deepEqual(loaded(named.memoryEdit).model().transcript, [
      { stepIndex: 0, who: 'user', text: 'By the way, I moved to the Berlin office last month, and please call me Pri.' },
      { stepIndex: 3, who: 'agent', text: 'Noted, Pri! Welcome to Berlin — that team owns the carrier integrations, so you are close to the action.' },
    ]);
  });

  it('a null trace shows in its own row; the next step is compared with the one before it', () => {
    const model = loaded(named.nullTrace).model();
    assert.deepEqual(model.rows.map((r) => r.trace), ['loaded', 'none', 'loaded']);
    assert.match(model.rows[1].summary, /no trace recorded$/);
    assert.deepEqual(model.rows[1].toolCalls, []);
    assert.equal(model.rows[1].changes, undefined);
    assert.equal(model.rows[2].comparedWith, 0);
    assert.equal(model.rows[2].changes?.appended.length, 4, 'two steps’ calls and results');
    assert.equal(model.transcript.at(-1)?.text, 'All I know is that your standup moved to 09:30.');
  });

  it('a failed step says why; a trace that failed to load says so; pending rows wait', () => {
    const failed = loaded(named.failed).model();
    assert.deepEqual(failed.rows.map((r) => r.status), ['success', 'failed']);
    assert.match(failed.rows[1].error ?? '', /Rate limit reached/);
    assert.equal(failed.rows[1].summary, 'Rate limit reached for requests on the provider: please try again in 20s.');
    assert.equal(failed.status, 'failed');

    const { run, steps } = runOf(named.memoryEdit);
    const tracker = new RunTracker(run, steps);
    assert.deepEqual(tracker.pendingStepIds(), steps.map((s) => s.id));
    assert.deepEqual(tracker.setTrace(steps[1].id, stateOf(steps[1].id)), [1, 2]);
    assert.equal(tracker.rows[1].changes, undefined, 'waits for the step before it');
    assert.deepEqual(tracker.setTrace(steps[0].id, { kind: 'error', message: 'HTTP 500' }), [0, 1]);
    assert.match(tracker.rows[0].summary, /trace not loaded: HTTP 500$/);
    const second: RunStepRow = tracker.rows[1];
    assert.equal(second.changes?.first, true, 'nothing earlier to compare with');
    assert.deepEqual(tracker.pendingStepIds(), [steps[2].id, steps[3].id]);
    assert.deepEqual(tracker.setTrace('step-0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a', { kind: 'none' }), []);
  });

  it('holds a normalised trace only while a row still waits to be compared with it', () => {
    assert.equal(loaded(named.long).heldConversations, 0, 'all compared: none held');
    // Nor the raw traces: the trace cache alone decides which it keeps (within its memory budget).
    assert.equal(loaded(named.long).heldTraces, 0, 'all compared: no trace held');
    const { run, steps } = runOf(named.nullTrace);
    const tracker = new RunTracker(run, steps);
    tracker.setTrace(steps[0].id, stateOf(steps[0].id));
    assert.equal(tracker.heldConversations, 1, 'row 2 will compare with row 1');
    tracker.setTrace(steps[1].id, { kind: 'none' });
    assert.equal(tracker.heldConversations, 1, 'still: row 3 compares through the missing trace');
    assert.equal(tracker.heldTraces, 1);
    tracker.setTrace(steps[2].id, stateOf(steps[2].id));
    assert.equal(tracker.heldConversations, 0);
    assert.equal(tracker.heldTraces, 0);
    assert.equal(tracker.rows[2].changes?.appended.length, 4);
    const memory = runOf(named.memoryEdit);
    const outOfOrder = new RunTracker(memory.run, memory.steps);
    outOfOrder.setTrace(memory.steps[1].id, stateOf(memory.steps[1].id));
    assert.equal(outOfOrder.heldConversations, 1, 'row 2 waits for row 1');
    outOfOrder.setTrace(memory.steps[0].id, stateOf(memory.steps[0].id));
    assert.equal(outOfOrder.heldConversations, 1, 'row 1 is done with; row 2 is kept for row 3');
    // Setting a trace again works from the traces themselves, whatever was released.
    const before = outOfOrder.rows[1];
    outOfOrder.setTrace(memory.steps[0].id, stateOf(memory.steps[0].id));
    assert.deepEqual(outOfOrder.rows[1], before);
  });

  it('property: traces arriving in any order end in the same rows as in order', () => {
    const { run, steps } = runOf(named.memoryEdit);
    const expected = loaded(named.memoryEdit).model();
    fc.assert(
      fc.property(fc.shuffledSubarray(steps, { minLength: steps.length }), (order) => {
        const tracker = new RunTracker(run, steps);
        for (const s of order) {
          const changed = tracker.setTrace(s.id, stateOf(s.id));
          assert.equal(changed[0], steps.indexOf(s));
        }
        assert.deepEqual(tracker.model(), expected);
      }),
      { numRuns: 30 },
    );
  });

  it('the 200-step run: every row after the first adds one call and its result', () => {
    const model = loaded(named.long).model();
    assert.equal(model.rows.length, 200);
    assert.ok(model.rows.slice(1).every((r) => r.changes?.appended.length === 2 && r.comparedWith === r.index - 1));
    assert.equal(model.rows.at(-1)?.toolCalls[0].name, 'send_message');
  });
});

describe('shortArguments', () => {
  it('names each argument, leaves out request_heartbeat, and shortens long values and lines', () => {
    assert.equal(shortArguments({ query: 'Berlin', page: 0, request_heartbeat: true }), 'query: "Berlin", page: 0');
    assert.equal(shortArguments({ message: 'x'.repeat(100) }), `message: "${'x'.repeat(29)}…"`);
    assert.equal(shortArguments({ a: 'line one\nline two' }), 'a: "line one\\nline two"');
    assert.equal(shortArguments({ nested: { deep: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] } }).length <= 60, true);
    assert.equal(shortArguments('raw text'), '"raw text"');
    assert.equal(shortArguments(undefined), '');
    assert.equal(shortArguments({ a: 'x'.repeat(25), b: 'y'.repeat(25), c: 'z'.repeat(25) }).length, 60);
  });
});

// Cost in the run view and the run's Markdown: each step priced as the viewer prices it, an unknown
// model "cost unknown" (never a guess), and a total that says how many steps it could not price.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { calcPrice } from '@pydantic/genai-prices';
import type { ProviderTrace } from '../../src/core/lettaTypes';
import { PRICE_TABLE, priceStep } from '../../src/core/context/cost';
import { stepContextLater } from '../../src/core/context/stepContext';
import { RunTracker } from '../../src/core/runs/runModel';
import { describeRunCost, runCostOf } from '../../src/core/runs/runCostTotal';
import { runMarkdown } from '../../src/core/markdown/runMarkdown';
import { buildFakeData, runAndSteps } from '../fakeLetta/data';

const data = buildFakeData({ agents: 3, stepsPerAgent: 12 });
const named = data.named;
assert.ok(named);

const runOf = (runId: string) => runAndSteps(data, runId);

function loadedTracker(runId: string, steps = runOf(runId).steps): RunTracker {
  const tracker = new RunTracker(runOf(runId).run, steps);
  for (const s of steps) {
    const trace = data.traces.get(s.id);
    tracker.setTrace(s.id, trace ? { kind: 'loaded', trace } : { kind: 'none' });
  }
  return tracker;
}

describe('run cost', () => {
  it('prices every step as the trace viewer does (stepContextLater), and the total is their sum', async () => {
    const { steps } = runOf(named.memoryEdit);
    // The viewer's cost of each step; its context window is not looked at here, so counting is a plain length.
    const count = (texts: readonly string[]) => Promise.resolve(texts.map((t) => t.length));
    const viewer = await Promise.all(
      steps.map((st) => stepContextLater({ stepId: st.id, trace: data.traces.get(st.id) as ProviderTrace, step: st, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 0 }, { count, loadPrices: () => Promise.resolve(calcPrice) })),
    );
    const tracker = loadedTracker(named.memoryEdit);
    assert.equal(tracker.model().totals.cost, undefined, 'no cost before the price table is in');
    assert.deepEqual(tracker.setPrices(calcPrice), [0, 1, 2, 3]);
    const model = tracker.model();
    for (const [i, row] of model.rows.entries()) {
      const expected = viewer[i].cost;
      assert.ok(expected.known && row.cost?.known, `step ${i} is priced`);
      assert.equal(row.cost.total, expected.total);
      assert.ok(row.cost.total > 0);
      assert.match(row.cost.model.toLowerCase(), /claude|sonnet/, 'priced as the agent\'s own model');
    }
    const cost = model.totals.cost;
    assert.ok(cost);
    const sum = model.rows.reduce((n, r) => n + (r.cost?.known ? r.cost.total : 0), 0);
    assert.equal(cost.total, sum);
    assert.deepEqual([cost.priced, cost.unpriced, cost.pending], [4, 0, 0]);
    assert.equal(cost.table.date, PRICE_TABLE.date);
    assert.equal(describeRunCost(cost).startsWith('$'), true, describeRunCost(cost));
  });

  it('an unknown model is "cost unknown" with the reason, and the total is a lower bound that says how many', () => {
    const { steps } = runOf(named.memoryEdit);
    // Two steps of a model the table cannot know: their record and their trace both name it.
    const renamed = steps.map((s, i) => (i < 2 ? { ...s, model: 'my-local-model' } : s));
    const originals = steps.slice(0, 2).map((s) => [s.id, data.traces.get(s.id) as ProviderTrace] as const);
    for (const s of renamed.slice(0, 2)) {
      const trace = data.traces.get(s.id) as ProviderTrace;
      data.traces.set(s.id, { ...trace, llm_config: { ...trace.llm_config, model: 'my-local-model' }, request_json: { ...(trace.request_json as object), model: 'my-local-model' } });
    }
    try {
      const tracker = loadedTracker(named.memoryEdit, renamed);
      tracker.setPrices(calcPrice);
      const model = tracker.model();
      const [a, b, c] = model.rows.map((r) => r.cost);
      assert.ok(a && !a.known && /does not know "my-local-model"/.test(a.reason), JSON.stringify(a));
      assert.ok(b && !b.known);
      assert.ok(c?.known);
      const cost = model.totals.cost;
      assert.ok(cost);
      assert.deepEqual([cost.priced, cost.unpriced], [2, 2]);
      assert.match(describeRunCost(cost), /^≥ \$[\d.]+, 2 steps unpriced$/);
    } finally {
      for (const [id, trace] of originals) {
        data.traces.set(id, trace);
      }
    }
  });

  it('a step with no usage yet and its trace pending is not priced yet, never guessed; the total says so', () => {
    const { run, steps } = runOf(named.memoryEdit);
    const bare = steps.map((s) => ({ ...s, prompt_tokens: null, completion_tokens: null, total_tokens: null, cached_input_tokens: null }));
    const tracker = new RunTracker(run, bare);
    tracker.setPrices(calcPrice);
    assert.equal(tracker.model().rows[0].cost, undefined);
    assert.equal(describeRunCost(tracker.model().totals.cost!), 'cost not known yet');
    const trace = data.traces.get(bare[0].id) as ProviderTrace;
    tracker.setTrace(bare[0].id, { kind: 'loaded', trace });
    const cost = tracker.model().totals.cost!;
    assert.ok(tracker.model().rows[0].cost?.known, 'priced from its trace once it came');
    assert.deepEqual([cost.priced, cost.pending], [1, 3]);
    assert.match(describeRunCost(cost), /^≥ \$[\d.]+, 3 steps not priced yet$/);
  });

  it('totals over nothing priced say "cost unknown"', () => {
    const unknown = { known: false as const, reason: 'x', table: PRICE_TABLE };
    assert.equal(describeRunCost(runCostOf([unknown, unknown])), 'cost unknown');
    assert.equal(describeRunCost(runCostOf([])), 'cost unknown');
    const one = priceStep({ usage: { promptTokens: 1000, completionTokens: 100 }, model: 'gpt-4.1-mini', format: 'openai-chat' }, calcPrice);
    assert.ok(one.known);
    assert.equal(describeRunCost(runCostOf([one, unknown])), `≥ $${one.total.toPrecision(3).replace(/0+$/, '')}, 1 step unpriced`);
  });
});

describe('runMarkdown', () => {
  it('the memory-edit run: header with totals and cost, each step with what changed, the transcript', () => {
    const tracker = loadedTracker(named.memoryEdit);
    tracker.setPrices(calcPrice);
    const model = tracker.model();
    const md = runMarkdown(model);
    assert.match(md, new RegExp(`^# Letta run \`${named.memoryEdit}\``));
    assert.match(md, /- Totals: 4 steps, [\d,]+ tokens/);
    assert.match(md, new RegExp(`- Cost: \\$[\\d.]+ \\(@pydantic/genai-prices ${PRICE_TABLE.version.replace(/\./g, '\\.')}, prices of ${PRICE_TABLE.date}\\)`));
    assert.deepEqual([...md.matchAll(/^## (\d+)\. `(step-[^`]+)`/gm)].map((m) => m[2]), model.rows.map((r) => r.stepId));
    assert.match(md, /Memory block `human` changed/);
    assert.match(md, /- Changed since step 2:/);
    assert.match(md, /^# Transcript$/m);
    for (const entry of model.transcript) {
      assert.ok(md.includes(entry.text.slice(0, 40).split('\n')[0]), `transcript entry ${entry.who} of step ${entry.stepIndex + 1}`);
    }
  });

  it('a 200-step run stays under the bound with a note saying how many steps were left out', () => {
    const model = loadedTracker(named.long).model();
    const md = runMarkdown(model, { maxChars: 16_000 });
    assert.ok(md.length <= 16_000, `${md.length}`);
    const shown = [...md.matchAll(/^## (\d+)\. /gm)].length;
    assert.ok(shown > 3 && shown < 200, `${shown} steps shown`);
    assert.match(md, new RegExp(`_… steps ${shown + 1} to 200 not shown \\(limit 16 KB\\)\\._`));
  });

  it('a long answer is cut with a note saying how much', () => {
    const model = loadedTracker(named.memoryEdit).model();
    const said = 'word '.repeat(400);
    const md = runMarkdown({ ...model, rows: model.rows.map((r, i) => (i === 0 ? { ...r, said } : r)) });
    assert.match(md, /_… 1,500 characters more not shown \(of 2,000 characters\)\._/);
  });
});

// Runs in the real extension host, issue 16's part of them: the run panel's steps priced with the
// price table (and the run's total), and Copy Run as Markdown writing the run's header, steps, what
// changed and transcript to the clipboard — from a run ID with no panel open, and from the open panel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { RunTracker } from '../../src/core/runs/runModel';
import type { RunHostMessage, RunModel } from '../../src/shared/runProtocol';
import { fakeServerSuite, until } from './helpers';

const shownModel = (state: RunHostMessage): RunModel | undefined => (state.type === 'run' ? state.model : undefined);

suite('Runs: cost and Markdown', () => {
  const s = fakeServerSuite();
  const named = () => {
    assert.ok(s.fake.named, 'the fake serves the named runs');
    return s.fake.named;
  };
  const stepsOf = (runId: string) => s.fake.steps.filter((st) => st.run_id === runId).reverse();

  /** The transcript the run's traces make, worked out here from the fake's own data. */
  function expectedTranscript(runId: string) {
    const run = s.fake.runs.find((r) => r.run.id === runId)!.run;
    const steps = stepsOf(runId);
    const tracker = new RunTracker(run, steps);
    for (const st of steps) {
      const trace = s.fake.traces.get(st.id);
      tracker.setTrace(st.id, trace ? { kind: 'loaded', trace } : { kind: 'none' });
    }
    return tracker.model().transcript;
  }

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the run panel prices each step and shows the run’s total with the price table', async () => {
    const runId = named().memoryEdit;
    await vscode.commands.executeCommand('letta.openRun', runId);
    const panel = await until(() => s.ext.runs.get(runId), Boolean);
    const model = (await until(
      () => shownModel(panel!.state),
      (m) => m !== undefined && m.totals.cost !== undefined && m.rows.every((r) => r.trace !== 'pending' && r.cost !== undefined),
      20_000,
    ))!;
    const costs = model.rows.map((r) => r.cost!);
    assert.ok(costs.every((c) => c.known && c.total > 0), `every step of the agent's Claude model is priced: ${JSON.stringify(costs.map((c) => (c.known ? c.total : c.reason)))}`);
    const cost = model.totals.cost!;
    assert.deepEqual([cost.priced, cost.unpriced, cost.pending], [4, 0, 0]);
    assert.equal(cost.total, costs.reduce((n, c) => n + (c.known ? c.total : 0), 0));
    assert.match(cost.table.date, /^\d{4}-\d{2}-\d{2}$/);
  });

  test('Copy Run as Markdown with no panel open: header, totals and cost, every step, the memory edit, the transcript', async () => {
    const runId = named().memoryEdit;
    assert.equal(s.ext.runs.get(runId), undefined);
    await vscode.env.clipboard.writeText('before');
    const copied = await vscode.commands.executeCommand<boolean>('letta.copyRunAsMarkdown', runId);
    assert.equal(copied, true);
    const text = await until(() => vscode.env.clipboard.readText(), (t) => t !== 'before');
    assert.match(text, new RegExp(`^# Letta run \`${runId}\``));
    assert.match(text, /^- Status: `completed`/m);
    assert.match(text, /^- Totals: 4 steps, [\d,]+ tokens/m);
    assert.match(text, /^- Cost: \$[\d.]+ \(@pydantic\/genai-prices [\d.]+, prices of \d{4}-\d{2}-\d{2}\)$/m);
    assert.deepEqual([...text.matchAll(/^## \d+\. `(step-[^`]+)`/gm)].map((m) => m[1]), stepsOf(runId).map((st) => st.id), 'every step, in order');
    assert.match(text, /Memory block `human` changed/, 'what changed: the memory edit');
    assert.match(text, /^# Transcript$/m);
    const transcript = expectedTranscript(runId);
    assert.ok(transcript.some((e) => e.who === 'user') && transcript.some((e) => e.who === 'agent'));
    for (const entry of transcript) {
      assert.ok(text.includes(`- Step ${entry.stepIndex + 1}, ${entry.who}:`), `transcript entry of step ${entry.stepIndex + 1} (${entry.who})`);
      assert.ok(text.includes(entry.text.split('\n')[0].slice(0, 60)), `its text: ${entry.text.slice(0, 60)}`);
    }
    // The traces came through the same cache as single steps: none asked for twice (an earlier suite may have cached them).
    for (const st of stepsOf(runId)) {
      assert.ok(s.fake.requests.filter((r) => r.path === `/v1/steps/${st.id}/trace`).length <= 1, st.id);
    }
  });

  test('Copy Run as Markdown from the open 200-step run view (a sidebar node as its argument) waits for its traces and cuts with a note', async function () {
    // 200 traces (12 MB) through the extension host of a shared 2-core machine.
    this.timeout(120_000);
    const runId = named().long;
    await vscode.commands.executeCommand('letta.openRun', runId);
    const panel = (await until(() => s.ext.runs.get(runId), Boolean))!;
    await vscode.env.clipboard.writeText('before');
    const started = Date.now();
    const copying = vscode.commands.executeCommand<boolean>('letta.copyRunAsMarkdown', { kind: 'run', runId });
    const model = await until(
      () => shownModel(panel.state),
      (m) => m !== undefined && m.rows.length === 200 && m.rows.every((r) => r.trace !== 'pending'),
      100_000,
    );
    const pending = model?.rows.filter((r) => r.trace === 'pending').length;
    assert.equal(pending, 0, `every trace came: ${pending} of 200 still pending after ${Date.now() - started} ms, ${panel.loading} loading`);
    assert.equal(await copying, true);
    const text = await until(() => vscode.env.clipboard.readText(), (t) => t !== 'before');
    assert.ok(text.length <= 32 * 1024, `${text.length} characters`);
    const shown = [...text.matchAll(/^## (\d+)\. /gm)].length;
    assert.ok(shown > 3 && shown < 200, `${shown} steps shown`);
    assert.match(text, new RegExp(`_… steps ${shown + 1} to 200 not shown \\(limit 32 KB\\)\\._`));
    assert.doesNotMatch(text, /Its trace was not read/, 'the copy waited for the panel’s traces');
    // The panel's own load was reused: no trace was asked for twice.
    const traces = s.fake.requests.filter((r) => /^\/v1\/steps\/[^/]+\/trace$/.test(r.path)).map((r) => r.path);
    assert.equal(traces.length, new Set(traces).size);
    console.log(`    (the 200-step run loaded and was copied in ${Date.now() - started} ms)`);
  });
});

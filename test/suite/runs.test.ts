// Runs in the real extension host: Letta: Open Run, hovers and links on run IDs, the sidebar's runs
// under an agent, and what the run panel posts (the memory edit, a missing trace, a failed run).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { RUN_IDS } from '../../src/core/lettaIds';
import type { RunHostMessage, RunModel } from '../../src/shared/runProtocol';
import { fakeServerSuite, until } from './helpers';

type Item = vscode.TreeItem & { node: unknown };

async function children(provider: vscode.TreeDataProvider<unknown>, parent?: unknown): Promise<Item[]> {
  const nodes = (await provider.getChildren(parent)) ?? [];
  return Promise.all(nodes.map(async (node) => Object.assign(await provider.getTreeItem(node), { node })));
}
const kindOf = (item: Item) => (item.node as { kind: string }).kind;
const label = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

/** The run model the panel's page shows now (its whole state, row updates folded in). */
function shownModel(state: RunHostMessage): RunModel | undefined {
  return state.type === 'run' ? state.model : undefined;
}

const traceRequests = (paths: readonly string[], ids: readonly string[]) => paths.filter((p) => ids.some((id) => p === `/v1/steps/${id}/trace`));

suite('Runs', () => {
  const s = fakeServerSuite();
  const named = () => {
    const runs = s.fake.named;
    assert.ok(runs, 'the fake serves the named runs');
    return runs;
  };
  const stepsOf = (runId: string) => s.fake.steps.filter((st) => st.run_id === runId).reverse();

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Opens a run and waits until every row's trace has come (loaded, none or error). */
  async function openRun(runId: string, arg: unknown = runId): Promise<RunModel> {
    await vscode.commands.executeCommand('letta.openRun', arg);
    const panel = await until(() => s.ext.runs.get(runId), Boolean);
    return until(
      () => shownModel(panel!.state),
      (m) => m !== undefined && m.rows.length > 0 && m.rows.every((r) => r.trace !== 'pending'),
      20_000,
    ) as Promise<RunModel>;
  }

  test('Open Run shows the memory-edit run: 4 steps, the human block edited, the totals and transcript', async () => {
    const runId = named().memoryEdit;
    const model = await openRun(runId);
    const steps = stepsOf(runId);
    assert.deepEqual(model.rows.map((r) => r.stepId), steps.map((st) => st.id), 'every step, oldest first');
    assert.equal(model.status, 'completed');
    assert.equal(model.totals.steps, 4);
    assert.equal(model.totals.totalTokens, steps.reduce((n, st) => n + (st.total_tokens ?? 0), 0));
    const edited = model.rows.filter((r) => r.changes?.system?.blocks.some((b) => b.label === 'human' && b.kind === 'changed' && (b.value?.added ?? 0) > 0));
    assert.deepEqual(edited.map((r) => r.index), [2], 'the edit made by step 2 shows in step 3’s request');
    assert.ok(model.rows[0].changes?.first);
    assert.deepEqual(model.rows.map((r) => [r.trace, r.traceError]), steps.map(() => ['loaded', undefined]), 'every trace loaded');
    const who = model.transcript.map((t) => `${t.stepIndex}:${t.who}`);
    assert.ok(who.some((w) => w.endsWith(':user')) && who.some((w) => w.endsWith(':agent')), `the transcript has the user and the agent: ${who.join(', ')}`);
    // One request per trace, none twice; the panel title names the run.
    const paths = s.fake.requests.map((r) => r.path);
    assert.equal(traceRequests(paths, steps.map((st) => st.id)).length, 4);
    assert.equal(s.ext.runs.get(runId)?.panel.title, `${runId.slice(0, 12)}…`);
    // Opening it again reuses the panel and the cached traces: no new trace request.
    await vscode.commands.executeCommand('letta.openRun', { runId });
    assert.equal(traceRequests(s.fake.requests.map((r) => r.path), steps.map((st) => st.id)).length, 4);
  });

  test('a null trace, a failed load and a rate limit each stay in their own row; the rest loads', async () => {
    const runs = named();
    const nullSteps = stepsOf(runs.nullTrace);
    const failedSteps = stepsOf(runs.failed);
    s.fake.setFaults([
      // Two 429s on the first trace: the queue waits (one shared backoff) and tries again.
      { route: 'trace', path: `/v1/steps/${nullSteps[0].id}/trace`, status: 429, times: 2 },
      // A server error on the failed run's first trace: that row says so.
      { route: 'trace', path: `/v1/steps/${failedSteps[0].id}/trace`, status: 500, times: 20 },
    ]);
    const nullModel = await openRun(runs.nullTrace);
    const missing = nullModel.rows.find((r) => r.stepId === runs.nullTraceStepId);
    assert.equal(missing?.trace, 'none');
    assert.deepEqual(nullModel.rows.filter((r) => r !== missing).map((r) => r.trace), ['loaded', 'loaded'], 'the rate-limited trace came on a later try');
    assert.equal(s.fake.requests.filter((r) => r.path === `/v1/steps/${nullSteps[0].id}/trace`).length, 3);
    const failed = await openRun(runs.failed);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.rows[0].trace, 'error');
    assert.ok(failed.rows[0].traceError);
    const failedRow = failed.rows.find((r) => r.status === 'failed');
    assert.equal(failedRow?.trace, 'loaded');
    assert.ok(failedRow?.error, 'the failed step says why');
  });

  test('closing the panel cancels the traces still loading', async () => {
    const runId = named().long;
    // Slow traces: the panel closes while most are waiting.
    s.fake.setFaults([{ route: 'trace', delayMs: 400 }]);
    await vscode.commands.executeCommand('letta.openRun', runId);
    const panel = await until(() => s.ext.runs.get(runId), Boolean);
    await until(() => shownModel(panel!.state), (m) => m !== undefined);
    await until(() => panel!.loading, (n) => n > 0);
    const seen = () => s.fake.requests.filter((r) => /^\/v1\/steps\/[^/]+\/trace$/.test(r.path));
    // The server has the first ones before the panel closes (under load they can still be on the wire).
    await until(() => seen().length, (n) => n > 0);
    const inFlight = seen().filter((r) => r.outcome === 'pending').length;
    assert.ok(inFlight <= 4, `at most 4 traces at a time, saw ${inFlight}`);
    panel!.panel.dispose();
    assert.equal(panel!.loading, 0);
    const atClose = seen().length;
    // With 400 ms per trace and 4 at a time, loading on would ask for about ten more in this second;
    // only those already sent as the panel closed (at most 4) may still land.
    await new Promise((r) => setTimeout(r, 1000));
    const after = seen().length;
    assert.ok(after <= atClose + 4, `no trace is asked for after the panel closed (${atClose} at close, ${after} a second later)`);
    assert.ok(after < 200, `only the first few of 200 traces were asked for (${after})`);
  });

  test('run IDs in text: hover with the run’s status and steps, and links that open the run', async () => {
    const runId = named().memoryEdit;
    const doc = await vscode.workspace.openTextDocument({ language: 'log', content: `INFO run finished ${runId} ok\nand ${stepsOf(runId)[0].id}` });
    const at = new vscode.Position(0, 'INFO run finished '.length + 5);
    const hover = await until(
      async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
        return hovers.map((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n')).find((t) => t.includes('Letta run')) ?? '';
      },
      (t) => /completed/.test(t) && /4 steps/.test(t),
    );
    assert.ok(hover.includes(`command:letta.openRun?${encodeURIComponent(JSON.stringify([runId]))}`));
    assert.ok(hover.includes('command:letta.copyRunId'));
    const links = (await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri)).filter((l) => l.target?.scheme === 'command');
    assert.deepEqual(
      links.map((l) => [l.range.start.line, l.target?.path]),
      [
        [0, 'letta.openRun'],
        [1, 'letta.openStepTrace'],
      ],
    );
    // The palette's box: pre-filled from the word at the cursor, validated as the user types.
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(at, at);
    const window = vscode.window as unknown as Record<string, unknown>;
    const original = window.showInputBox;
    let asked: vscode.InputBoxOptions | undefined;
    window.showInputBox = (options: vscode.InputBoxOptions) => {
      asked = options;
      return Promise.resolve(options.value);
    };
    try {
      await vscode.commands.executeCommand('letta.openRun');
    } finally {
      window.showInputBox = original;
    }
    assert.equal(asked?.value, runId);
    assert.equal(asked?.validateInput?.(runId), undefined);
    assert.equal(asked?.validateInput?.(runId.slice(0, -1)), RUN_IDS.describeProblem(runId.slice(0, -1)));
    assert.ok(RUN_IDS.describeProblem(runId.slice(0, -1)));
    assert.ok(s.ext.runs.get(runId), 'the pre-filled run opened');
    // From the editor's context menu (the document's Uri): the run at the cursor, no box.
    s.ext.runs.get(runId)?.panel.dispose();
    assert.equal(s.ext.runs.get(runId), undefined);
    const again = await vscode.window.showTextDocument(doc);
    again.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('letta.openRun', doc.uri);
    assert.ok(s.ext.runs.get(runId), 'the run at the cursor opened');
    // The untitled log is dirty: reverted, so closing the editors asks nothing.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the sidebar lists an agent’s runs newest first; a run expands to its steps in order', async () => {
    const runId = named().memoryEdit;
    const agentId = s.fake.runs.find((r) => r.run.id === runId)!.run.agent_id!;
    const root = await until(() => children(s.ext.tree.server), (items) => items.some((i) => (i.node as { agentId?: string }).agentId === agentId));
    const agent = root.find((i) => kindOf(i) === 'agent' && (i.node as { agentId?: string }).agentId === agentId)!;
    const [group] = await children(s.ext.tree.server, agent.node);
    assert.equal(kindOf(group), 'runs');
    assert.equal(label(group), 'Runs');
    const agentRuns = s.fake.runs.filter((r) => r.run.agent_id === agentId);
    let rows = await children(s.ext.tree.server, group.node);
    const listed = () => rows.filter((i) => kindOf(i) === 'run').map((i) => (i.node as { runId: string }).runId);
    for (let i = 0; i < 30 && !listed().includes(runId) && kindOf(rows.at(-1)!) === 'more'; i++) {
      await vscode.commands.executeCommand(rows.at(-1)!.command!.command, ...(rows.at(-1)!.command!.arguments ?? []));
      rows = await children(s.ext.tree.server, group.node);
    }
    assert.deepEqual(listed(), agentRuns.slice(0, listed().length).map((r) => r.run.id), 'newest first, as the server lists them');
    // The step counts come from the runs' metrics, then the rows are redrawn.
    const run = await until(
      async () => (await children(s.ext.tree.server, group.node)).find((i) => (i.node as { runId?: string }).runId === runId),
      (i) => /4 steps/.test(String(i?.description)),
    );
    assert.match(String(run?.description), /completed · end_turn · 4 steps · /);
    assert.equal((run?.iconPath as vscode.ThemeIcon).id, 'pass');
    assert.deepEqual(run?.command?.arguments, [runId]);
    const steps = await children(s.ext.tree.server, run.node);
    assert.deepEqual(steps.map((i) => (i.node as { stepId?: string }).stepId), stepsOf(runId).map((st) => st.id));
    // Clicking the run opens the run view.
    await vscode.commands.executeCommand(run.command.command, ...(run.command.arguments ?? []));
    assert.ok(s.ext.runs.get(runId));
  });
});

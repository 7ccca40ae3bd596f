// Issue 16 in the real extension host: feedback from the sidebar and the viewer reaches the fake
// server and shows in the tree, the hover and the viewer; Copy as Markdown; the filter by feedback.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { calcPrice } from '@pydantic/genai-prices';
import { formatUsd, priceStep } from '../../src/core/context/cost';
import { normalizeTrace } from '../../src/core/conversation/normalize';
import type { Step } from '../../src/core/lettaTypes';
import { summarizeTrace, summaryFromStep } from '../../src/core/stepSummary';
import { escapeMarkdown } from '../../src/host/stepIds/stepHover';
import type { FakeLetta } from '../fakeLetta/server';
import { fakeServerSuite, until } from './helpers';
import { probePanels, type PanelProbe } from './panelProbe';
import { recordMessages } from './stubs';

type Item = vscode.TreeItem & { node: { kind: string; stepId?: string; agentId?: string } };

async function children(provider: vscode.TreeDataProvider<unknown>, parent?: unknown): Promise<Item[]> {
  const nodes = (await provider.getChildren(parent)) ?? [];
  return Promise.all(nodes.map(async (node) => Object.assign(await provider.getTreeItem(node), { node: node as Item['node'] })));
}

const tooltipOf = (item: Item | undefined) => (typeof item?.tooltip === 'string' ? item.tooltip : (item?.tooltip?.value ?? ''));

/** What `GET /__fake/feedback` says the server accepted, oldest first. */
async function acceptedFeedback(fake: FakeLetta): Promise<{ stepId: string; body: unknown }[]> {
  const res = await fetch(`${fake.url}/__fake/feedback`);
  return (await res.json()) as { stepId: string; body: unknown }[];
}

async function hoverText(stepId: string): Promise<string> {
  const doc = await vscode.workspace.openTextDocument({ language: 'log', content: `agent said: ${stepId} done` });
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 16));
  return hovers
    .map((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n'))
    .filter((text) => text.includes('Letta step'))
    .join('\n');
}

suite('Context: feedback, Copy as Markdown, the filter by feedback', function () {
  this.timeout(90_000);
  const server = fakeServerSuite();

  /** The first agent's node and its step items, once the Server view is ready. */
  async function agentSteps(): Promise<{ agent: Item; steps: Item[] }> {
    const root = await until(() => children(server.ext.tree.server), (items) => server.ext.tree.serverState() === 'ready' && items.some((i) => i.node.kind === 'agent'));
    const agent = root.find((i) => i.node.kind === 'agent') as Item;
    const steps = (await children(server.ext.tree.server, agent.node)).filter((i) => i.node.kind === 'step');
    return { agent, steps };
  }

  async function stepItem(agent: Item, stepId: string, check: (item: Item | undefined) => boolean): Promise<Item | undefined> {
    return until(async () => (await children(server.ext.tree.server, agent.node)).find((i) => i.node.stepId === stepId), check);
  }

  /** Clears feedback the test left on the fake's steps, so the next test starts from none. */
  function clearAll(): void {
    for (const step of server.fake.steps.filter((s) => s.feedback)) {
      step.feedback = null;
    }
  }

  setup(async () => {
    clearAll();
    server.ext.store.clear();
    await vscode.commands.executeCommand('letta.refreshTree');
  });
  teardown(async () => {
    clearAll();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the feedback and Copy as Markdown commands are registered', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ['letta.feedbackPositive', 'letta.feedbackNegative', 'letta.clearFeedback', 'letta.feedbackTags', 'letta.copyStepMarkdown']) {
      assert.ok(all.includes(id), id);
    }
  });

  test('thumbs up from the sidebar reaches the server and shows in the tree item and the hover; clearing takes it away', async () => {
    const { agent, steps } = await agentSteps();
    const target = steps[0];
    const stepId = String(target.node.stepId);
    assert.doesNotMatch(String(target.description), /👍/);
    // A hover before the change is cached (once its answer came: a hover waits 300 ms at most): the change must replace it.
    assert.doesNotMatch(await until(() => hoverText(stepId), (text) => !text.includes('$(loading~spin)')), /feedback/);

    await vscode.commands.executeCommand('letta.feedbackPositive', target.node);
    assert.deepEqual(await acceptedFeedback(server.fake), [{ stepId, body: { feedback: 'positive' } }]);
    const rated = await stepItem(agent, stepId, (item) => /👍/.test(String(item?.description)));
    assert.match(String(rated?.description), /👍/);
    assert.match(tooltipOf(rated), /Feedback: positive/);
    assert.match(String(rated?.contextValue), /\bfeedback-positive\b/);
    assert.match(await until(() => hoverText(stepId), (text) => /feedback\\?: 👍/.test(text)), /feedback\\?: 👍/);

    await vscode.commands.executeCommand('letta.clearFeedback', stepId);
    assert.deepEqual((await acceptedFeedback(server.fake)).at(-1), { stepId, body: { feedback: null } });
    const cleared = await stepItem(agent, stepId, (item) => !/👍/.test(String(item?.description)));
    assert.doesNotMatch(String(cleared?.description), /👍/);
    assert.doesNotMatch(String(cleared?.contextValue), /feedback-/);
  });

  test('tags go with the step’s current feedback', async () => {
    const { steps } = await agentSteps();
    const stepId = String(steps[1].node.stepId);
    await vscode.commands.executeCommand('letta.feedbackNegative', stepId);
    await vscode.commands.executeCommand('letta.feedbackTags', stepId, ['wrong-tool', 'slow']);
    assert.deepEqual((await acceptedFeedback(server.fake)).map((f) => f.body), [{ feedback: 'negative' }, { feedback: 'negative', tags: ['wrong-tool', 'slow'] }]);
    assert.deepEqual(server.fake.steps.find((s) => s.id === stepId)?.tags, ['wrong-tool', 'slow']);
  });

  test('a refused change says why and changes nothing', async () => {
    const { agent, steps } = await agentSteps();
    const stepId = String(steps[2].node.stepId);
    server.fake.setFaults([{ route: 'feedback', status: 404, body: { detail: `Step with id ${stepId} not found` } }]);
    const rec = recordMessages();
    try {
      await vscode.commands.executeCommand('letta.feedbackPositive', stepId);
    } finally {
      rec.restore();
    }
    assert.equal(rec.shown[0]?.level, 'error');
    assert.match(rec.shown[0]?.message ?? '', /feedback on .* was not saved/);
    assert.deepEqual(await acceptedFeedback(server.fake), []);
    const item = await stepItem(agent, stepId, () => true);
    assert.doesNotMatch(String(item?.description), /👍/);
  });

  test('the hover shows the step’s cost once the price table is loaded', async () => {
    const { steps } = await agentSteps();
    const priced = steps.map((i) => server.fake.steps.find((s) => s.id === i.node.stepId) as Step).find((s) => {
      const cost = priceStep({ ...summaryFromStep(s), format: 'openai-chat' }, calcPrice);
      return cost.known;
    });
    assert.ok(priced, 'the fake has a step with a model the price table knows');
    const cost = priceStep({ ...summaryFromStep(priced), format: 'openai-chat' }, calcPrice);
    const expected = escapeMarkdown(`cost ${formatUsd(cost.known ? cost.total : NaN)}`);
    // The first hover may come before the table: it never waits for it. A later one shows the cost.
    const text = await until(() => hoverText(priced.id), (t) => t.includes(expected));
    assert.ok(text.includes(expected), text);
  });

  test('thumbs down from the viewer reaches the server and shows in the header, the tree and the hover', async () => {
    const { agent, steps } = await agentSteps();
    const stepId = String(steps[3].node.stepId);
    await vscode.workspace.getConfiguration('letta').update('openTraceIn', 'webview', vscode.ConfigurationTarget.Global);
    const probe = probePanels();
    let panel: PanelProbe | undefined;
    try {
      await vscode.commands.executeCommand('letta.openStepTrace', stepId);
      panel = await until(() => probe.panels[0], (p) => p !== undefined);
      assert.ok(panel);
      await until(() => panel?.posted ?? [], (posted) => posted.some((m) => m.type === 'trace'), 60_000);
      // The panel handles a message without the sender waiting: wait for the server to have it.
      await panel.deliver({ type: 'feedback', feedback: 'negative' });
      assert.deepEqual(await until(() => acceptedFeedback(server.fake), (f) => f.length > 0), [{ stepId, body: { feedback: 'negative' } }]);
      const posted = await until(() => panel?.posted ?? [], (p) => p.some((m) => m.type === 'feedback'));
      const shown = posted.find((m) => m.type === 'feedback');
      assert.equal(shown?.type === 'feedback' && shown.stepId === stepId ? shown.state.feedback : undefined, 'negative');
      const item = await stepItem(agent, stepId, (i) => /👎/.test(String(i?.description)));
      assert.match(tooltipOf(item), /Feedback: negative/);
      assert.match(await until(() => hoverText(stepId), (text) => /feedback\\?: 👎/.test(text)), /feedback\\?: 👎/);
      // A refused change from the viewer answers with the state as it was, so the buttons work again.
      server.fake.setFaults([{ route: 'feedback', status: 404, body: { detail: 'gone' } }]);
      const rec = recordMessages();
      let after: typeof panel.posted;
      try {
        await panel.deliver({ type: 'feedback', feedback: null });
        after = await until(() => panel?.posted.filter((m) => m.type === 'feedback') ?? [], (f) => f.length > 1);
      } finally {
        rec.restore();
      }
      assert.match(rec.shown[0]?.message ?? '', /was not saved/);
      assert.equal(after.length, 2, 'one answer per click');
      const last = after.at(-1);
      assert.equal(last?.type === 'feedback' ? last.state.feedback : undefined, 'negative', 'unchanged');
    } finally {
      probe.restore();
      await vscode.workspace.getConfiguration('letta').update('openTraceIn', 'documents', vscode.ConfigurationTarget.Global);
    }
  });

  test('Copy Step as Markdown puts the step’s model and tool calls on the clipboard', async () => {
    const withTool = [...server.fake.traces].find(([, trace]) => normalizeTrace(trace).output.some((m) => m.parts.some((p) => p.kind === 'tool-call')));
    assert.ok(withTool, 'the fake serves a step that calls a tool');
    const [stepId, trace] = withTool;
    const conversation = normalizeTrace(trace);
    const model = summarizeTrace(trace, server.fake.steps.find((s) => s.id === stepId)).model;
    const call = conversation.output.flatMap((m) => m.parts).find((p) => p.kind === 'tool-call');
    await vscode.env.clipboard.writeText('before');
    await vscode.commands.executeCommand('letta.copyStepMarkdown', stepId);
    const text = await until(() => vscode.env.clipboard.readText(), (t) => t !== 'before');
    assert.match(text, new RegExp(`^# Letta step \`${stepId}\``, 'm'));
    assert.ok(model && text.includes(`- Model: \`${model}\``), `the model ${model}`);
    assert.ok(call?.kind === 'tool-call' && text.includes(`Tool call \`${call.name}\``), `the tool call ${call?.kind === 'tool-call' ? call.name : ''}`);
    assert.match(text, /^- Cost: (\$|<\$|unknown: )/m, 'the cost (or why it is unknown) is included');
    assert.match(text, /^- Context window: [\d,]+ tokens/m, 'the context window, counted for the copy');
  });

  test('the step filter by feedback asks the server with feedback= or has_feedback=', async () => {
    const { agent, steps } = await agentSteps();
    const liked = String(steps[4].node.stepId);
    const disliked = String(steps[5].node.stepId);
    await vscode.commands.executeCommand('letta.feedbackPositive', liked);
    await vscode.commands.executeCommand('letta.feedbackNegative', disliked);
    const agentId = String(agent.node.agentId);
    const stepRequests = () => server.fake.requests.filter((r) => r.path.replace(/\/$/, '') === '/v1/steps');

    await vscode.commands.executeCommand('letta.filterSteps', agent.node, { feedback: 'positive' });
    let rows = await until(() => children(server.ext.tree.server, agent.node), (r) => r.filter((i) => i.node.kind === 'step').length === 1);
    assert.deepEqual(rows.filter((i) => i.node.kind === 'step').map((i) => i.node.stepId), [liked]);
    assert.equal(stepRequests().at(-1)?.query.feedback, 'positive');
    assert.equal(stepRequests().at(-1)?.query.agent_id, agentId);

    await vscode.commands.executeCommand('letta.filterSteps', agent.node, { feedback: 'any' });
    rows = await until(() => children(server.ext.tree.server, agent.node), (r) => r.filter((i) => i.node.kind === 'step').length === 2);
    assert.deepEqual(new Set(rows.filter((i) => i.node.kind === 'step').map((i) => i.node.stepId)), new Set([liked, disliked]));
    assert.equal(stepRequests().at(-1)?.query.has_feedback, 'true');
    const [filteredAgent] = (await children(server.ext.tree.server)).filter((i) => i.node.kind === 'agent');
    assert.match(String(filteredAgent.description), /filter: any feedback/);

    await vscode.commands.executeCommand('letta.filterSteps', agent.node, {});
    rows = await until(() => children(server.ext.tree.server, agent.node), (r) => r.filter((i) => i.node.kind === 'step').length > 2);
    assert.equal(stepRequests().at(-1)?.query.has_feedback, undefined);
  });
});

// The sidebar in the real extension host: agents and steps from the fake server, paging, pins.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeLetta } from '../fakeLetta/server';
import type { LettaExtensionApi } from '../../src/extension';
import { fixtureStep, openTraceDocuments, stopFakeServer, until, useFakeServer } from './helpers';

type Item = vscode.TreeItem & { node: unknown };

async function children(provider: vscode.TreeDataProvider<unknown>, parent?: unknown): Promise<Item[]> {
  const nodes = (await provider.getChildren(parent)) ?? [];
  return Promise.all(nodes.map(async (node) => Object.assign(await provider.getTreeItem(node), { node })));
}

const label = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

suite('Sidebar', () => {
  let fake: FakeLetta;
  let ext: LettaExtensionApi;

  suiteSetup(async () => {
    ({ fake, ext } = await useFakeServer());
    await vscode.workspace.getConfiguration('letta').update('stepsPageSize', 10, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('letta').update('stepsPageSize', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('letta.clearRecent');
    await stopFakeServer(fake, ext);
  });

  test('the views and their commands are registered', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ['letta.traces.focus', 'letta.server.focus', 'letta.pinStep', 'letta.unpinStep', 'letta.refreshTree', 'letta.findAgent', 'letta.loadMoreSteps', 'letta.clearRecent']) {
      assert.ok(all.includes(id), id);
    }
  });

  test('Server lists the agents, and an agent its steps a page at a time with Load more', async () => {
    const agents = await children(ext.tree.server);
    assert.deepEqual(agents.map(label), fake.agents.map((a) => a.name));
    const first = await children(ext.tree.server, agents[0].node);
    assert.equal(first.length, 11, '10 steps and Load more…');
    assert.equal(label(first[10]), 'Load more…');
    assert.deepEqual(first[10].command?.arguments, [fake.agents[0].id]);
    assert.equal(fake.requests.at(-1)?.query.limit, '10');
    await vscode.commands.executeCommand('letta.loadMoreSteps', fake.agents[0].id);
    const second = await children(ext.tree.server, agents[0].node);
    assert.equal(second.length, 21);
    assert.equal(fake.requests.at(-1)?.query.after, fake.steps.filter((s) => s.agent_id === fake.agents[0].id)[9].id);
    assert.equal(new Set(second.slice(0, 20).map((i) => (i.node as { stepId: string }).stepId)).size, 20);
  });

  test('a step expands to Request, Response and Metadata; clicking it opens its trace', async () => {
    const agents = await children(ext.tree.server);
    const [step] = await children(ext.tree.server, agents[0].node);
    const parts = await children(ext.tree.server, step.node);
    assert.deepEqual(parts.map(label), ['Request', 'Response', 'Metadata']);
    const stepId = (step.node as { stepId: string }).stepId;
    assert.deepEqual(parts[0].command, { command: 'letta.openRequestJson', title: 'Request', arguments: [stepId] });
    assert.equal(step.command?.command, 'letta.openStepTrace');
    await vscode.commands.executeCommand(step.command.command, ...(step.command.arguments ?? []));
    const docs = await until(openTraceDocuments, (d) => d.has(`/${stepId}/request.json`));
    assert.deepEqual(JSON.parse(docs.get(`/${stepId}/request.json`) ?? 'null'), fake.traces.get(stepId)?.request_json);
  });

  test('opened traces appear in Recent; pin and unpin persist', async () => {
    const id = fixtureStep(fake, /gemini/);
    await vscode.commands.executeCommand('letta.openStepTrace', id);
    const groups = await until(() => children(ext.tree.traces), (g) => g.some((i) => label(i) === 'Recent'));
    const recent = await children(ext.tree.traces, groups.find((g) => label(g) === 'Recent')?.node);
    assert.equal((recent[0].node as { stepId: string }).stepId, id);
    assert.match(String(recent[0].description), /gemini/);
    await vscode.commands.executeCommand('letta.pinStep', recent[0].node);
    const pinnedGroup = (await children(ext.tree.traces)).find((g) => label(g) === 'Pinned');
    assert.ok(pinnedGroup);
    const pinned = await children(ext.tree.traces, pinnedGroup.node);
    assert.deepEqual(pinned.map((i) => (i.node as { stepId: string }).stepId), [id]);
    assert.match(String(pinned[0].contextValue), /\bpinned\b/);
    await vscode.commands.executeCommand('letta.unpinStep', id);
    assert.ok(!(await children(ext.tree.traces)).some((g) => label(g) === 'Pinned'));
  });

  test('an expired key shows one error item with its fix, not notifications', async () => {
    await ext.keys.set(fake.url, 'expired');
    const items = await children(ext.tree.server);
    assert.equal(items.length, 1);
    assert.match(label(items[0]), /rejected the API key/);
    assert.equal(items[0].command?.command, 'letta.setApiKey');
    await ext.keys.set(fake.url, 'fake-key');
    assert.equal((await children(ext.tree.server)).length, fake.agents.length);
  });
});

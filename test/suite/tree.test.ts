// The sidebar in the real extension host: agents and steps from the fake server, paging, pins, errors.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { recordMessages } from './stubs';
import type { LettaTestApi } from '../../src/host/testApi';
import { formatShortTime } from '../../src/core/sidebar/stepLabels';
import type { FakeLetta } from '../fakeLetta/server';
import { fixtureStep, openTraceDocuments, stopFakeServer, until, useFakeServer } from './helpers';

type Item = vscode.TreeItem & { node: unknown };

async function children(provider: vscode.TreeDataProvider<unknown>, parent?: unknown): Promise<Item[]> {
  const nodes = (await provider.getChildren(parent)) ?? [];
  return Promise.all(nodes.map(async (node) => Object.assign(await provider.getTreeItem(node), { node })));
}

const label = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
const stepIdOf = (item: Item) => (item.node as { stepId?: string }).stepId;
const kindOf = (item: Item) => (item.node as { kind: string }).kind;
const agentsOf = (items: Item[]) => items.filter((i) => kindOf(i) === 'agent');
const stepsOf = (items: Item[]) => items.filter((i) => kindOf(i) === 'step');
/** An agent's children without its Runs group (which comes first): the steps listing and its last row. */
const stepListOf = (items: Item[]) => items.filter((i) => kindOf(i) !== 'runs');
const stepRequests = (fake: FakeLetta) => fake.requests.filter((r) => r.path.replace(/\/$/, '') === '/v1/steps');
const config = () => vscode.workspace.getConfiguration('letta');

/** Runs `command` with the user picking the first item of the quick pick it shows (no wait on the UI). */
async function pickFirst(command: () => Thenable<unknown>): Promise<string[]> {
  const window = vscode.window as unknown as Record<string, unknown>;
  const original = window.showQuickPick;
  const offered: string[] = [];
  window.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => {
    const list = await items;
    offered.push(...list.map((i) => i.label));
    return list[0];
  };
  try {
    await command();
  } finally {
    window.showQuickPick = original;
  }
  assert.ok(offered.length > 0, 'a pick was shown');
  return offered;
}

suite('Sidebar', () => {
  let fake: FakeLetta;
  let ext: LettaTestApi;

  /** The root of the Server view once it has settled on `state`. */
  async function serverRoot(state: string, check: (items: Item[]) => boolean = () => true): Promise<Item[]> {
    return until(() => children(ext.tree.server), (items) => ext.tree.serverState() === state && check(items));
  }

  async function agentItem(index = 0): Promise<Item> {
    const root = await serverRoot('ready', (items) => agentsOf(items).length > index);
    return agentsOf(root)[index];
  }

  suiteSetup(async () => {
    ({ fake, ext } = await useFakeServer());
    await config().update('stepsPageSize', 10, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('letta.clearRecent');
  });
  suiteTeardown(async () => {
    await config().update('stepsPageSize', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('letta.clearRecent');
    for (const id of fake.steps.map((s) => s.id)) {
      await vscode.commands.executeCommand('letta.unpinStep', id);
    }
    await stopFakeServer(fake, ext);
  });
  setup(async () => {
    fake.reset();
    await vscode.commands.executeCommand('letta.refreshTree');
  });

  test('the views and their commands are registered', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of [
      'letta.traces.focus', 'letta.server.focus', 'letta.pinStep', 'letta.unpinStep', 'letta.removeRecent', 'letta.clearRecent', 'letta.refreshTree',
      'letta.findAgent', 'letta.filterSteps', 'letta.copyAgentId', 'letta.loadMoreSteps', 'letta.loadMoreAgents',
    ]) {
      assert.ok(all.includes(id), id);
    }
  });

  test('Server names its server first, then lists the agents of the fake server', async () => {
    const root = await serverRoot('ready');
    assert.equal(label(root[0]), new URL(fake.url).origin);
    assert.equal(root[0].command?.command, 'letta.changeServer');
    assert.deepEqual(agentsOf(root).map(label), fake.agents.map((a) => a.name));
    assert.deepEqual(agentsOf(root).map((i) => (i.node as { agentId: string }).agentId), fake.agents.map((a) => a.id));
    assert.equal(ext.tree.serverView.description, new URL(fake.url).origin);
  });

  test('an agent gives its steps newest first a page at a time, with Load more until the end', async () => {
    const agent = await agentItem();
    const agentId = fake.agents[0].id;
    const all = fake.steps.filter((s) => s.agent_id === agentId);
    const first = stepListOf(await children(ext.tree.server, agent.node));
    assert.equal(first.length, 11, '10 steps and Load more…');
    assert.equal(label(first[10]), 'Load more…');
    assert.deepEqual(first[10].command?.arguments, [agentId]);
    assert.deepEqual(stepRequests(fake).map((r) => [r.query.limit, r.query.order, r.query.agent_id, r.query.after]), [['10', 'desc', agentId, undefined]]);

    await vscode.commands.executeCommand('letta.loadMoreSteps', first[10].node);
    const second = stepListOf(await children(ext.tree.server, agent.node));
    assert.equal(second.length, 21);
    assert.equal(stepRequests(fake).at(-1)?.query.after, all[9].id);

    for (let i = 0; i < 20 && kindOf((await children(ext.tree.server, agent.node)).at(-1) as Item) === 'more'; i++) {
      await vscode.commands.executeCommand('letta.loadMoreSteps', agentId);
    }
    const everything = stepListOf(await children(ext.tree.server, agent.node));
    assert.deepEqual(everything.map(stepIdOf), all.map((s) => s.id), 'every step once, newest first, and no Load more at the end');
    assert.equal(stepRequests(fake).length, Math.floor(all.length / 10) + 1);
  });

  test('a step has a status icon, its summary in the tooltip, and expands to Request, Response and Metadata; clicking it opens its trace', async () => {
    const agent = await agentItem();
    const [step] = stepsOf(await children(ext.tree.server, agent.node));
    const stepId = stepIdOf(step) ?? '';
    const record = fake.steps.find((s) => s.id === stepId);
    assert.equal((step.iconPath as vscode.ThemeIcon).id, record?.status === 'failed' ? 'error' : 'pass');
    assert.match(typeof step.tooltip === 'string' ? step.tooltip : '', new RegExp(`^${stepId}$`, 'm'));
    assert.match(String(step.description), new RegExp(String(record?.model).replace(/[.]/g, '\\.')));
    const parts = await children(ext.tree.server, step.node);
    assert.deepEqual(parts.map(label), ['Request', 'Response', 'Metadata']);
    assert.deepEqual(parts.map((p) => p.command?.command), ['letta.openRequestJson', 'letta.openResponseJson', 'letta.openMetadataJson']);
    assert.ok(parts.every((p) => p.command?.arguments?.[0] === stepId));
    assert.equal(step.command?.command, 'letta.openStepTrace');
    await vscode.commands.executeCommand(step.command.command, ...(step.command.arguments ?? []));
    const docs = await until(openTraceDocuments, (d) => d.has(`/${stepId}/request.json`));
    assert.deepEqual(JSON.parse(docs.get(`/${stepId}/request.json`) ?? 'null'), fake.traces.get(stepId)?.request_json);
    // Now that the trace is cached, the step shows the trace's time (a Step has none of its own).
    const again = stepsOf(await children(ext.tree.server, agent.node)).find((i) => stepIdOf(i) === stepId);
    const time = formatShortTime(String(fake.traces.get(stepId)?.created_at));
    assert.ok(time && String(again?.description).startsWith(time), String(again?.description));
  });

  test('opened traces go first in Recent; pin and unpin persist in global state, with no key', async () => {
    const id = fixtureStep(fake, /gemini/);
    await vscode.commands.executeCommand('letta.openStepTrace', id);
    const groups = await until(() => children(ext.tree.traces), (g) => g.some((i) => label(i) === 'Recent'));
    const recent = await children(ext.tree.traces, groups.find((g) => label(g) === 'Recent')?.node);
    assert.equal(stepIdOf(recent[0]), id);
    assert.match(String(recent[0].description), /gemini/);
    assert.match(String(recent[0].contextValue), /\brecent\b/);
    await vscode.commands.executeCommand('letta.pinStep', recent[0].node);
    const pinnedGroup = (await children(ext.tree.traces)).find((g) => label(g) === 'Pinned');
    assert.ok(pinnedGroup);
    const pinned = await children(ext.tree.traces, pinnedGroup.node);
    assert.deepEqual(pinned.map(stepIdOf), [id]);
    assert.match(String(pinned[0].contextValue), /\bpinned\b/);
    const stored = ext.storage.globalState.get<{ stepId: string; model?: string }[]>('letta.pinnedTraces') ?? [];
    assert.equal(stored[0]?.stepId, id);
    assert.match(String(stored[0]?.model), /gemini/);
    const state = JSON.stringify([ext.storage.globalState.get('letta.pinnedTraces'), ext.storage.globalState.get('letta.recentTraces')]);
    assert.ok(!state.includes('fake-key') && !state.includes('request_json'), 'state holds summaries only');

    await vscode.commands.executeCommand('letta.unpinStep', id);
    assert.ok(!(await children(ext.tree.traces)).some((g) => label(g) === 'Pinned'));
    assert.deepEqual(ext.storage.globalState.get('letta.pinnedTraces'), []);
    await vscode.commands.executeCommand('letta.removeRecent', id);
    assert.ok(!(ext.storage.globalState.get<{ stepId: string }[]>('letta.recentTraces') ?? []).some((e) => e.stepId === id));
  });

  test('a step pinned by its ID (as from a hover) shows in Pinned with its details, and as pinned in Server', async () => {
    const agent = await agentItem();
    const step = stepsOf(await children(ext.tree.server, agent.node))[2];
    const stepId = stepIdOf(step) ?? '';
    await vscode.commands.executeCommand('letta.pinStep', stepId);
    const pinnedGroup = (await children(ext.tree.traces)).find((g) => label(g) === 'Pinned');
    const [pinned] = await children(ext.tree.traces, pinnedGroup?.node);
    assert.equal(stepIdOf(pinned), stepId);
    assert.match(String(pinned.description), new RegExp(String(fake.steps.find((s) => s.id === stepId)?.model).replace(/[.]/g, '\\.')));
    const inServer = stepsOf(await children(ext.tree.server, agent.node)).find((i) => stepIdOf(i) === stepId);
    assert.match(String(inServer?.contextValue), /^step pinned/);
    await vscode.commands.executeCommand('letta.unpinStep', { stepId });
    assert.ok(!ext.storage.globalState.get<{ stepId: string }[]>('letta.pinnedTraces')?.some((e) => e.stepId === stepId));
  });

  test('the agents come a page at a time too', async () => {
    await config().update('stepsPageSize', 2, vscode.ConfigurationTarget.Global);
    try {
      let root = await serverRoot('ready', (items) => agentsOf(items).length === 2);
      assert.equal(label(root.at(-1) as Item), 'Load more agents…');
      await vscode.commands.executeCommand('letta.loadMoreAgents');
      root = await children(ext.tree.server);
      assert.deepEqual(agentsOf(root).map(label), fake.agents.map((a) => a.name));
      assert.equal(kindOf(root.at(-1) as Item), 'agent', 'no Load more once a short page came');
    } finally {
      await config().update('stepsPageSize', 10, vscode.ConfigurationTarget.Global);
    }
  });

  test('Filter Steps: failed only', async () => {
    const agent = await agentItem();
    const agentId = fake.agents[0].id;
    await children(ext.tree.server, agent.node);
    await pickFirst(() => vscode.commands.executeCommand('letta.filterSteps', agent.node)); // the first: Failed steps
    const rows = await children(ext.tree.server, agent.node);
    const loaded = fake.steps.filter((s) => s.agent_id === agentId).slice(0, 10);
    assert.deepEqual(stepsOf(rows).map(stepIdOf), loaded.filter((s) => s.status === 'failed').map((s) => s.id));
    assert.ok(stepsOf(rows).length > 0, 'the fixtures include a failed call');
    assert.match(String(rows.at(-1)?.description), /of 10 loaded steps match/);
    const [filteredAgent] = agentsOf(await children(ext.tree.server));
    assert.match(String(filteredAgent.description), /filter: failed/);
    assert.equal(filteredAgent.contextValue, 'agent filtered');
    // Picking the same status again drops it.
    await pickFirst(() => vscode.commands.executeCommand('letta.filterSteps', agentId));
    assert.equal(stepsOf(await children(ext.tree.server, agent.node)).length, 10);
    assert.equal(agentsOf(await children(ext.tree.server))[0].contextValue, 'agent');
  });

  test('Find Agent picks an agent and reveals it', async () => {
    await agentItem();
    // The real quick pick, caught as it is made: the test waits for its items, not for a fixed time.
    const window = vscode.window as unknown as Record<string, unknown>;
    const original = window.createQuickPick as () => vscode.QuickPick<vscode.QuickPickItem>;
    let pick: vscode.QuickPick<vscode.QuickPickItem> | undefined;
    window.createQuickPick = () => (pick = original.call(vscode.window));
    let picking: Thenable<unknown>;
    try {
      picking = vscode.commands.executeCommand('letta.findAgent');
      const qp = await until(() => pick, (p) => (p?.items.length ?? 0) >= 2);
      assert.ok(qp);
      // The window applies the active item on its side; accepting before it has would take the first.
      const target = qp.items[1];
      const applied = new Promise<void>((resolve) => {
        const sub = qp.onDidChangeActive((items) => {
          if (items[0] === target) {
            sub.dispose();
            resolve();
          }
        });
      });
      qp.activeItems = [target];
      await Promise.race([applied, new Promise((r) => setTimeout(r, 3000))]);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await picking;
    } finally {
      window.createQuickPick = original;
    }
    const selected = await until(() => ext.tree.serverView.selection as { agentId?: string }[], (s) => s.length > 0, 5000);
    assert.equal(selected[0]?.agentId, fake.agents[1].id);
  });

  test('an expired key shows one error item with its fix, not notifications', async () => {
    await ext.keys.set(fake.url, 'expired');
    try {
      const items = await serverRoot('error');
      const problems = items.filter((i) => kindOf(i) === 'problem');
      assert.equal(problems.length, 1);
      assert.equal(items.length, 2, 'the server line and the problem');
      assert.match(label(problems[0]), /rejected the API key — Set API Key/);
      assert.equal(problems[0].command?.command, 'letta.setApiKey');
    } finally {
      await ext.keys.set(fake.url, 'fake-key');
    }
    const back = await serverRoot('ready');
    assert.equal(agentsOf(back).length, fake.agents.length);
  });

  test('a key waiting for plain-http consent, and a setting that is not a URL, each get their own state, not "no key"', async () => {
    const config = vscode.workspace.getConfiguration('letta');
    const remote = 'http://letta-remote.invalid:8283';
    await ext.keys.set(remote, 'remote-key');
    try {
      await config.update('baseUrl', remote, vscode.ConfigurationTarget.Global);
      assert.deepEqual(await serverRoot('consentNeeded'), []);
      const rec = recordMessages();
      try {
        await vscode.commands.executeCommand('letta.findAgent');
      } finally {
        rec.restore();
      }
      assert.match(rec.shown[0]?.message ?? '', /plain http/);
      assert.deepEqual(rec.shown[0]?.buttons, [`Send the key to ${remote}?`]);
      await config.update('baseUrl', 'not a url at all', vscode.ConfigurationTarget.Global);
      assert.deepEqual(await serverRoot('badUrl'), []);
    } finally {
      await ext.keys.delete(remote);
      await config.update('baseUrl', fake.url, vscode.ConfigurationTarget.Global);
    }
    assert.equal(agentsOf(await serverRoot('ready')).length, fake.agents.length);
  });

  test('with no key, or a server that cannot be reached, the view is empty so its welcome text shows', async () => {
    await ext.keys.delete(fake.url);
    try {
      assert.deepEqual(await serverRoot('noKey'), []);
      fake.reset();
      assert.deepEqual(await children(ext.tree.server), []);
      assert.equal(fake.requests.length, 0, 'nothing was asked of the server without a key');
    } finally {
      await ext.keys.set(fake.url, 'fake-key');
    }
    fake.setFaults([{ route: 'agents', kind: 'reset' }]);
    await vscode.commands.executeCommand('letta.refreshTree');
    assert.deepEqual(await serverRoot('unreachable'), []);
    fake.reset();
    await vscode.commands.executeCommand('letta.refreshTree');
    assert.equal(agentsOf(await serverRoot('ready')).length, fake.agents.length);
  });
});

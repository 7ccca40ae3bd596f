/**
 * "This Workspace": a workspace folder holding Letta Code's `.letta/settings.local.json` shows its
 * agent and runs; the view follows a change of the file and new runs; polling stops while hidden.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentFollower } from '../../src/host/workspace/agentFollower';
import type { WorkspaceNode } from '../../src/host/workspace/workspaceView';
import { fakeServerSuite, until } from './helpers';

suite('This Workspace (Letta Code)', () => {
  const s = fakeServerSuite();
  const folder = () => {
    const uri = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(uri, 'the integration tests run with a workspace folder');
    return uri.fsPath;
  };
  const projectFile = () => path.join(folder(), '.letta', 'settings.local.json');
  const writeProjectFile = (content: unknown) => {
    fs.mkdirSync(path.dirname(projectFile()), { recursive: true });
    fs.writeFileSync(projectFile(), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  };
  const serverKey = () => s.fake.url.replace(/^https?:\/\//, '');

  const roots = async () => (await s.ext.workspace.tree.getChildren()) ?? [];
  const follower = async (): Promise<AgentFollower | undefined> => {
    const [root] = await roots();
    return root?.kind === 'folder' ? root.follower : undefined;
  };
  const runIds = async (): Promise<string[]> => {
    const [root] = await roots();
    const children: WorkspaceNode[] = root ? await s.ext.workspace.tree.getChildren(root) : [];
    return children.flatMap((c) => (c.kind === 'run' ? [c.run.id] : []));
  };
  const runsOf = (agentId: string) => s.fake.runs.filter((r) => r.run.agent_id === agentId).map((r) => r.run.id);
  const runListRequests = () => s.fake.requests.filter((r) => r.path.replace(/\/$/, '') === '/v1/runs');

  suiteTeardown(() => fs.rmSync(path.join(folder(), '.letta'), { recursive: true, force: true }));

  teardown(async () => {
    // The file only, as a user would: the folder stays (Letta Code keeps other files there).
    fs.rmSync(projectFile(), { force: true });
    await vscode.workspace.getConfiguration('letta').update('workspace.pollIntervalSeconds', undefined, vscode.ConfigurationTarget.Global);
    assert.deepEqual(await until(roots, (r) => r.length === 0), [], 'a deleted project file removes its entry');
  });

  test('the agent the project file names shows on top, with its name, model and latest runs', async () => {
    const agent = s.fake.agents[0];
    writeProjectFile({ lastAgent: agent.id, permissions: { allow: [] } });
    await vscode.commands.executeCommand('letta.workspace.focus');
    const f = await until(follower, (x) => x?.state.kind === 'ok');
    assert.equal(f?.agentId, agent.id);
    const [root] = await roots();
    const item = s.ext.workspace.tree.getTreeItem(root);
    assert.equal(item.label, agent.name);
    assert.match(String(item.description), new RegExp((agent.model ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const expected = runsOf(agent.id).slice(0, 10);
    assert.deepEqual(await until(runIds, (ids) => ids.length === expected.length), expected);
    // A run row opens the run view with the run's ID.
    const [first] = (await s.ext.workspace.tree.getChildren(root)).filter((n) => n.kind === 'run');
    const runItem = s.ext.workspace.tree.getTreeItem(first);
    assert.equal(runItem.command?.command, 'letta.workspace.openRun');
    assert.deepEqual(runItem.command?.arguments, [expected[0]]);
    assert.ok((runItem.iconPath as vscode.ThemeIcon).id.length > 0);
    // The view is the first of the Letta container, and the status bar names the agent.
    const views = (vscode.extensions.getExtension('letta-step-trace.letta-step-trace')?.packageJSON as { contributes: { views: { letta: { id: string }[] } } }).contributes.views.letta;
    assert.equal(views[0].id, 'letta.workspace');
    await until(() => s.ext.statusBar.item.text, (t) => t.includes(agent.name ?? '?'));
  });

  test('a run row says how many steps its run has, read once per run from the run\'s metrics', async () => {
    const runId = s.fake.named?.memoryEdit ?? '';
    const agentId = s.fake.runs.find((r) => r.run.id === runId)?.run.agent_id ?? '';
    assert.ok(agentId, 'the fake names its 4-step memory-edit run');
    writeProjectFile({ lastAgent: agentId });
    await vscode.commands.executeCommand('letta.workspace.focus');
    await until(follower, (x) => x?.agentId === agentId && x.state.kind === 'ok');
    const [root] = await roots();
    const rowOf = async (id: string) => {
      const node = (await s.ext.workspace.tree.getChildren(root)).find((n) => n.kind === 'run' && n.run.id === id);
      return node ? s.ext.workspace.tree.getTreeItem(node) : undefined;
    };
    // The newest run of this agent is the memory edit: 4 steps, counted once its metrics arrive.
    const row = await until(() => rowOf(runId), (i) => /4 steps/.test(String(i?.description)));
    assert.match(String(row?.description), /^completed · end_turn · 4 steps · \d/);
    assert.match(typeof row?.tooltip === 'string' ? row.tooltip : '', /Steps: 4/);
    const shown = await runIds();
    // Every row got its count, and drawing the rows again reads nothing more.
    for (const id of shown) {
      const steps = s.fake.steps.filter((st) => st.run_id === id).length;
      const counted = new RegExp(`(^| )${steps} steps?( |$)`);
      assert.match(String((await until(() => rowOf(id), (i) => counted.test(String(i?.description))))?.description), counted, `the row of ${id}`);
    }
    const metricsReads = () => s.fake.requests.filter((r) => /^\/v1\/runs\/[^/]+\/metrics$/.test(r.path)).map((r) => r.path);
    const before = metricsReads();
    assert.deepEqual([...new Set(before)].sort(), shown.map((id) => `/v1/runs/${id}/metrics`).sort(), 'one read per shown run');
    assert.equal(before.length, shown.length, 'no run read twice');
    for (const id of shown) {
      await rowOf(id);
    }
    assert.deepEqual(metricsReads(), before, 'a redraw reads nothing');
  });

  test('changing the file switches the agent, and this server\'s session wins over the legacy field', async () => {
    const [a, b] = s.fake.agents;
    writeProjectFile({ lastAgent: a.id });
    assert.equal((await until(follower, (x) => x?.agentId === a.id && x.state.kind === 'ok'))?.agentId, a.id);
    writeProjectFile({ lastAgent: a.id, sessionsByServer: { [serverKey()]: { agentId: b.id, conversationId: 'conv-1' }, 'api.letta.com': { agentId: a.id } } });
    const f = await until(follower, (x) => x?.agentId === b.id && x.state.kind === 'ok');
    assert.equal(f?.agentId, b.id, `file ${fs.readFileSync(projectFile(), 'utf8')}, folders ${JSON.stringify(s.ext.workspace.agents.folders.map((x) => x.agent))}, server key ${serverKey()}, polling ${f?.polling}`);
    assert.equal(s.ext.workspace.tree.getTreeItem((await roots())[0]).label, b.name);
    assert.deepEqual(await until(runIds, (ids) => ids[0] === runsOf(b.id)[0]), runsOf(b.id).slice(0, 10));
  });

  test('an agent the server does not know says so; a malformed file says so', async () => {
    const unknown = 'agent-0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a';
    writeProjectFile({ lastAgent: unknown, baseUrl: 'https://evil.example', env: { LETTA_BASE_URL: 'https://evil.example' } });
    assert.equal((await until(follower, (x) => x?.state.kind === 'unknown'))?.state.kind, 'unknown');
    const item = s.ext.workspace.tree.getTreeItem((await roots())[0]);
    assert.match(String(item.description), new RegExp(`does not know agent ${unknown}`));
    assert.ok(!s.fake.requests.some((r) => JSON.stringify(r.headers).includes('evil')));
    writeProjectFile('{"lastAgent": ');
    const bad = await until(roots, (r) => r[0]?.kind === 'folder' && r[0].entry.agent.kind === 'problem');
    assert.match(String(s.ext.workspace.tree.getTreeItem(bad[0]).description), /not valid JSON/);
  });

  test('follows live: a new run appears while the view is visible; none is polled while it is hidden', async function () {
    this.timeout(60_000);
    await vscode.workspace.getConfiguration('letta').update('workspace.pollIntervalSeconds', 3, vscode.ConfigurationTarget.Global);
    const agent = s.fake.agents[2];
    writeProjectFile({ lastAgent: agent.id });
    await vscode.commands.executeCommand('letta.workspace.focus');
    assert.equal((await until(follower, (x) => x?.agentId === agent.id && x.state.kind === 'ok'))?.state.kind, 'ok');
    assert.ok(await until(() => s.ext.workspace.isActive(), Boolean), `view visible ${s.ext.workspace.view.visible}, window focused ${vscode.window.state.focused}`);

    const added = s.fake.addRun(agent.id, { status: 'failed', stop_reason: 'llm_api_error' });
    const f = await follower();
    assert.equal(
      (await until(runIds, (ids) => ids[0] === added.id, 15_000))[0],
      added.id,
      `tree active ${s.ext.workspace.tree.isActive}, follower polling ${f?.polling}, polls ${f?.polls}, requests ${JSON.stringify(runListRequests().map((r) => r.query))}`,
    );
    const poll = runListRequests().find((r) => r.query.after !== undefined);
    assert.ok(poll, 'polls use the after cursor');
    assert.equal(poll.query.order, 'asc');
    assert.equal(poll.query.agent_id, agent.id);

    // Hidden: no request for a few intervals, and a run added meanwhile does not show…
    await vscode.commands.executeCommand('workbench.view.explorer');
    await until(() => s.ext.workspace.isActive(), (a) => !a);
    const before = runListRequests().length;
    const meanwhile = s.fake.addRun(agent.id);
    const waited = Date.now();
    await until(() => Date.now() - waited, (ms) => ms > 7000, 8000);
    assert.equal(runListRequests().length, before, 'no poll while the view is hidden');
    assert.notEqual((await runIds())[0], meanwhile.id);
    // …until the view shows again.
    await vscode.commands.executeCommand('letta.workspace.focus');
    assert.equal((await until(runIds, (ids) => ids[0] === meanwhile.id, 15_000))[0], meanwhile.id);
  });

  test('agent IDs in any text get a hover with the name, model and links', async () => {
    const agent = s.fake.agents[1];
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: `{"type":"result","agent_id":"${agent.id}"}` });
    const position = new vscode.Position(0, doc.getText().indexOf(agent.id) + 5);
    const text = await until(
      async () =>
        (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position))
          .map((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n'))
          .find((t) => t.includes('Letta agent')) ?? '',
      (t) => t.includes(agent.name ?? '?'),
    );
    assert.ok(text.includes(agent.name ?? '?'), text);
    assert.ok(text.includes('command:letta.showAgentInSidebar'), text);
    assert.ok(text.includes('command:letta.openAgentLatestRun'), text);
  });

  test('Letta Code\'s key is copied, on yes only, for the server Letta Code uses, and never logged', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'letta-home-'));
    const previous = s.ext.workspace.lettaCodeKey.home;
    try {
      s.ext.workspace.lettaCodeKey.home = vscode.Uri.file(home);
      assert.equal(await s.ext.workspace.lettaCodeKey.available(), false);
      fs.mkdirSync(path.join(home, '.letta'));
      fs.writeFileSync(path.join(home, '.letta', 'settings.json'), JSON.stringify({ env: { LETTA_API_KEY: 'lc-secret-key', LETTA_BASE_URL: s.fake.url }, lastAgent: null }));
      assert.equal(await s.ext.workspace.lettaCodeKey.available(), true);
      await s.ext.keys.delete(s.fake.url);
      assert.equal(await s.ext.workspace.lettaCodeKey.offer(s.fake.url, () => Promise.resolve(false)), false);
      assert.equal(await s.ext.keys.has(s.fake.url), false, 'no means nothing is stored');
      assert.equal(await s.ext.workspace.lettaCodeKey.offer(s.fake.url, () => Promise.resolve(true)), true);
      assert.equal(await s.ext.keys.matches(s.fake.url, 'lc-secret-key'), true);
      fs.writeFileSync(path.join(home, '.letta', 'settings.json'), '{"env": {"LETTA_API_KEY": "lc-other"');
      assert.equal(await s.ext.workspace.lettaCodeKey.offer(s.fake.url, () => Promise.resolve(true)), false);
      assert.equal(await s.ext.keys.matches(s.fake.url, 'lc-secret-key'), true, 'a malformed file changes nothing');
      // Every log file of this window (ours, the extension host's).
      const logsRoot = path.dirname(path.dirname(s.ext.storage.logUri.fsPath));
      const logs = fs.readdirSync(logsRoot, { recursive: true }).map((f) => path.join(logsRoot, String(f))).filter((f) => f.endsWith('.log'));
      assert.ok(logs.length > 0);
      for (const file of logs) {
        assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /lc-secret-key|lc-other/, file);
      }
    } finally {
      s.ext.workspace.lettaCodeKey.home = previous;
      await s.ext.keys.set(s.fake.url, 'fake-key');
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

// Where a trace comes from, in the real extension host: a saved file and the server's live trace of
// one step are two traces; a server change drops what was on its way; Retry repeats what failed; a
// refreshed document changes its mtime.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LoadedTrace, ProviderTrace } from '../../src/core/lettaTypes';
import { serializeTraceFile } from '../../src/core/traceFile';
import { startFakeLetta, type FakeLetta } from '../fakeLetta/server';
import { fakeServerSuite, fixtureStep, openTraceDocuments, until } from './helpers';
import { recordMessages } from './stubs';

const traceRequests = (fake: FakeLetta) => fake.requests.filter((r) => r.path.endsWith('/trace'));
const config = () => vscode.workspace.getConfiguration('letta');
const docUri = (stepId: string, part: string, query = '') => vscode.Uri.from({ scheme: 'letta-trace', path: `/${stepId}/${part}.json`, query });
const readText = async (uri: vscode.Uri) => Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');

/** Serves `trace` changed by `change` from now on (a copy: generated steps share fixture objects). */
function changeTrace(fake: FakeLetta, stepId: string, change: (t: ProviderTrace) => ProviderTrace): void {
  const trace = fake.traces.get(stepId);
  assert.ok(trace, stepId);
  fake.traces.set(stepId, change(structuredClone(trace)));
}

suite('Trace sources', () => {
  const server = fakeServerSuite();
  let other: FakeLetta | undefined;
  teardown(async () => {
    await config().update('baseUrl', server.fake.url, vscode.ConfigurationTarget.Global);
    await other?.close();
    other = undefined;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function otherServer(): Promise<FakeLetta> {
    other = await startFakeLetta({ stepsPerAgent: 40 });
    await server.ext.keys.set(other.url, 'fake-key');
    return other;
  }

  test('a saved file of a step never stands in for the live trace: palette, hover, documents and Compare each get their own', async () => {
    const id = fixtureStep(server.fake, /claude/);
    const live = server.fake.traces.get(id);
    assert.ok(live);
    const saved: LoadedTrace = {
      stepId: id,
      trace: { ...structuredClone(live), request_json: { ...live.request_json, model: 'shadow-model-from-file' } },
      source: { kind: 'file', path: '' },
      loadedAt: 1,
    };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'letta-shadow-')), `${id}.json`);
    fs.writeFileSync(file, serializeTraceFile(saved));
    await vscode.commands.executeCommand('letta.openTraceFile', vscode.Uri.file(file));
    const fromFile = await until(() => openTraceDocuments('file'), (d) => d.has(`/${id}/request.json`));
    assert.match(fromFile.get(`/${id}/request.json`) ?? '', /shadow-model-from-file/);
    assert.equal(traceRequests(server.fake).length, 0);

    // The hover over the ID speaks of the server's step, not of the file.
    const log = await vscode.workspace.openTextDocument({ language: 'log', content: `step ${id} done` });
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', log.uri, new vscode.Position(0, 10));
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.ok(hoverText.includes('Letta step'), hoverText);
    assert.ok(!hoverText.includes('shadow'), `the hover does not show the file's trace: ${hoverText}`);

    // The palette opens the server's trace: fetched, and its documents are the server's.
    await vscode.commands.executeCommand('letta.openStepTrace', id);
    assert.equal(traceRequests(server.fake).length, 1, 'the live trace was fetched, not served from the file');
    const fromServer = await until(() => openTraceDocuments('server'), (d) => d.has(`/${id}/request.json`));
    assert.deepEqual(JSON.parse(fromServer.get(`/${id}/request.json`) ?? 'null'), live.request_json);

    // Compare offers the file's trace as another trace of the same step.
    const window = vscode.window as unknown as Record<string, unknown>;
    const originalPick = window.showQuickPick;
    let offered: { stepId?: string; description?: string }[] = [];
    window.showQuickPick = (items: (vscode.QuickPickItem & { stepId?: string; source?: { kind: string }; parts?: string[] })[]) => {
      if (items.some((i) => i.parts)) {
        return Promise.resolve(items.find((i) => i.parts?.join() === 'request')); // what to compare: the requests
      }
      offered = items.filter((i) => i.stepId);
      return Promise.resolve(items.find((i) => i.source?.kind === 'file'));
    };
    try {
      await vscode.commands.executeCommand('letta.compareWith', id);
    } finally {
      window.showQuickPick = originalPick;
    }
    assert.deepEqual(offered.map((o) => o.stepId), [id], 'the file trace is offered against the live one');
    const tab = await until(() => vscode.window.tabGroups.activeTabGroup.activeTab, (t) => t?.input instanceof vscode.TabInputTextDiff);
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff);
    assert.equal(tab.input.original.query, `origin=${server.fake.url}`);
    assert.match(tab.input.modified.query, /^file=/);
    const [a, b] = await Promise.all([readText(tab.input.original), readText(tab.input.modified)]);
    assert.ok(!a.includes('shadow') && b.includes('shadow-model-from-file'), 'the diff shows the live trace against the file');
  });

  test('a Recent entry of another server says which server it belongs to, and is not fetched from the current one', async () => {
    const id = fixtureStep(server.fake, /gemini/);
    await vscode.commands.executeCommand('letta.openStepTrace', id);
    const b = await otherServer();
    await config().update('baseUrl', b.url, vscode.ConfigurationTarget.Global);
    await until(() => server.ext.api.origin, (o) => o === b.url);
    const groups = await until(() => Promise.resolve(server.ext.tree.traces.getChildren()), (g) => (g?.length ?? 0) > 0);
    const recentGroup = (groups ?? []).find((g) => (g as { group?: string }).group === 'recent');
    const rows = (await server.ext.tree.traces.getChildren(recentGroup)) ?? [];
    const row = rows.find((r) => (r as { stepId?: string }).stepId === id);
    assert.ok(row, 'the step is in Recent');
    const item = await server.ext.tree.traces.getTreeItem(row);
    assert.ok(String(item.description).includes(server.fake.url), `the item names its server: ${String(item.description)}`);
    const rec = recordMessages();
    try {
      assert.ok(item.command);
      await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
      const shown = await until(() => rec.shown, (s) => s.length > 0);
      assert.ok(shown[0].message.includes(server.fake.url), shown[0].message);
      assert.ok(shown[0].buttons.includes('Change Server'));
    } finally {
      rec.restore();
    }
    assert.deepEqual(traceRequests(b), [], 'nothing was fetched from the current server');
  });

  test('a server change during a slow load: the late answer lands in no cache, and rendered documents are dropped', async () => {
    const id = fixtureStep(server.fake, /gpt-5/);
    const doc = docUri(id, 'request');
    assert.deepEqual(JSON.parse(await readText(doc)), server.fake.traces.get(id)?.request_json, 'rendered from the first server');
    const slow = fixtureStep(server.fake, /gpt-4.1-mini/);
    const b = await otherServer();
    changeTrace(b, id, (t) => ({ ...t, request_json: { model: 'from-the-second-server' } }));
    server.fake.setFaults([{ route: 'trace', delayMs: 4000 }]);
    const rec = recordMessages();
    try {
      const loading = server.ext.store.load(slow);
      await until(() => traceRequests(server.fake).length, (n) => n > 0);
      await config().update('baseUrl', b.url, vscode.ConfigurationTarget.Global);
      await until(() => server.ext.api.origin, (o) => o === b.url);
      assert.equal(await loading, undefined, 'the load begun under the first server gives nothing');
      assert.equal(server.ext.store.peek(slow), undefined, "no trace in the second server's cache");
      assert.ok(!server.ext.store.cached().some((t) => t.stepId === slow), 'nor anywhere in the cache');
      assert.deepEqual(rec.shown, [], 'and no error for a load nobody waits for');
    } finally {
      rec.restore();
    }
    assert.deepEqual(traceRequests(b), []);
    // The document that names no server means the configured one: rendered again from the second.
    assert.deepEqual(JSON.parse(await readText(doc)), { model: 'from-the-second-server' });
  });

  test('Retry repeats the action that failed: a document opens, not the trace viewer', async () => {
    const id = fixtureStep(server.fake, /claude/);
    server.fake.setFaults([{ route: 'trace', kind: 'null' }]);
    const rec = recordMessages((m) => {
      if (m.buttons.includes('Retry')) {
        server.fake.reset();
        return 'Retry';
      }
      return undefined;
    });
    try {
      await vscode.commands.executeCommand('letta.openMetadataJson', id);
      const docs = await until(openTraceDocuments, (d) => d.has(`/${id}/metadata.json`), 20_000);
      assert.equal(JSON.parse(docs.get(`/${id}/metadata.json`) ?? '{}').step_id, id, 'Retry opened the metadata document');
      assert.match(rec.shown[0]?.message ?? '', /No trace was recorded/);
    } finally {
      rec.restore();
    }
    const open = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => (t.input as { uri?: vscode.Uri }).uri?.path ?? t.label);
    assert.ok(!open.some((p) => p.endsWith('request.json') || p.endsWith('response.json')), `Open Step Trace did not run: ${open.join(', ')}`);
  });

  test('a failed document retried from its notification shows the trace in the same editor', async () => {
    const id = fixtureStep(server.fake, /gemini/);
    server.fake.setFaults([{ route: 'trace', kind: 'null' }]);
    // The user reads the document's failure text, then picks Retry on the notification.
    let pick: (choice: string) => void = () => undefined;
    const picked = new Promise<string>((resolve) => (pick = resolve));
    const rec = recordMessages((m) => (m.buttons.includes('Retry') ? (picked as unknown as string) : undefined));
    try {
      const doc = await vscode.workspace.openTextDocument(docUri(id, 'response'));
      await vscode.window.showTextDocument(doc);
      await until(() => doc.getText(), (t) => t.includes('could not be loaded'));
      server.fake.reset();
      pick('Retry');
      const text = await until(() => doc.getText(), (t) => t.startsWith('{'), 20_000);
      assert.deepEqual(JSON.parse(text), server.fake.traces.get(id)?.response_json);
      assert.equal(rec.shown.length, 1);
    } finally {
      rec.restore();
    }
  });

  test('a refreshed document gets a new mtime and the new text', async () => {
    const id = fixtureStep(server.fake, /gpt-4.1-mini/);
    const uri = docUri(id, 'response', `origin=${server.fake.url}`);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const first = await vscode.workspace.fs.stat(uri);
    assert.ok(first.mtime > 0, `an mtime: ${first.mtime}`);
    changeTrace(server.fake, id, (t) => ({ ...t, response_json: { refreshed: true } }));
    // loadedAt is in ms: a load in the same ms as the first would share its mtime.
    await until(() => Date.now(), (now) => now > first.mtime);
    const fresh = await server.ext.store.load(id, { refresh: true });
    assert.ok(fresh);
    const second = await until(() => Promise.resolve(vscode.workspace.fs.stat(uri)), (s) => s.mtime !== first.mtime);
    assert.ok(second.mtime > first.mtime, `${second.mtime} > ${first.mtime}`);
    assert.deepEqual(JSON.parse(await until(() => doc.getText(), (t) => t.includes('refreshed'))), { refreshed: true }, 'the open editor reloaded');
  });
});

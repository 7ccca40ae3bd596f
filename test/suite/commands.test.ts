// The core flow in the real extension host: open a step's trace by command, against the fake server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fakeServerSuite, fixtureStep, openTraceDocuments, until } from './helpers';
import { recordMessages } from './stubs';

suite('Open Step Trace', () => {
  const server = fakeServerSuite();

  test('the commands are registered', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ['letta.openStepTrace', 'letta.setApiKey', 'letta.signOut', 'letta.saveTraceAs', 'letta.openTraceFile', 'letta.openRequestJson', 'letta.openResponseJson', 'letta.compareWith', 'letta.changeServer']) {
      assert.ok(all.includes(id), id);
    }
  });

  test('opens the request and response as JSON documents, side by side, with the trace from the server', async () => {
    const id = fixtureStep(server.fake, /claude/);
    await vscode.commands.executeCommand('letta.openStepTrace', id);
    const docs = await until(openTraceDocuments, (d) => d.has(`/${id}/response.json`));
    const request = JSON.parse(docs.get(`/${id}/request.json`) ?? 'null') as Record<string, unknown>;
    assert.deepEqual(request, server.fake.traces.get(id)?.request_json);
    const response = JSON.parse(docs.get(`/${id}/response.json`) ?? 'null') as Record<string, unknown>;
    assert.deepEqual(response, server.fake.traces.get(id)?.response_json);
    assert.match(docs.get(`/${id}/request.json`) ?? '', /^\{\n {2}"/, 'pretty-printed');
    const columns = vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme === 'letta-trace').map((e) => e.viewColumn);
    assert.equal(new Set(columns).size, 2, 'request and response in two columns');
    assert.equal(vscode.window.visibleTextEditors.find((e) => e.document.uri.path.endsWith('request.json'))?.document.languageId, 'json');
  });

  test('a rate-limited load says in its progress notification that it waits, and for how long', async () => {
    const window = vscode.window as unknown as Record<string, unknown>;
    const original = window.withProgress as typeof vscode.window.withProgress;
    const reported: string[] = [];
    window.withProgress = ((options: vscode.ProgressOptions, task: (p: vscode.Progress<{ message?: string }>, t: vscode.CancellationToken) => Thenable<unknown>) =>
      original(options, (progress, token) =>
        task({ report: (value) => (value.message && reported.push(value.message), progress.report(value)) }, token),
      ));
    try {
      server.fake.setFaults([{ route: 'trace', status: 429, headers: { 'retry-after-ms': '300' }, times: 1 }]);
      const id = fixtureStep(server.fake, /gpt-5/);
      await vscode.commands.executeCommand('letta.openStepTrace', id);
      assert.ok(server.ext.store.peek(id), 'loaded after the wait');
      assert.ok(reported.some((m) => /limiting requests: waiting/.test(m)), JSON.stringify(reported));
    } finally {
      window.withProgress = original;
    }
  });

  test('opening the same step again makes no new request (traces are cached)', async () => {
    const id = fixtureStep(server.fake, /gemini/);
    await vscode.commands.executeCommand('letta.openStepTrace', id);
    const first = server.fake.requests.filter((r) => r.path.endsWith('/trace')).length;
    assert.equal(first, 1);
    await vscode.commands.executeCommand('letta.openStepTrace', id);
    await vscode.commands.executeCommand('letta.openRequestJson', { stepId: id });
    assert.equal(server.fake.requests.filter((r) => r.path.endsWith('/trace')).length, 1);
    assert.ok(server.ext.store.peek(id));
  });

  test('the metadata document holds every field but request and response', async () => {
    const id = fixtureStep(server.fake, /gpt-5/);
    await vscode.commands.executeCommand('letta.openMetadataJson', id);
    const docs = await until(openTraceDocuments, (d) => d.has(`/${id}/metadata.json`));
    const meta = JSON.parse(docs.get(`/${id}/metadata.json`) ?? '{}') as Record<string, unknown>;
    assert.equal(meta.step_id, id);
    assert.ok(!('request_json' in meta) && !('response_json' in meta));
  });

  test('trace documents are read-only: typing into the editor changes nothing', async () => {
    const id = fixtureStep(server.fake, /claude/);
    await vscode.commands.executeCommand('letta.openRequestJson', id);
    const editor = await until(
      () => vscode.window.activeTextEditor,
      (e) => e?.document.uri.path === `/${id}/request.json`,
    );
    assert.ok(editor);
    const before = editor.document.getText();
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await vscode.commands.executeCommand('type', { text: 'tampered' });
    await vscode.commands.executeCommand('deleteLeft');
    assert.equal(editor.document.getText(), before);
    assert.equal(editor.document.isDirty, false);
    const stat = await vscode.workspace.fs.stat(editor.document.uri);
    assert.equal(stat.permissions, vscode.FilePermission.Readonly);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(editor.document.uri, Buffer.from('{}'))));
  });

  test('a step with no trace (null with 200) says so and caches nothing', async () => {
    const rec = recordMessages();
    try {
      const id = 'step-0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a';
      await vscode.commands.executeCommand('letta.openStepTrace', id);
      const msg = await until(() => rec.shown, (s) => s.length > 0);
      assert.match(msg[0].message, /No trace was recorded/);
      assert.match(msg[0].message, /tracing is off/);
      assert.deepEqual(msg[0].buttons, ['Retry', 'Show Log']);
      assert.equal(server.ext.store.peek(id), undefined);
    } finally {
      rec.restore();
    }
  });

  test('server errors are retried, then reported with the server detail; nothing is cached', async () => {
    const rec = recordMessages();
    try {
      const id = fixtureStep(server.fake, /gpt-4.1-mini/);
      server.fake.setFaults([{ route: 'trace', status: 503, body: { detail: 'upstream overloaded' } }]);
      await vscode.commands.executeCommand('letta.openStepTrace', id);
      const msg = await until(() => rec.shown, (s) => s.length > 0, 20_000);
      assert.match(msg[0].message, /HTTP 503: upstream overloaded/);
      assert.ok(server.fake.requests.filter((r) => r.path.endsWith('/trace')).length >= 2, 'retried');
      assert.equal(server.ext.store.peek(id), undefined);
      server.fake.reset();
      await vscode.commands.executeCommand('letta.openStepTrace', id);
      assert.ok(server.ext.store.peek(id), 'works again once the server recovers');
    } finally {
      rec.restore();
    }
  });

  test('an HTML page with status 200 is reported as such', async () => {
    const rec = recordMessages();
    try {
      server.fake.setFaults([{ route: 'trace', kind: 'html' }]);
      await vscode.commands.executeCommand('letta.openStepTrace', fixtureStep(server.fake, /gemini/).replace(/.$/, '0'));
      const msg = await until(() => rec.shown, (s) => s.length > 0);
      assert.match(msg[0].message, /HTML page/);
    } finally {
      rec.restore();
    }
  });

  test('save and reopen a trace file: the file has the whole trace and no key', async () => {
    const id = fixtureStep(server.fake, /claude/);
    const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'letta-save-')), `${id}.json`);
    const window = vscode.window as unknown as Record<string, unknown>;
    const originalSave = window.showSaveDialog;
    let offered: vscode.Uri | undefined;
    window.showSaveDialog = (options: vscode.SaveDialogOptions) => ((offered = options.defaultUri), Promise.resolve(vscode.Uri.file(target)));
    try {
      await vscode.commands.executeCommand('letta.saveTraceAs', id);
    } finally {
      window.showSaveDialog = originalSave;
    }
    assert.equal(offered && path.basename(offered.fsPath), `${id}.letta-trace.json`, 'Save As offers the ending that opens in the viewer');
    const text = await until(() => (fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : ''), (t) => t.length > 0);
    const saved = JSON.parse(text) as { format: string; stepId: string; trace: { request_json: unknown } };
    assert.equal(saved.format, 'letta-step-trace');
    assert.equal(saved.stepId, id);
    assert.deepEqual(saved.trace.request_json, server.fake.traces.get(id)?.request_json);
    assert.ok(!text.includes('fake-key'), 'no key in the saved file');

    // Opened offline: the server is not asked again.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    server.fake.reset();
    await vscode.commands.executeCommand('letta.openTraceFile', vscode.Uri.file(target));
    const docs = await until(() => openTraceDocuments('file'), (d) => d.has(`/${id}/request.json`));
    assert.deepEqual(JSON.parse(docs.get(`/${id}/request.json`) ?? 'null'), server.fake.traces.get(id)?.request_json);
    assert.equal(server.fake.requests.length, 0);
    assert.deepEqual(server.ext.store.peek(id, { kind: 'file', path: target })?.source, { kind: 'file', path: target });
  });

  test('cancelling the progress notification aborts the HTTP request; nothing is shown or cached', async () => {
    const rec = recordMessages();
    const window = vscode.window as unknown as Record<string, unknown>;
    const originalProgress = window.withProgress;
    const titles: string[] = [];
    // The "user" presses Cancel on the notification once the request is under way.
    window.withProgress = (options: vscode.ProgressOptions, task: (p: vscode.Progress<unknown>, t: vscode.CancellationToken) => Thenable<unknown>) => {
      titles.push(`${options.title} ${String(options.cancellable)}`);
      const cancel = new vscode.CancellationTokenSource();
      void until(() => server.fake.requests.some((r) => r.path.endsWith('/trace')), Boolean).then(() => cancel.cancel());
      return task({ report: () => undefined }, cancel.token);
    };
    try {
      // A generated step: no earlier test of this suite loaded it (and the suite started from a reset).
      const id = [...server.fake.traces.keys()].at(-1);
      assert.ok(id && !server.ext.store.peek(id), 'a step not loaded yet');
      server.fake.setFaults([{ route: 'trace', delayMs: 15_000 }]);
      const started = Date.now();
      await vscode.commands.executeCommand('letta.openStepTrace', id);
      assert.ok(Date.now() - started < 10_000, 'returns at once, without waiting for the server');
      const request = server.fake.requests.find((r) => r.path.endsWith('/trace'));
      assert.ok(request);
      assert.equal(await request.settled, 'aborted', 'the connection was closed');
      assert.match(titles[0] ?? '', /loading trace .* true$/);
      assert.equal(server.ext.store.peek(id), undefined);
      assert.deepEqual(rec.shown, []);
    } finally {
      window.withProgress = originalProgress;
      rec.restore();
    }
  });

  test('Compare with… diffs the request documents of two steps, offering the cached ones', async () => {
    const [a, b] = [fixtureStep(server.fake, /claude/), fixtureStep(server.fake, /gemini/)];
    await vscode.commands.executeCommand('letta.openStepTrace', b);
    const window = vscode.window as unknown as Record<string, unknown>;
    const originalPick = window.showQuickPick;
    let offered: string[] = [];
    window.showQuickPick = (items: (vscode.QuickPickItem & { stepId?: string; source?: { kind: string }; parts?: string[] })[]) => {
      if (items.some((i) => i.parts)) {
        return Promise.resolve(items.find((i) => i.parts?.join() === 'request')); // what to compare: the requests
      }
      offered = items.flatMap((i) => (i.stepId ? [`${i.stepId} ${i.source?.kind}`] : []));
      return Promise.resolve(items.find((i) => i.stepId === b && i.source?.kind === 'server'));
    };
    const origin = `origin=${server.fake.url}`;
    try {
      await vscode.commands.executeCommand('letta.compareWith', { stepId: a });
    } finally {
      window.showQuickPick = originalPick;
    }
    // The other cached traces: not the first step's own server trace (its saved file would be another trace).
    assert.ok(offered.includes(`${b} server`) && !offered.includes(`${a} server`), `the other cached traces are offered: ${offered.join(', ')}`);
    const tab = await until(
      () => vscode.window.tabGroups.activeTabGroup.activeTab,
      (t) => t?.input instanceof vscode.TabInputTextDiff,
    );
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff);
    assert.deepEqual([tab.input.original.scheme, tab.input.original.path, tab.input.original.query], ['letta-trace', `/${a}/request.json`, origin]);
    assert.deepEqual([tab.input.modified.scheme, tab.input.modified.path, tab.input.modified.query], ['letta-trace', `/${b}/request.json`, origin]);
  });

  test('a malformed trace file gets a clear message', async () => {
    const rec = recordMessages();
    try {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'letta-bad-')), 'bad.json');
      fs.writeFileSync(file, '{"request_json": 1}');
      await vscode.commands.executeCommand('letta.openTraceFile', vscode.Uri.file(file));
      const msg = await until(() => rec.shown, (s) => s.length > 0);
      assert.match(msg[0].message, /is not a Letta trace: .*request_json/);
    } finally {
      rec.restore();
    }
  });
});

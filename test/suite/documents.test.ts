// The read-only `letta-trace:` documents in the real extension host: content, JSON mode, read-only,
// hostile sizes and shapes, and readable text instead of errors.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LoadedTrace } from '../../src/core/lettaTypes';
import { buildDeepJson } from '../fixtures/builders';
import { fakeServerSuite, fixtureStep, openTraceDocuments, until } from './helpers';
import { recordMessages } from './stubs';

const uriOf = (stepId: string, part: string) => vscode.Uri.from({ scheme: 'letta-trace', path: `/${stepId}/${part}.json` });

suite('Trace documents', () => {
  const server = fakeServerSuite();
  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('request, response and metadata are the trace as 2-space JSON, in JSON mode', async () => {
    const id = fixtureStep(server.fake, /gpt-5/);
    await vscode.commands.executeCommand('letta.openTraceDocuments', { stepId: id });
    const trace = server.fake.traces.get(id);
    assert.ok(trace);
    for (const [part, value] of [
      ['request', trace.request_json],
      ['response', trace.response_json],
    ] as const) {
      const doc = await vscode.workspace.openTextDocument(uriOf(id, part));
      assert.equal(doc.getText(), JSON.stringify(value, null, 2));
      assert.equal(doc.languageId, 'json');
    }
    const meta = await vscode.workspace.openTextDocument(uriOf(id, 'metadata'));
    const rest = Object.fromEntries(Object.entries(trace).filter(([key]) => key !== 'request_json' && key !== 'response_json'));
    assert.equal(meta.getText(), JSON.stringify(rest, null, 2));
    assert.equal(server.fake.requests.filter((r) => r.path.endsWith('/trace')).length, 1, 'three documents, one request');
  });

  test('an edit through WorkspaceEdit does not change a trace document, and writes are refused', async () => {
    const id = fixtureStep(server.fake, /claude/);
    await vscode.commands.executeCommand('letta.openRequestJson', id);
    // The document the command opened (it names its server: letta-trace:/…/request.json?origin=…).
    const editor = await until(() => vscode.window.activeTextEditor, (e) => e?.document.uri.path === `/${id}/request.json`);
    assert.ok(editor);
    const doc = editor.document;
    assert.equal(doc.uri.query, `origin=${server.fake.url}`);
    const before = doc.getText();
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), '{"tampered": true}\n');
    edit.replace(doc.uri, new vscode.Range(1, 0, 2, 0), '');
    const applied = await vscode.workspace.applyEdit(edit);
    // VS Code applies a WorkspaceEdit even to a read-only file system's document; the extension puts the trace back.
    await until(() => doc.getText() === before && !doc.isDirty, Boolean);
    assert.equal(doc.getText(), before, `the text is the trace again (applyEdit answered ${applied})`);
    assert.equal(doc.isDirty, false);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(doc.uri, Buffer.from('{}'))));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.delete(doc.uri)));
    assert.equal((await vscode.workspace.fs.stat(doc.uri)).permissions, vscode.FilePermission.Readonly);
  });

  test('10,000 levels of nesting and a 5 MB string open whole, without a stack overflow', async () => {
    const id = 'step-d33d0000-0000-4000-8000-00000000dee9';
    const deep = buildDeepJson(10_000);
    const big = 'x'.repeat(5 * 1024 * 1024);
    const loaded: LoadedTrace = {
      stepId: id,
      trace: { step_id: id, request_json: { deep }, response_json: { big } },
      source: { kind: 'file', path: '/tmp/deep.json' },
      loadedAt: Date.now(),
    };
    server.ext.store.put(loaded);
    // The trace itself as the argument (as the viewer passes it): its documents are the file's.
    await vscode.commands.executeCommand('letta.openTraceDocuments', loaded);
    const docs = await until(() => openTraceDocuments('file'), (d) => d.has(`/${id}/response.json`), 20_000);
    const request = docs.get(`/${id}/request.json`) ?? '';
    // All of the data, as valid JSON, and no 200 MB of indentation.
    assert.ok(request.length < 500_000, `${request.length} characters`);
    let node = (JSON.parse(request) as { deep: unknown }).deep;
    for (let depth = 0; depth < 10_000; depth++) {
      node = Array.isArray(node) ? node[0] : (node as { next: unknown }).next;
    }
    assert.equal(node, 'leaf');
    assert.equal((docs.get(`/${id}/response.json`) ?? '').length, big.length + '{\n  "big": ""\n}'.length);
    assert.equal(server.fake.requests.length, 0, 'served from the store, no request');
  });

  test('a path that is not a trace document reads as text saying so, not as an error', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'letta-trace', path: '/not-a-step/request.json' }));
    assert.match(doc.getText(), /^\/\/ Not a Letta trace document/);
    assert.equal(server.fake.requests.length, 0);
  });

  test('a step without a trace reads as text with the next step, after one load; nothing is cached', async () => {
    const rec = recordMessages();
    try {
      const id = 'step-0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b';
      const doc = await vscode.workspace.openTextDocument(uriOf(id, 'response'));
      assert.match(doc.getText(), /could not be loaded.*Open Step Trace/);
      const shown = await until(() => rec.shown, (s) => s.length > 0);
      assert.match(shown[0].message, /No trace was recorded/);
      assert.equal(server.ext.store.peek(id), undefined);
      const requests = server.fake.requests.filter((r) => r.path.endsWith('/trace')).length;
      assert.ok(requests >= 1 && requests <= 2, `one load (with its one retry for a fresh step), not one per stat/read: ${requests}`);
    } finally {
      rec.restore();
    }
  });
});

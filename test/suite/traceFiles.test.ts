// Saved traces in the real extension host: a *.letta-trace.json opens in the viewer (a custom editor)
// and reopens as text and back; Compare offers request, response or both, and compares two files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LoadedTrace, ProviderTrace } from '../../src/core/lettaTypes';
import { serializeTraceFile } from '../../src/core/traceFile';
import { fakeServerSuite, fixtureStep, until } from './helpers';

const VIEW_TYPE = 'letta.traceFile';
const readText = async (uri: vscode.Uri) => Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
const activeTab = () => vscode.window.tabGroups.activeTabGroup.activeTab;
const isTraceFileEditor = (tab: vscode.Tab | undefined, file: string) =>
  tab?.input instanceof vscode.TabInputCustom && tab.input.viewType.endsWith(VIEW_TYPE) && tab.input.uri.fsPath === file;

/** Writes `trace` as a saved trace file named `name` in a new folder; its path. */
function saveTrace(stepId: string, trace: ProviderTrace, name = `${stepId}.letta-trace.json`): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'letta-file-')), name);
  const loaded: LoadedTrace = { stepId, trace, source: { kind: 'file', path: file }, loadedAt: 1 };
  fs.writeFileSync(file, serializeTraceFile(loaded));
  return file;
}

type PickItem = vscode.QuickPickItem & { stepId?: string; source?: { kind: string }; parts?: string[] };

/** Answers Compare's quick picks: the other step by `other`, the parts by their list (`request`, `response`, `request,response`). */
async function withPicks(answer: { other?: (i: PickItem) => boolean; parts: string }, run: () => Thenable<unknown>): Promise<string[]> {
  const window = vscode.window as unknown as Record<string, unknown>;
  const original = window.showQuickPick;
  const asked: string[] = [];
  window.showQuickPick = (items: PickItem[]) => {
    if (items.some((i) => i.parts)) {
      asked.push('parts');
      return Promise.resolve(items.find((i) => i.parts?.join() === answer.parts));
    }
    asked.push('step');
    return Promise.resolve(answer.other ? items.find(answer.other) : undefined);
  };
  try {
    await run();
  } finally {
    window.showQuickPick = original;
  }
  return asked;
}

/** The diff tabs open now, as [original path?query, modified path?query]. */
function diffTabs(): [string, string][] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .flatMap((t) => (t.input instanceof vscode.TabInputTextDiff ? [[`${t.input.original.path}?${t.input.original.query}`, `${t.input.modified.path}?${t.input.modified.query}`] as [string, string]] : []));
}

const fileQuery = (file: string) => `file=${Buffer.from(file, 'utf8').toString('base64url')}`;

suite('Saved traces: the trace-file editor and Compare', function () {
  // The custom editor's webview loads in the workbench's browser: its `ready` can take seconds on a busy machine.
  this.timeout(90_000);
  const server = fakeServerSuite();
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a *.letta-trace.json opens in the viewer, offline; Reopen with Text Editor shows its JSON; and back', async () => {
    const id = fixtureStep(server.fake, /claude/);
    const live = server.fake.traces.get(id);
    assert.ok(live);
    const file = saveTrace(id, live);
    const uri = vscode.Uri.file(file);

    await vscode.commands.executeCommand('vscode.open', uri);
    const tab = await until(activeTab, (t) => isTraceFileEditor(t, file));
    assert.ok(isTraceFileEditor(tab, file), `the viewer is the file's default editor: ${JSON.stringify(tab?.input)}`);
    assert.equal(tab?.label, path.basename(file), 'the tab is named by its file');
    const editor = await until(
      () => server.ext.traceFileEditors.open().find((e) => e.uri.fsPath === file),
      (e) => e?.ready === true && e.stepId !== undefined,
      60_000,
    );
    assert.ok(editor?.ready, 'the viewer webview loaded');
    assert.equal(editor.stepId, id);
    assert.deepEqual(editor.source, { kind: 'file', path: file }, 'the trace keeps its file as its source');
    assert.equal(server.fake.requests.filter((r) => r.path.endsWith('/trace')).length, 0, 'read from the file, not fetched');
    assert.deepEqual(server.ext.store.peek(id, { kind: 'file', path: file })?.trace.request_json, live.request_json);
    assert.equal(server.ext.store.peek(id), undefined, 'the file does not stand in for the server trace');

    await vscode.commands.executeCommand('workbench.action.reopenTextEditor');
    const text = await until(activeTab, (t) => t?.input instanceof vscode.TabInputText && t.input.uri.fsPath === file);
    assert.ok(text?.input instanceof vscode.TabInputText, `reopened as text: ${JSON.stringify(text?.input)}`);
    const document = vscode.window.activeTextEditor?.document;
    assert.equal(document?.uri.fsPath, file);
    assert.equal((JSON.parse(document.getText()) as { stepId?: string }).stepId, id, 'the text editor shows the file itself');
    await until(() => server.ext.traceFileEditors.open().length, (n) => n === 0);

    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    assert.ok(isTraceFileEditor(await until(activeTab, (t) => isTraceFileEditor(t, file)), file), 'back in the viewer');
    const again = await until(
      () => server.ext.traceFileEditors.open().find((e) => e.uri.fsPath === file),
      (e) => e?.ready === true && e.stepId === id,
      60_000,
    );
    assert.equal(again?.stepId, id);
  });

  test('a plain .json file keeps the text editor; a *.letta-trace.json that is no trace says why in its editor', async () => {
    const id = fixtureStep(server.fake, /gemini/);
    const live = server.fake.traces.get(id);
    assert.ok(live);
    const plain = saveTrace(id, live, `${id}.json`);
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(plain));
    const tab = await until(activeTab, (t) => t?.input instanceof vscode.TabInputText);
    assert.ok(tab?.input instanceof vscode.TabInputText && tab.input.uri.fsPath === plain, 'a .json opens as text');

    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'letta-file-')), 'notes.letta-trace.json');
    fs.writeFileSync(bad, '{"request_json": "<img src=x onerror=alert(1)>"}');
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(bad));
    const editor = await until(
      () => server.ext.traceFileEditors.open().find((e) => e.uri.fsPath === bad),
      (e) => e?.error !== undefined && e.ready,
      60_000,
    );
    assert.match(editor?.error ?? '', /is not a Letta trace: .*request_json/);
    assert.equal(editor?.stepId, undefined);
  });

  test('Compare with… the responses: the diff editor\'s two sides are the two responses', async () => {
    const [a, b] = [fixtureStep(server.fake, /claude/), fixtureStep(server.fake, /gemini/)];
    await vscode.commands.executeCommand('letta.openStepTrace', b);
    const asked = await withPicks({ other: (i) => i.stepId === b, parts: 'response' }, () => vscode.commands.executeCommand('letta.compareWith', a));
    assert.deepEqual(asked, ['step', 'parts'], 'the other step, then what to compare');
    const tab = await until(activeTab, (t) => t?.input instanceof vscode.TabInputTextDiff);
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff);
    assert.equal(tab.input.original.path, `/${a}/response.json`);
    assert.equal(tab.input.modified.path, `/${b}/response.json`);
    assert.deepEqual(JSON.parse(await readText(tab.input.original)), server.fake.traces.get(a)?.response_json);
    assert.deepEqual(JSON.parse(await readText(tab.input.modified)), server.fake.traces.get(b)?.response_json);
    assert.equal(diffTabs().length, 1, 'one diff for one part');
  });

  test('Compare Trace Files: two saved files of one step, from the explorer selection, request and response', async () => {
    const id = fixtureStep(server.fake, /gpt-5/);
    const live = server.fake.traces.get(id);
    assert.ok(live);
    // The same step saved twice, the second time with another answer: two traces, neither the server's.
    const before = saveTrace(id, live);
    const after = saveTrace(id, { ...structuredClone(live), response_json: { ...live.response_json, id: 'answer-after-the-change' } });
    await withPicks({ parts: 'request,response' }, () =>
      vscode.commands.executeCommand('letta.compareTraceFiles', vscode.Uri.file(before), [vscode.Uri.file(before), vscode.Uri.file(after)]),
    );
    const tabs = await until(diffTabs, (t) => t.length === 2);
    assert.deepEqual(tabs, [
      [`/${id}/request.json?${fileQuery(before)}`, `/${id}/request.json?${fileQuery(after)}`],
      [`/${id}/response.json?${fileQuery(before)}`, `/${id}/response.json?${fileQuery(after)}`],
    ]);
    const active = activeTab();
    assert.ok(active?.input instanceof vscode.TabInputTextDiff && active.input.original.path.endsWith('/response.json'), 'the response diff in front');
    const [left, right] = await Promise.all([readText(active.input.original), readText(active.input.modified)]);
    assert.ok(!left.includes('answer-after-the-change') && right.includes('answer-after-the-change'), 'each side is its own file');
    assert.equal(server.fake.requests.filter((r) => r.path.endsWith('/trace')).length, 0, 'no server asked');
  });

  test('Compare Trace Files from the palette asks for the files; a file that is no trace says why and opens nothing', async () => {
    const id = fixtureStep(server.fake, /claude/);
    const live = server.fake.traces.get(id);
    assert.ok(live);
    const good = saveTrace(id, live);
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'letta-file-')), 'bad.json');
    fs.writeFileSync(bad, '[1, 2]');
    const window = vscode.window as unknown as Record<string, unknown>;
    const originalOpen = window.showOpenDialog;
    const originalError = window.showErrorMessage;
    const errors: string[] = [];
    let picks = [vscode.Uri.file(good), vscode.Uri.file(bad)];
    window.showOpenDialog = () => Promise.resolve(picks);
    window.showErrorMessage = (message: string) => (errors.push(message), Promise.resolve(undefined));
    try {
      await withPicks({ parts: 'response' }, () => vscode.commands.executeCommand('letta.compareTraceFiles'));
      assert.equal(errors.length, 1);
      assert.match(errors[0], /bad\.json is not a Letta trace/);
      assert.equal(diffTabs().length, 0);
      const other = saveTrace(id, live, 'copy.letta-trace.json');
      picks = [vscode.Uri.file(good), vscode.Uri.file(other)];
      await withPicks({ parts: 'response' }, () => vscode.commands.executeCommand('letta.compareTraceFiles'));
    } finally {
      window.showOpenDialog = originalOpen;
      window.showErrorMessage = originalError;
    }
    const tabs = await until(diffTabs, (t) => t.length === 1);
    assert.equal(tabs[0][0], `/${id}/response.json?${fileQuery(good)}`);
    assert.match(activeTab()?.label ?? '', /copy\.letta-trace\.json/, 'the title names the files');
  });
});

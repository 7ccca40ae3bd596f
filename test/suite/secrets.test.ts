// No secret anywhere but SecretStorage: after a full flow, the key is in no log, no state, no saved
// file and no message.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { stopFakeServer, until, useFakeServer } from './helpers';
import { recordMessages } from './stubs';

const KEY = 'sk-let-SECRET-7f3a9c1e5b';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

suite('Secrets', () => {
  test('after set key, open, errors and save, the key is only in SecretStorage', async () => {
    const { fake, ext } = await useFakeServer({ apiKey: KEY, storeKey: KEY });
    // Every log at its most verbose level for this flow, so a key logged at debug or trace is caught.
    await vscode.commands.executeCommand('_extensionTests.setLogLevel', 'trace');
    await until(() => ext.log.logLevel, (level) => level === vscode.LogLevel.Trace);
    const rec = recordMessages();
    const saved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'letta-secret-')), 'trace.json');
    const window = vscode.window as unknown as Record<string, unknown>;
    const originalSave = window.showSaveDialog;
    try {
      const id = [...fake.traces.keys()].at(-1) ?? '';
      await vscode.commands.executeCommand('letta.openStepTrace', id);
      assert.ok(ext.store.peek(id), 'the flow worked with the key');
      assert.equal(fake.requests.at(-1)?.headers.authorization, `Bearer ${KEY}`);

      // Errors of every kind the key could leak into.
      fake.setFaults([{ route: 'trace', status: 500, body: { detail: 'boom' } }]);
      await vscode.commands.executeCommand('letta.openStepTrace', [...fake.traces.keys()].at(-2));
      fake.reset();
      fake.apiKey = 'another-key';
      await vscode.commands.executeCommand('letta.openStepTrace', [...fake.traces.keys()].at(-3));
      fake.apiKey = KEY;
      await until(() => rec.shown, (s) => s.length >= 2, 20_000);

      window.showSaveDialog = () => Promise.resolve(vscode.Uri.file(saved));
      await vscode.commands.executeCommand('letta.saveTraceAs', id);
      await until(() => fs.existsSync(saved), Boolean);

      assert.ok(rec.shown.length >= 2);
      for (const m of rec.shown) {
        assert.ok(!m.message.includes(KEY), `message: ${m.message}`);
      }
      assert.ok(!fs.readFileSync(saved, 'utf8').includes(KEY), 'saved file');
      for (const state of [ext.storage.globalState, ext.storage.workspaceState]) {
        for (const k of state.keys()) {
          assert.ok(!JSON.stringify(state.get(k) ?? null).includes(KEY), `state ${k}`);
        }
      }
      const settings = JSON.stringify(vscode.workspace.getConfiguration('letta'));
      assert.ok(!settings.includes(KEY), 'settings');
      // Every log file of this window (ours, the extension host's), written at the most verbose level.
      assert.equal(ext.log.logLevel, vscode.LogLevel.Trace, 'our log writes trace lines');
      const logsRoot = path.dirname(path.dirname(ext.storage.logUri.fsPath));
      const ours = await until(
        () => filesUnder(logsRoot).filter((f) => f.endsWith('.log') && f.includes('Letta')),
        (files) => files.some((f) => /\[trace\]/.test(fs.readFileSync(f, 'utf8'))),
      );
      assert.ok(ours.some((f) => /\[trace\]/.test(fs.readFileSync(f, 'utf8'))), `trace lines in our log: ${ours.join(', ')}`);
      const logs = filesUnder(logsRoot).filter((f) => f.endsWith('.log'));
      for (const file of logs) {
        assert.ok(!fs.readFileSync(file, 'utf8').includes(KEY), `log ${file}`);
      }
    } finally {
      await vscode.commands.executeCommand('_extensionTests.setLogLevel', 'info');
      window.showSaveDialog = originalSave;
      rec.restore();
      await stopFakeServer(fake, ext);
    }
  });
});

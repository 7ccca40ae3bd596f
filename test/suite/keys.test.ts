// API keys in the real extension host: per server origin, never sent elsewhere, forgotten on sign out.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startFakeLetta } from '../fakeLetta/server';
import { fixtureStep, stopFakeServer, until, useFakeServer } from './helpers';
import { recordMessages } from './stubs';

suite('API keys', () => {
  test('a rejected key shows "the server rejected the key" with Set API Key, and caches nothing', async () => {
    const { fake, ext } = await useFakeServer({ storeKey: 'wrong-key' });
    const rec = recordMessages();
    try {
      const id = fixtureStep(fake, /gpt-4.1-mini/);
      await vscode.commands.executeCommand('letta.openStepTrace', id);
      const msg = await until(() => rec.shown, (s) => s.length > 0);
      assert.match(msg[0].message, /rejected the API key/);
      assert.deepEqual(msg[0].buttons, ['Set API Key', 'Show Log']);
      assert.equal(ext.store.peek(id), undefined);
      assert.equal(fake.requests.at(-1)?.headers.authorization, 'Bearer wrong-key');
    } finally {
      rec.restore();
      await stopFakeServer(fake, ext);
    }
  });

  test('keys are kept per origin: the key of one server is never sent to another', async () => {
    const { fake, ext } = await useFakeServer();
    const other = await startFakeLetta({ apiKey: null });
    try {
      await vscode.commands.executeCommand('letta.openStepTrace', fixtureStep(fake, /gemini/));
      assert.equal(fake.requests.at(-1)?.headers.authorization, 'Bearer fake-key');
      // Another server with no key stored, marked as needing none: no Authorization header at all.
      await vscode.workspace.getConfiguration('letta').update('baseUrl', other.url, vscode.ConfigurationTarget.Global);
      await ext.keys.setNoKey(other.url, true);
      await vscode.commands.executeCommand('letta.openStepTrace', fixtureStep(other, /gpt-5/));
      assert.ok(other.requests.length > 0);
      assert.ok(other.requests.every((r) => r.headers.authorization === undefined), 'no key went to the other server');
    } finally {
      await ext.keys.setNoKey(other.url, false);
      await other.close();
      await stopFakeServer(fake, ext);
    }
  });

  test("a repository's .vscode/settings.json naming another server is ignored: the key stays with the user's server", async () => {
    const { fake, ext } = await useFakeServer();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the test host has a workspace folder');
    const dir = vscode.Uri.joinPath(folder, '.vscode');
    const file = vscode.Uri.joinPath(dir, 'settings.json');
    const evil = await startFakeLetta({ apiKey: null });
    const config = () => vscode.workspace.getConfiguration('letta');
    try {
      // As a cloned repository would ship it; letta.recentLimit (window-scoped) shows when VS Code has read the file.
      await vscode.workspace.fs.createDirectory(dir);
      await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify({ 'letta.baseUrl': evil.url, 'letta.project': 'evil-project', 'letta.recentLimit': 7 })));
      assert.equal(await until(() => config().get('recentLimit'), (v) => v === 7, 20_000), 7, 'VS Code read the workspace settings');
      assert.equal(ext.api.origin, fake.url);
      const id = fixtureStep(fake, /claude/);
      await vscode.commands.executeCommand('letta.openStepTrace', id);
      assert.ok(ext.store.peek(id), "loaded from the user's server");
      assert.equal(fake.requests.at(-1)?.headers.authorization, 'Bearer fake-key');
      assert.equal(fake.requests.at(-1)?.headers['x-project'], undefined, 'nor the project');
      assert.deepEqual(evil.requests, [], "nothing went to the workspace's server");
    } finally {
      await vscode.workspace.fs.delete(dir, { recursive: true });
      await until(() => config().get('recentLimit'), (v) => v !== 7, 20_000);
      await evil.close();
      await stopFakeServer(fake, ext);
    }
  });

  test('Sign Out forgets the key of the current server', async () => {
    const { fake, ext } = await useFakeServer();
    const rec = recordMessages((m) => (m.buttons.includes('Forget Key') ? 'Forget Key' : undefined));
    try {
      assert.ok(await ext.keys.matches(fake.url, 'fake-key'));
      await vscode.commands.executeCommand('letta.signOut');
      assert.equal(await ext.keys.has(fake.url), false);
      assert.equal(await ext.api.getApi({ prompt: false }), undefined, 'no client without a key, and no prompt');
    } finally {
      rec.restore();
      await stopFakeServer(fake, ext);
    }
  });

  test('Set API Key asks in a password box titled with the server, and stores the key for that origin only', async () => {
    const { fake, ext } = await useFakeServer({ storeKey: null });
    const window = vscode.window as unknown as Record<string, unknown>;
    const originalCreate = window.createInputBox;
    const boxes: { box: vscode.InputBox; disposed: boolean }[] = [];
    window.createInputBox = () => {
      const box = (originalCreate as () => vscode.InputBox)();
      const entry = { box, disposed: false };
      const dispose = box.dispose.bind(box);
      box.dispose = () => {
        entry.disposed = true;
        dispose();
      };
      boxes.push(entry);
      return box;
    };
    const rec = recordMessages();
    try {
      const saved = vscode.commands.executeCommand<boolean>('letta.setApiKey');
      const [{ box }] = await until(() => boxes, (b) => b.length > 0);
      assert.ok(box.title?.includes(fake.url), `title names the server: ${box.title}`);
      assert.equal(box.password, true);
      assert.equal(box.ignoreFocusOut, true);
      // Typed by the "user", then Enter.
      box.value = 'sk-typed-1234';
      await until(() => box.value, (v) => v === 'sk-typed-1234');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      assert.equal(await saved, true);
      assert.ok(await ext.keys.matches(fake.url, 'sk-typed-1234'));
      // Checked against the server at once: the fake takes only its own key.
      assert.ok(rec.shown.some((m) => m.level === 'warning' && /refused it/.test(m.message)), JSON.stringify(rec.shown));
      assert.equal(await ext.keys.has('https://api.letta.com'), false);
      assert.ok(boxes[0].disposed, 'the box is disposed');
      const id = fixtureStep(fake, /claude/);
      await vscode.commands.executeCommand('letta.openStepTrace', id);
      const seen = JSON.stringify({ requests: fake.requests.map((r) => [r.path, r.headers.authorization]), shown: rec.shown });
      assert.equal(fake.requests.find((r) => r.path.endsWith('/trace'))?.headers.authorization, 'Bearer sk-typed-1234', seen);
    } finally {
      window.createInputBox = originalCreate;
      rec.restore();
      await stopFakeServer(fake, ext);
    }
  });

  test('plain http to another machine: the key is not sent before the user agrees, once per origin', async () => {
    const { fake, ext } = await useFakeServer();
    // Never resolves (.invalid): the test checks what happens before any request.
    const remote = 'http://letta-remote.invalid:8283';
    let answer: string | undefined;
    const rec = recordMessages((m) => (m.buttons.includes('Send Over HTTP') ? answer : undefined));
    try {
      await vscode.workspace.getConfiguration('letta').update('baseUrl', remote, vscode.ConfigurationTarget.Global);
      await ext.keys.set(remote, 'remote-key');
      assert.equal(await ext.api.getApi({ prompt: false }), undefined, 'never without consent, and no prompt when not asked to');
      assert.equal(rec.shown.length, 0);
      assert.equal(await ext.api.getApi({ prompt: true }), undefined, 'declined');
      assert.match(rec.shown[0]?.message ?? '', /plain http.*unencrypted/);
      answer = 'Send Over HTTP';
      const api = await ext.api.getApi({ prompt: true });
      assert.equal(api?.origin, remote);
      assert.equal(rec.shown.length, 2);
      await vscode.workspace.getConfiguration('letta').update('baseUrl', fake.url, vscode.ConfigurationTarget.Global);
      await vscode.workspace.getConfiguration('letta').update('baseUrl', remote, vscode.ConfigurationTarget.Global);
      assert.ok(await ext.api.getApi({ prompt: false }), 'remembered for this origin');
      assert.equal(rec.shown.length, 2, 'asked once');
      assert.ok(!JSON.stringify(ext.storage.globalState.keys().map((k) => ext.storage.globalState.get(k))).includes('remote-key'), 'the key is not in the state');
    } finally {
      rec.restore();
      await ext.keys.delete(remote);
      await ext.storage.globalState.update('letta.insecureOriginsAccepted', undefined);
      await stopFakeServer(fake, ext);
    }
  });

  test('Change Server validates the URL and confirms a move to another host before writing the user setting', async () => {
    const { fake, ext } = await useFakeServer();
    const other = await startFakeLetta();
    let answer: string | undefined;
    const rec = recordMessages((m) => (m.buttons.some((b) => b.startsWith('Use ')) ? answer : undefined));
    const baseUrl = () => vscode.workspace.getConfiguration('letta').inspect<string>('baseUrl')?.globalValue;
    try {
      assert.equal(await vscode.commands.executeCommand('letta.changeServer', 'ftp://example.com'), false);
      assert.match(rec.shown.at(-1)?.message ?? '', /https:\/\/ or http:\/\//);
      assert.equal(baseUrl(), fake.url);
      assert.equal(await vscode.commands.executeCommand('letta.changeServer', `${other.url}/v1/`), false, 'declined');
      assert.match(rec.shown.at(-1)?.message ?? '', new RegExp(`Read traces from ${other.url.replace(/[.]/g, '\\.')}`));
      assert.equal(baseUrl(), fake.url);
      answer = `Use ${other.url.replace('http://', '')}`;
      assert.equal(await vscode.commands.executeCommand('letta.changeServer', `${other.url}/v1/`), true);
      assert.equal(baseUrl(), other.url);
      assert.equal(ext.api.origin, other.url);
      assert.equal(await ext.keys.has(other.url), false, 'the key of the first server did not follow');
    } finally {
      rec.restore();
      await other.close();
      await stopFakeServer(fake, ext);
    }
  });

  test('a server that answers without a key is used without one: no prompt, and nothing secret is sent', async () => {
    const { fake, ext } = await useFakeServer({ apiKey: null, storeKey: null });
    const rec = recordMessages();
    try {
      assert.equal(ext.keys.isNoKey(fake.url), false);
      const id = fixtureStep(fake, /gpt-5/);
      await vscode.commands.executeCommand('letta.openStepTrace', id);
      assert.ok(ext.store.peek(id), 'loaded with no prompt');
      assert.equal(ext.keys.isNoKey(fake.url), true, 'remembered: this server needs no key');
      assert.ok(fake.requests.every((r) => r.headers.authorization === undefined));
      assert.deepEqual(rec.shown, []);
    } finally {
      rec.restore();
      await ext.keys.setNoKey(fake.url, false);
      await stopFakeServer(fake, ext);
    }
  });

  test('Set API Key says when the server accepted the key', async () => {
    const { fake, ext } = await useFakeServer({ storeKey: null });
    const rec = recordMessages();
    const window = vscode.window as unknown as Record<string, unknown>;
    const originalCreate = window.createInputBox;
    window.createInputBox = () => {
      const box = (originalCreate as () => vscode.InputBox)();
      setTimeout(() => {
        box.value = 'fake-key';
        void vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      }, 300);
      return box;
    };
    try {
      assert.equal(await vscode.commands.executeCommand<boolean>('letta.setApiKey'), true);
      assert.ok(rec.shown.some((m) => m.level === 'information' && /accepted it/.test(m.message)), JSON.stringify(rec.shown));
      assert.ok(fake.requests.some((r) => r.path.startsWith('/v1/agents') && r.headers.authorization === 'Bearer fake-key'), 'one authenticated call checked it');
    } finally {
      window.createInputBox = originalCreate;
      rec.restore();
      await stopFakeServer(fake, ext);
    }
  });

  test('a self-hosted server without a password works without a key', async () => {
    const { fake, ext } = await useFakeServer({ apiKey: null, storeKey: null });
    try {
      await ext.keys.setNoKey(fake.url, true);
      const id = fixtureStep(fake, /claude/);
      await vscode.commands.executeCommand('letta.openStepTrace', id);
      assert.ok(ext.store.peek(id));
      assert.equal(fake.requests.at(-1)?.headers.authorization, undefined);
    } finally {
      await ext.keys.setNoKey(fake.url, false);
      await stopFakeServer(fake, ext);
    }
  });
});

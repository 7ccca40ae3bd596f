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

  test('a workspace setting cannot redirect the server (and so the key)', async () => {
    const { fake, ext } = await useFakeServer();
    try {
      const inspected = vscode.workspace.getConfiguration('letta').inspect('baseUrl');
      assert.equal(inspected?.globalValue, fake.url);
      assert.equal(ext.api.origin, fake.url);
      // letta.baseUrl is application-scoped: writing it to the workspace is refused by VS Code.
      await assert.rejects(Promise.resolve(vscode.workspace.getConfiguration('letta').update('baseUrl', 'https://evil.example', vscode.ConfigurationTarget.Workspace)));
      assert.equal(ext.api.origin, fake.url);
    } finally {
      await stopFakeServer(fake, ext);
    }
  });

  test('Sign Out forgets the key of the current server', async () => {
    const { fake, ext } = await useFakeServer();
    const rec = recordMessages((m) => (m.buttons.includes('Forget Key') ? 'Forget Key' : undefined));
    try {
      assert.equal(await ext.keys.get(fake.url), 'fake-key');
      await vscode.commands.executeCommand('letta.signOut');
      assert.equal(await ext.keys.get(fake.url), undefined);
      assert.equal(await ext.api.getApi({ prompt: false }), undefined, 'no client without a key, and no prompt');
    } finally {
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

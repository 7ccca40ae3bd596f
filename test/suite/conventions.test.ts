// What a user of VS Code expects of an extension: a walkthrough, a status-bar item, localised texts,
// a keybinding, the explorer's menu item and a sample to try. Each is checked in the running workbench.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, fakeServerSuite, until } from './helpers';

interface Contributions {
  walkthroughs?: { id: string; steps: { id: string; title: string; description: string; completionEvents?: string[]; media?: { markdown?: string } }[] }[];
  keybindings?: { command: string; key: string; mac?: string }[];
  menus?: Record<string, { command: string; when?: string }[]>;
  commands: { command: string; title: string; category?: string }[];
  configuration: { properties: Record<string, { markdownDescription?: string; description?: string }> };
  views: Record<string, { name: string }[]>;
  viewsWelcome: { contents: string }[];
}

suite('VS Code conventions', () => {
  const server = fakeServerSuite();
  const extension = () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    return ext;
  };
  const contributes = () => (extension().packageJSON as { contributes: Contributions }).contributes;

  test('every contributed text comes from package.nls.json: none is left as a %key%', () => {
    const c = contributes();
    const texts = [
      ...c.commands.flatMap((x) => [x.title, x.category ?? '']),
      ...Object.values(c.configuration.properties).map((p) => p.markdownDescription ?? p.description ?? ''),
      ...Object.values(c.views).flat().map((v) => v.name),
      ...c.viewsWelcome.map((w) => w.contents),
      ...(c.walkthroughs ?? []).flatMap((w) => w.steps.flatMap((s) => [s.title, s.description])),
    ];
    assert.ok(texts.length > 60, `${texts.length} texts`);
    const unresolved = texts.filter((t) => /^%[\w.]+%$/.test(t) || t === '');
    assert.deepEqual(unresolved, []);
    assert.equal(c.commands.find((x) => x.command === 'letta.openStepTrace')?.title, 'Open Step Trace');
  });

  test('the l10n bundle is where package.json says, and holds the host texts', async () => {
    const pkg = extension().packageJSON as { l10n?: string };
    assert.equal(pkg.l10n, './l10n');
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension().extensionUri, 'l10n', 'bundle.l10n.json'));
    const bundle = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, string>;
    for (const text of ['Open Step Trace', 'Set API Key', 'No API key is set for this server.', 'Successful steps']) {
      assert.ok(text in bundle, text);
    }
  });

  test('the walkthrough has its four steps, each button runs a registered command, and it opens', async () => {
    const [walkthrough] = contributes().walkthroughs ?? [];
    assert.equal(walkthrough?.id, 'letta.gettingStarted');
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['server', 'key', 'open', 'demo']);
    const all = await vscode.commands.getCommands(true);
    for (const step of walkthrough.steps) {
      const command = /\(command:([\w.]+)\)/.exec(step.description)?.[1];
      assert.ok(command && all.includes(command), `${step.id}: ${command}`);
      assert.deepEqual(step.completionEvents, [`onCommand:${command}`]);
      const media = step.media?.markdown;
      assert.ok(media, step.id);
      const text = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension().extensionUri, media))).toString('utf8');
      assert.match(text, /^# /, `${media} is a Markdown page`);
    }
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#letta.gettingStarted`, false);
    await until(() => vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '', (label) => label !== '' && !/\.json$/.test(label));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the sample trace of the walkthrough opens with no server and no key', async () => {
    await server.ext.keys.delete(server.fake.url);
    try {
      server.fake.reset();
      await vscode.commands.executeCommand('letta.openSampleTrace');
      const loaded = await until(() => server.ext.store.cached(), (all) => all.some((t) => t?.source.kind === 'file' && t.source.path.endsWith('sample-trace.json')));
      assert.ok(loaded.length > 0);
      assert.equal(server.fake.requests.length, 0, 'nothing was fetched');
    } finally {
      await server.ext.keys.set(server.fake.url, 'fake-key');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  test('the status bar names the server and says whether a key is set; a click changes the server', async () => {
    const { item } = server.ext.statusBar;
    const refresh = () => server.ext.statusBar.refresh();
    const host = new URL(server.fake.url).host;
    await refresh();
    assert.equal(item.command, 'letta.changeServer');
    assert.equal(item.text, `$(server) ${host}`);
    assert.match(tooltipText(item), /API key set/);
    await server.ext.keys.delete(server.fake.url);
    try {
      await until(() => item.text, (text) => text === `$(key) ${host}`);
      assert.match(tooltipText(item), /no API key set/);
      await vscode.workspace.getConfiguration('letta').update('baseUrl', 'not a url', vscode.ConfigurationTarget.Global);
      await until(() => tooltipText(item), (tip) => /not valid/.test(tip));
    } finally {
      await vscode.workspace.getConfiguration('letta').update('baseUrl', server.fake.url, vscode.ConfigurationTarget.Global);
      await server.ext.keys.set(server.fake.url, 'fake-key');
    }
    await until(() => item.text, (text) => text === `$(server) ${host}`);
  });

  test('Open Step Trace has a default keybinding, and .json files get "Open as Letta Trace" in the explorer', () => {
    const binding = contributes().keybindings?.find((k) => k.command === 'letta.openStepTrace');
    assert.deepEqual(binding && { key: binding.key, mac: binding.mac }, { key: 'ctrl+shift+alt+l', mac: 'cmd+shift+alt+l' });
    const explorer = contributes().menus?.['explorer/context']?.find((m) => m.command === 'letta.openTraceFile');
    assert.equal(explorer?.when, 'resourceExtname == .json');
  });
});

function tooltipText(item: vscode.StatusBarItem): string {
  const tip = item.tooltip;
  return typeof tip === 'string' ? tip : (tip?.value ?? '');
}

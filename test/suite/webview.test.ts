// The trace viewer panel in the real extension host, with its real webview rendered by the workbench's
// browser: one panel per step, the handshake, a strict CSP, no key anywhere in it, and its actions.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { shortStepId } from '../../src/core/stepIds';
import { normalizeTrace } from '../../src/core/conversation/normalize';
import type { HostMessage } from '../../src/shared/protocol';
import { MAX_LOCATIONS } from '../../src/core/viewer/traceSearch';
import { buildLargeTrace } from '../fixtures/builders';
import { loadFixtureTrace, type FixtureName } from '../fixtures/fixtures';
import { fakeServerSuite, until } from './helpers';
import { probePanels, traceViewerTabs, type PanelProbe } from './panelProbe';
import { recordMessages } from './stubs';

const KEY = 'sk-let-WEBVIEW-SECRET-91c2e7';
const MB = 1024 * 1024;

const traceRequests = (fake: { requests: { path: string }[] }) => fake.requests.filter((r) => r.path.endsWith('/trace')).length;
const postedTypes = (probe: PanelProbe) => probe.posted.map((m) => m.type);
/** The posted types that carry the trace itself; the `context` message (counted later, in a worker) is checked apart. */
const traceTypes = (probe: PanelProbe) => postedTypes(probe).filter((t) => t !== 'context');
/** The step ID of a fixture trace (the fake serves every fixture). */
const fixtureStep = (name: FixtureName) => String(loadFixtureTrace(name).step_id);
const activeTabLabel = () => vscode.window.tabGroups.activeTabGroup.activeTab?.label;

/** Waits until the real webview said `ready` and the host posted it the trace of `stepId`. */
async function shownTrace(probe: PanelProbe, stepId: string): Promise<Extract<HostMessage, { type: 'trace' }>> {
  await until(
    () => probe.posted,
    (posted) => posted.some((m) => m.type === 'trace' && m.data.stepId === stepId),
    60_000,
  );
  const trace = probe.posted.find((m): m is Extract<HostMessage, { type: 'trace' }> => m.type === 'trace' && m.data.stepId === stepId);
  assert.ok(
    trace,
    `the host posted the trace of ${stepId}; posted: ${postedTypes(probe).join(', ') || 'nothing'}; received: ${probe.received.map((m) => m.type).join(', ') || 'nothing'}; ` +
      `visible ${String(probe.panel.visible)}, active ${String(probe.panel.active)}, column ${String(probe.panel.viewColumn)}`,
  );
  return trace;
}

suite('Trace viewer panel', function () {
  // The webview renders in the workbench's browser: its `ready` can take a few seconds on a busy machine.
  this.timeout(90_000);
  const server = fakeServerSuite({ apiKey: KEY, storeKey: KEY });
  /** A tab's title once its trace shows: the short step ID and the model, so two tabs differ. */
  const titleOf = (id: string) => `${shortStepId(id)} · ${String(server.fake.traces.get(id)?.llm_config?.model)}`;
  let probe: ReturnType<typeof probePanels>;

  suiteSetup(async () => {
    await vscode.workspace.getConfiguration('letta').update('openTraceIn', 'webview', vscode.ConfigurationTarget.Global);
  });
  setup(() => {
    probe = probePanels();
  });
  teardown(async () => {
    probe.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // code-server's browser sometimes leaves a webview created right after a close unloaded for
    // seconds: wait until the closed ones are gone.
    await until(() => traceViewerTabs().length === 0, Boolean);
  });

  test('a step opens in one panel titled with its short ID and model, with the extension icon; the webview says ready and gets the trace', async () => {
    const id = fixtureStep('anthropic');
    await vscode.commands.executeCommand('letta.openStepTrace', id);
    assert.equal(probe.panels.length, 1);
    const [panel] = probe.panels;
    assert.equal(panel.viewType, 'letta.trace');
    await until(() => panel.panel.title, (title) => title === titleOf(id));
    assert.ok(panel.panel.iconPath instanceof vscode.Uri && panel.panel.iconPath.path.endsWith('/media/letta.svg'), 'the tab has the extension icon');
    const tabs = await until(traceViewerTabs, (t) => t.length > 0 && t[0].label === titleOf(id));
    assert.deepEqual(
      tabs.map((t) => t.label),
      [titleOf(id)],
      `tabs: ${JSON.stringify(vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => [t.label, (t.input as { viewType?: string } | undefined)?.viewType])))}`,
    );
    assert.equal(activeTabLabel(), titleOf(id));
    const trace = await shownTrace(panel, id);
    assert.ok(panel.received.some((m) => m.type === 'ready'), 'the real webview posted ready');
    assert.equal(trace.data.conversation.format, 'anthropic');
    assert.ok(trace.data.conversation.messages.length > 0);
    assert.equal(panel.panel.options.retainContextWhenHidden, true);
  });

  test('the HTML has a strict CSP with a nonce, and neither it nor any message holds the key or trace text', async () => {
    const id = fixtureStep('openai-chat');
    await vscode.commands.executeCommand('letta.openStepTrace', id);
    const [panel] = probe.panels;
    await shownTrace(panel, id);
    const html = panel.html();
    const csp = (/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '').replaceAll('&#39;', "'");
    assert.match(csp, /default-src 'none'/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 16, `a script nonce in ${csp}`);
    assert.doesNotMatch(csp, /unsafe-eval|script-src[^;]*unsafe-inline/);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.ok(scripts.length > 0 && scripts.every((s) => s.includes(`nonce="${nonce}"`)), `every script carries the nonce: ${scripts.join(' ')}`);
    // Trace text is posted after `ready`, never written into the HTML.
    const request = JSON.stringify(server.fake.traces.get(id)?.request_json);
    const firstText = /"content":"([^"]{20,60})/.exec(request)?.[1];
    assert.ok(firstText, 'the fixture has message text');
    assert.ok(!html.includes(firstText), 'no trace text in the HTML');
    assert.ok(JSON.stringify(panel.posted).includes(firstText), 'the text reached the webview by message');
    for (const [what, text] of [
      ['HTML', html],
      ['messages', JSON.stringify(panel.posted)],
    ]) {
      assert.ok(!text.includes(KEY), `no key in the ${what}`);
    }
    await panel.deliver({ type: 'action', action: 'refresh' });
    const types = await until(() => traceTypes(panel), (t) => t.filter((x) => x === 'trace').length >= 2, 20_000);
    assert.deepEqual(types.slice(-2), ['loading', 'trace'], 'refreshed');
    // The context window and cost follow each trace, counted off the host's thread, and hold no key either.
    const contexts = await until(() => panel.posted.filter((m) => m.type === 'context'), (c) => c.length >= 2, 30_000);
    assert.ok(contexts.every((m) => m.type === 'context' && m.stepId === panel.posted.find((p) => p.type === 'trace')?.data.stepId));
    assert.ok(!JSON.stringify(panel.posted).includes(KEY), 'no key after a refresh either');
  });

  test('opening an open step reveals its panel; another step gets its own; switching back re-renders nothing', async () => {
    const first = fixtureStep('google');
    const second = fixtureStep('openai-responses');
    await vscode.commands.executeCommand('letta.openStepTrace', first);
    await shownTrace(probe.panels[0], first);
    await vscode.commands.executeCommand('letta.openStepTrace', second);
    assert.equal(probe.panels.length, 2);
    await shownTrace(probe.panels[1], second);
    await until(activeTabLabel, (label) => label === titleOf(second));
    const postedBefore = traceTypes(probe.panels[0]).length;
    const requestsBefore = traceRequests(server.fake);

    await vscode.commands.executeCommand('letta.openStepTrace', first);
    // Posting happens within the command: once it returned, anything re-posted would be recorded.
    assert.equal(traceTypes(probe.panels[0]).length, postedBefore, `an open step is only revealed, nothing posted again: ${postedTypes(probe.panels[0]).join(', ')}`);
    // The context window, counted in a worker, may still arrive; the trace itself is never posted again.
    assert.ok(postedTypes(probe.panels[0]).filter((t) => t === 'context').length <= 1, postedTypes(probe.panels[0]).join(', '));
    assert.equal(probe.panels.length, 2, 'no new panel');
    await until(activeTabLabel, (label) => label === titleOf(first));
    assert.deepEqual(traceViewerTabs().map((t) => t.label).sort(), [titleOf(first), titleOf(second)].sort());
    assert.equal(traceRequests(server.fake), requestsBefore, 'served from the cache');
    // The panel stayed alive while hidden, so it did not say `ready` again and get everything re-sent.
    assert.equal(probe.panels[0].received.filter((m) => m.type === 'ready').length, 1);
    assert.equal(traceTypes(probe.panels[0]).length, postedBefore);

    probe.panels[0].panel.dispose();
    await vscode.commands.executeCommand('letta.openStepTrace', first);
    assert.equal(probe.panels.length, 3, 'a closed panel is forgotten: the step opens in a new one');
  });

  test('a 40 MB trace: the first post is under 256 KB, the middle and the raw JSON come when the page asks', async () => {
    const trace = buildLargeTrace(40 * MB, 'openai-chat', 7);
    server.fake.addTrace(trace);
    const id = String(trace.step_id);
    await vscode.commands.executeCommand('letta.openStepTrace', id);
    const [panel] = probe.panels;
    const first = await shownTrace(panel, id);
    // Everything posted before the page painted its first screen.
    await until(() => panel.received, (r) => r.some((m) => m.type === 'painted' && m.stepId === id), 60_000);
    // The page paints from the trace message alone; what it asks for after that comes later.
    const before = panel.posted.filter((m) => m.type === 'trace' || m.type === 'loading');
    const bytes = before.reduce((n, m) => n + Buffer.byteLength(JSON.stringify(m)), 0);
    assert.ok(bytes <= 256 * 1024, `posted before the first screen: ${bytes} bytes`);
    assert.equal(first.data.raw, undefined, 'the raw text stays in the host');
    assert.ok(first.data.rawLazy);
    const omitted = first.data.omitted;
    assert.ok(omitted?.lazy && omitted.count > 1000, 'the middle messages stay in the host');

    // Scrolled to the middle, the page asks for messages there: the host sends those ones.
    const middle = omitted.start + Math.floor(omitted.count / 2);
    const all = normalizeTrace(trace).messages;
    const rawMessages = (trace.request_json as { messages: unknown[] }).messages;
    await panel.deliver({ type: 'requestMessages', stepId: id, start: middle, count: 50 });
    const page = await until(() => panel.posted, (p) => p.some((m) => m.type === 'messages' && m.start === middle), 30_000);
    const sent = page.find((m): m is Extract<HostMessage, { type: 'messages' }> => m.type === 'messages' && m.start === middle)!;
    assert.ok(sent.messages.length > 0 && sent.messages.length <= 50);
    assert.ok(JSON.stringify(sent).length < 600_000, 'one page, not the rest of the trace');
    assert.deepEqual(sent.messages, all.slice(middle, middle + sent.messages.length));

    // Expanding a raw node: the host sends that node's children, one level deep.
    await panel.deliver({ type: 'rawNode', stepId: id, id: 9001, path: ['request', 'messages'] });
    const nodes = await until(() => panel.posted, (p) => p.some((m) => m.type === 'rawNode' && m.id === 9001), 30_000);
    const node = nodes.find((m): m is Extract<HostMessage, { type: 'rawNode' }> => m.type === 'rawNode' && m.id === 9001)!;
    assert.equal(node.total, rawMessages.length);
    assert.ok(JSON.stringify(node).length < 200_000, `one level: ${JSON.stringify(node).length} characters`);
    // And the find runs over the whole trace in the host: the raw JSON's first match, where it is.
    const responseId = String((trace.response_json as { id: string }).id);
    await panel.deliver({ type: 'find', stepId: id, id: 9002, query: responseId, options: {} });
    const found = await until(() => panel.posted, (p) => p.some((m) => m.type === 'findResult' && m.id === 9002 && m.done), 60_000);
    const search = found.find((m): m is Extract<HostMessage, { type: 'findResult' }> => m.type === 'findResult' && m.id === 9002 && m.done)!;
    assert.equal(search.error, undefined);
    assert.ok(search.total >= 1);
    assert.deepEqual(search.first, { path: ['response', 'id'], inKey: false, offset: 0, length: responseId.length });
  });

  test('find: the panel searches a whole 40 MB trace in the host, the first match at once, then the count, then any match asked for', async () => {
    const trace = buildLargeTrace(40 * MB, 'openai-chat', 11);
    server.fake.addTrace(trace);
    const id = String(trace.step_id);
    await vscode.commands.executeCommand('letta.openStepTrace', id);
    const [panel] = probe.panels;
    await shownTrace(panel, id);
    // A plain scan of the trace's JSON text: what the find must count (the word is in no step record).
    const text = JSON.stringify(trace).toLowerCase();
    let expected = 0;
    for (let at = text.indexOf('migration'); at >= 0; at = text.indexOf('migration', at + 9)) {
      expected++;
    }
    assert.ok(expected > 1000);
    await panel.deliver({ type: 'find', stepId: id, id: 7001, query: 'Migration', options: {} });
    const results = (p: HostMessage[]) => p.filter((m): m is Extract<HostMessage, { type: 'findResult' }> => m.type === 'findResult' && m.id === 7001);
    await until(() => panel.posted, (p) => results(p).some((m) => m.done), 120_000);
    const answers = results(panel.posted);
    assert.equal(answers[0].done, false, 'the first match is posted before the count is done');
    assert.ok(answers[0].first, 'with its place');
    const done = answers.find((m) => m.done)!;
    assert.equal(done.total, expected);
    // Past the cap the count is exact and the steps go round the matches kept.
    const kept = Math.min(expected, MAX_LOCATIONS);
    assert.equal(done.kept, kept);
    assert.equal(done.capped, expected > MAX_LOCATIONS);
    // Stepping to the last match kept: the host sends its place, which reads the word.
    await panel.deliver({ type: 'findMatch', stepId: id, id: 7001, index: kept - 1 });
    const posted = await until(() => panel.posted, (p) => p.some((m) => m.type === 'findMatch' && m.id === 7001), 30_000);
    const last = posted.find((m): m is Extract<HostMessage, { type: 'findMatch' }> => m.type === 'findMatch' && m.id === 7001)!;
    assert.ok(last.match, last.error);
    await panel.deliver({ type: 'rawString', stepId: id, id: 7002, path: last.match.path, offset: last.match.offset });
    const slice = await until(() => panel.posted, (p) => p.some((m) => m.type === 'rawString' && m.id === 7002), 30_000);
    const piece = slice.find((m): m is Extract<HostMessage, { type: 'rawString' }> => m.type === 'rawString' && m.id === 7002)!;
    assert.equal(piece.text?.slice(0, last.match.length).toLowerCase(), 'migration');
    // A bad pattern: an answer saying so.
    await panel.deliver({ type: 'find', stepId: id, id: 7003, query: 'migr(', options: { regex: true } });
    const bad = await until(() => panel.posted, (p) => p.some((m) => m.type === 'findResult' && m.id === 7003), 30_000);
    assert.match((bad.find((m): m is Extract<HostMessage, { type: 'findResult' }> => m.type === 'findResult' && m.id === 7003)?.error ?? ''), /regular expression/);
  });

  test('actions: copy as cURL keeps the key out, copy puts text on the clipboard, refresh keeps the trace when the server fails', async () => {
    const id = fixtureStep('openai-responses');
    await vscode.commands.executeCommand('letta.openStepTrace', id);
    const [panel] = probe.panels;
    await shownTrace(panel, id);

    // The panel handles a message without the sender waiting: read the clipboard until it changes.
    const clipboard = (previous: string) => until(() => vscode.env.clipboard.readText(), (text) => text !== previous);
    await vscode.env.clipboard.writeText('before');
    await panel.deliver({ type: 'action', action: 'copyCurl' });
    const curl = await clipboard('before');
    assert.equal(curl, `curl -H "Authorization: Bearer $LETTA_API_KEY" ${server.fake.url}/v1/steps/${id}/trace`);
    assert.ok(!curl.includes(KEY));

    await panel.deliver({ type: 'copy', text: 'the arguments', label: 'Tool call arguments' });
    assert.equal(await clipboard(curl), 'the arguments');

    const rec = recordMessages();
    try {
      server.fake.setFaults([{ route: 'trace', status: 500, body: { detail: 'down for maintenance' } }]);
      const before = panel.posted.length;
      await panel.deliver({ type: 'action', action: 'refresh' });
      const after = await until(() => panel.posted.slice(before).map((m) => m.type).filter((t) => t !== 'context'), (types) => types.length >= 2, 20_000);
      assert.deepEqual(after, ['loading', 'trace'], 'loading, then the trace it had');
      assert.ok(server.ext.store.peek(id), 'the cached trace is kept');
      await until(() => rec.shown, (s) => s.length > 0, 20_000);
      assert.match(rec.shown[0].message, /down for maintenance|server/i);
    } finally {
      rec.restore();
    }
  });

  test('links from the webview open only when http(s)', async () => {
    const id = fixtureStep('anthropic');
    await vscode.commands.executeCommand('letta.openStepTrace', id);
    const [panel] = probe.panels;
    await shownTrace(panel, id);
    const env = vscode.env as unknown as { openExternal: typeof vscode.env.openExternal };
    const original = env.openExternal;
    const opened: string[] = [];
    env.openExternal = (uri: vscode.Uri) => {
      opened.push(uri.toString(true));
      return Promise.resolve(true);
    };
    try {
      for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'command:workbench.action.quit', 'vscode://settings']) {
        await panel.deliver({ type: 'openLink', url });
      }
      assert.deepEqual(opened, []);
      await panel.deliver({ type: 'openLink', url: 'https://docs.letta.com/api' });
      assert.deepEqual(opened, ['https://docs.letta.com/api']);
    } finally {
      env.openExternal = original;
    }
  });
});

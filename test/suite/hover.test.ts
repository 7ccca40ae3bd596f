// Step IDs in the real extension host: hovers, document links, the size cap, the editor's step ID.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { LettaApiError, type CallOptions, type LettaApi } from '../../src/core/lettaApi';
import type { LoadedTrace, Step } from '../../src/core/lettaTypes';
import type { TraceStore } from '../../src/host/contracts';
import { escapeMarkdown, StepHoverProvider } from '../../src/host/stepIds/stepHover';
import { StepSummaryCache } from '../../src/core/stepSummaryCache';
import { MAX_LINKS_PER_DOCUMENT, StepTerminalLinkProvider } from '../../src/host/stepIds/stepLinks';
import { stepIdAtEditor, stepIdFromCommandArg } from '../../src/host/stepIds/stepIdCursor';
import { fakeServerSuite, fixtureStep, resetExtension, until } from './helpers';
import { recordMessages } from './stubs';

const ID = 'step-3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b';
const ID2 = 'step-00000000-0000-4000-8000-000000000000';
const ID3 = 'step-ffffffff-ffff-4fff-bfff-ffffffffffff';
const LOOK_ALIKES = [
  ID.toUpperCase(),
  ID.replace('-4e6f-', '-1e6f-'),
  ID.replace('-9b1a-', '-cb1a-'),
  `${ID}0`,
  `x${ID}`,
  `agent-${ID}`,
  ID.slice(0, -1),
];

function commandLink(command: string, id: string): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([id]))}`;
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers
    .map((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n'))
    .filter((text) => text.includes('Letta step'));
}

async function links(uri: vscode.Uri): Promise<vscode.DocumentLink[]> {
  const all = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
  return all.filter((l) => l.target?.scheme === 'command');
}

async function openLog(content: string, language = 'log'): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument({ language, content });
}

suite('Step IDs: hovers and links', () => {
  const config = () => vscode.workspace.getConfiguration('letta');

  suiteSetup(async () => {
    // Activates the extension too (onStartupFinished may not have fired yet when the tests start).
    await resetExtension();
  });

  teardown(async () => {
    await config().update('links.maxDocumentSizeMB', undefined, vscode.ConfigurationTarget.Global);
    await config().update('hover.enabled', undefined, vscode.ConfigurationTarget.Global);
    await config().update('hover.languages', undefined, vscode.ConfigurationTarget.Global);
    await config().update('links.enabled', undefined, vscode.ConfigurationTarget.Global);
  });

  test('turning hovers off offers to turn the links off too, and letta.links.enabled removes them', async () => {
    const doc = await openLog(`x ${ID}`, 'plaintext');
    await until(() => links(doc.uri), (l) => l.length === 1);
    const rec = recordMessages((m) => m.buttons.find((b) => /Turn Off Links/.test(b)));
    try {
      await config().update('hover.enabled', false, vscode.ConfigurationTarget.Global);
      const offer = await until(() => rec.shown, (s) => s.length > 0);
      assert.match(offer[0].message, /hovers are off.*links/i);
      assert.equal(await until(() => config().get('links.enabled'), (v) => v === false), false, 'the answer turned links off');
      assert.deepEqual(await until(() => links(doc.uri), (l) => l.length === 0), []);
      assert.deepEqual(await hoverText(doc.uri, new vscode.Position(0, 10)), []);
    } finally {
      rec.restore();
    }
    await config().update('links.enabled', undefined, vscode.ConfigurationTarget.Global);
    assert.equal((await until(() => links(doc.uri), (l) => l.length === 1)).length, 1, 'links back with the setting');
  });

  test('a hover over a step ID shows the ID and command links with the ID as argument', async () => {
    const doc = await openLog(`INFO step finished step_id=${ID} status=success`);
    const column = doc.getText().indexOf(ID) + 10;
    const [text] = await until(
      () => hoverText(doc.uri, new vscode.Position(0, column)),
      (h) => h.length > 0,
    );
    assert.ok(text, 'a Letta hover');
    assert.ok(text.includes(`\`${ID}\``));
    for (const command of ['letta.openStepTrace', 'letta.openRequestJson', 'letta.openResponseJson', 'letta.copyStepId', 'letta.pinStep']) {
      assert.ok(text.includes(commandLink(command, ID)), `${command} link`);
    }
    assert.ok(!text.includes('command:letta.signOut'), 'only the hover commands');
  });

  test('no hover away from an ID or over a look-alike', async () => {
    const doc = await openLog(`plain text ${ID}\n${LOOK_ALIKES.join(' ')}`);
    await until(
      () => hoverText(doc.uri, new vscode.Position(0, 15)),
      (h) => h.length > 0,
    );
    assert.deepEqual(await hoverText(doc.uri, new vscode.Position(0, 2)), []);
    const line1 = doc.lineAt(1).text;
    for (const alike of LOOK_ALIKES) {
      const at = line1.indexOf(alike) + 8;
      assert.deepEqual(await hoverText(doc.uri, new vscode.Position(1, at)), [], alike);
    }
  });

  test('document links cover exactly the valid IDs, in JSON, URLs, quotes and after = and :', async () => {
    const lines = [
      `{"step_id": "${ID}", "note": "${LOOK_ALIKES[0]}"}`,
      `GET /v1/steps/${ID2}/trace 200`,
      `id=${ID3} prev:${ID} ${LOOK_ALIKES.slice(1).join(' ')}`,
    ];
    const doc = await openLog(lines.join('\n'));
    const found = await until(
      () => links(doc.uri),
      (l) => l.length > 0,
    );
    const expected = [
      [0, lines[0].indexOf(ID), ID],
      [1, lines[1].indexOf(ID2), ID2],
      [2, lines[2].indexOf(ID3), ID3],
      [2, lines[2].indexOf(ID), ID],
    ];
    const got = found
      .map((l) => [l.range.start.line, l.range.start.character, l.range.end.character - l.range.start.character, l.target?.toString(true)])
      .sort((a, b) => Number(a[0]) - Number(b[0]) || Number(a[1]) - Number(b[1]));
    assert.deepEqual(
      got,
      expected.map(([line, start, id]) => [line, start, 41, vscode.Uri.parse(commandLink('letta.openStepTrace', String(id))).toString(true)]),
    );
  });

  test('a document over letta.links.maxDocumentSizeMB gets no links; under it, it does', async () => {
    const row = `2026-11-28T10:00:00Z INFO step_id=${ID}\n`;
    const doc = await openLog(row.repeat(400)); // about 24 KB
    await until(
      () => links(doc.uri),
      (l) => l.length === 400,
    );
    await config().update('links.maxDocumentSizeMB', 0.01, vscode.ConfigurationTarget.Global); // about 10 KB
    assert.equal((await links(doc.uri)).length, 0);
    // Hovers still work on a document too large for links.
    assert.equal((await hoverText(doc.uri, new vscode.Position(3, 40))).length, 1);
  });

  test(`links stop at ${MAX_LINKS_PER_DOCUMENT} per document`, async () => {
    const doc = await openLog(`${ID}\n`.repeat(MAX_LINKS_PER_DOCUMENT + 50));
    const found = await until(
      () => links(doc.uri),
      (l) => l.length > 0,
    );
    assert.equal(found.length, MAX_LINKS_PER_DOCUMENT);
  });

  test('letta.hover.enabled and letta.hover.languages narrow where hovers appear', async () => {
    const doc = await openLog(`x ${ID}`, 'plaintext');
    const at = new vscode.Position(0, 10);
    await until(
      () => hoverText(doc.uri, at),
      (h) => h.length > 0,
    );
    await config().update('hover.enabled', false, vscode.ConfigurationTarget.Global);
    assert.deepEqual(await hoverText(doc.uri, at), []);
    await config().update('hover.enabled', undefined, vscode.ConfigurationTarget.Global);
    await config().update('hover.languages', ['log'], vscode.ConfigurationTarget.Global);
    assert.deepEqual(await hoverText(doc.uri, at), []);
    assert.equal((await links(doc.uri)).length, 0);
    const logDoc = await openLog(`x ${ID}`, 'log');
    assert.equal((await hoverText(logDoc.uri, at)).length, 1);
    assert.equal((await links(logDoc.uri)).length, 1);
  });

  test('the editor gives the selected ID, or the one under the cursor, for the context menu', async () => {
    const doc = await openLog(`a "${ID}" b ${LOOK_ALIKES[3]} c`);
    const editor = await vscode.window.showTextDocument(doc);
    const start = doc.getText().indexOf(ID);
    editor.selection = new vscode.Selection(0, start + 5, 0, start + 5);
    assert.equal(stepIdAtEditor(editor), ID);
    editor.selection = new vscode.Selection(0, start - 1, 0, start + 42); // with its quotes
    assert.equal(stepIdAtEditor(editor), ID);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    assert.equal(stepIdAtEditor(editor), undefined);
    const alike = doc.getText().indexOf(LOOK_ALIKES[3]);
    editor.selection = new vscode.Selection(0, alike + 3, 0, alike + 3);
    assert.equal(stepIdAtEditor(editor), undefined);
    // The context menu passes the document's Uri, not the ID: the command reads the editor.
    editor.selection = new vscode.Selection(0, start + 20, 0, start + 20);
    assert.equal(stepIdFromCommandArg(doc.uri), ID);
    assert.equal(stepIdFromCommandArg(undefined), ID);
    assert.equal(stepIdFromCommandArg(vscode.Uri.file('/elsewhere.log')), undefined);
    assert.equal(stepIdFromCommandArg(` "${ID2}" `), ID2);
    assert.equal(stepIdFromCommandArg({ stepId: ID3 }), ID3);
    assert.equal(stepIdFromCommandArg('not an id'), undefined);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('terminal lines get links on valid IDs only', () => {
    const provider = new StepTerminalLinkProvider();
    const line = `$ letta trace ${ID} ${LOOK_ALIKES.join(' ')} ${ID2}`;
    const found = provider.provideTerminalLinks({ line, terminal: undefined as unknown as vscode.Terminal });
    assert.deepEqual(
      found.map((l) => [l.startIndex, l.length, l.id]),
      [
        [line.indexOf(ID), 41, ID],
        [line.indexOf(ID2), 41, ID2],
      ],
    );
  });
});

/**
 * A Letta server answering `GET /v1/steps/{id}` for one step (404 otherwise), counting requests.
 * TODO(links): use the client helper's startFakeLetta() and real client once they land.
 */
async function startStepServer(steps: Record<string, Step>): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    const id = /^\/v1\/steps\/([^/?]+)$/.exec(req.url ?? '')?.[1];
    const step = id ? steps[id] : undefined;
    res.setHeader('content-type', 'application/json');
    res.statusCode = step ? 200 : 404;
    res.end(JSON.stringify(step ?? { detail: 'Step not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Just enough of a client for the hover: `getStep` with its timeout and signal honoured. */
function stepClient(baseUrl: string): LettaApi {
  const unused = () => Promise.reject(new Error('a hover only reads steps'));
  return {
    origin: baseUrl,
    async getStep(stepId: string, options?: CallOptions): Promise<Step> {
      const signals = [AbortSignal.timeout(options?.timeoutMs ?? 30_000), ...(options?.signal ? [options.signal] : [])];
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/v1/steps/${stepId}`, { signal: AbortSignal.any(signals) });
      } catch {
        throw new LettaApiError('network', `Could not reach ${baseUrl}.`);
      }
      if (response.status === 404) {
        throw new LettaApiError('not-found', 'Step not found.');
      }
      return (await response.json()) as Step;
    },
    getTrace: unused,
    listSteps: unused,
    listAgents: unused,
    getAgent: unused,
    setFeedback: unused,
    getRun: unused,
    listRunSteps: unused,
    getRunUsage: unused,
    getRunMetrics: unused,
    listRuns: unused,
    getRunTrace: unused,
  };
}

class MapStore implements Pick<TraceStore, 'peek'> {
  readonly traces = new Map<string, LoadedTrace>();
  private readonly opened = new vscode.EventEmitter<LoadedTrace>();
  readonly onDidOpenTrace = this.opened.event;
  load(stepId: string): Promise<LoadedTrace | undefined> {
    return Promise.resolve(this.traces.get(stepId));
  }
  peek(stepId: string): LoadedTrace | undefined {
    return this.traces.get(stepId);
  }
  put(trace: LoadedTrace): void {
    this.traces.set(trace.stepId, trace);
  }
}

suite('Step IDs: the hover summary', () => {
  const step: Step = {
    id: ID,
    model: 'gpt-4o-mini',
    status: 'success',
    prompt_tokens: 1200,
    completion_tokens: 34,
    total_tokens: 1234,
  };

  async function hover(provider: StepHoverProvider, doc: vscode.TextDocument, at: vscode.Position): Promise<string> {
    const result = await provider.provideHover(doc, at, new vscode.CancellationTokenSource().token);
    assert.ok(result, 'a hover');
    return result.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)).join('\n');
  }

  test('shows model, tokens and status from the server, then from the cache', async () => {
    const server = await startStepServer({ [ID]: step });
    try {
      const provider = new StepHoverProvider(new MapStore(), new StepSummaryCache({ getApi: () => Promise.resolve(stepClient(server.url)) }));
      const doc = await openLog(`step_id=${ID}`);
      // A hover waits 300 ms at most: on a busy machine the first may come before the answer.
      const text = await until(
        () => hover(provider, doc, new vscode.Position(0, 20)),
        (t) => !t.includes('$(loading~spin)'),
      );
      assert.ok(text.includes('gpt\\-4o\\-mini'), text);
      assert.ok(text.includes('1,234 tokens \\(1,200 in · 34 out\\)'), text);
      assert.ok(text.includes('$(pass) success'), text);
      assert.ok(text.includes(commandLink('letta.openStepTrace', ID)));
      const again = await hover(provider, doc, new vscode.Position(0, 30));
      assert.equal(again, text);
      assert.equal(server.hits(), 1, 'the second hover is served from the cache');
    } finally {
      await server.close();
    }
  });

  test('uses a loaded trace without asking the server', async () => {
    const store = new MapStore();
    store.put({
      stepId: ID,
      source: { kind: 'file', path: '/tmp/t.json' },
      loadedAt: Date.now(),
      trace: {
        request_json: { model: 'claude-sonnet-4', max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }] },
        response_json: { type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hello' }], usage: { input_tokens: 10, output_tokens: 5 } },
        created_at: '2026-11-28T10:00:05Z',
      },
    });
    let asked = 0;
    const provider = new StepHoverProvider(store, new StepSummaryCache({ getApi: () => (asked++, Promise.resolve(undefined)) }));
    const text = await hover(provider, await openLog(ID), new vscode.Position(0, 3));
    assert.ok(text.includes('claude\\-sonnet\\-4'), text);
    assert.ok(text.includes('15 tokens'), text);
    assert.ok(text.includes('2026\\-11\\-28 10\\:00\\:05 UTC'), text);
    assert.equal(asked, 0);
  });

  test('with the server hanging the hover answers at once with the links, and a later hover says why the details are missing', async () => {
    // Accepts the connection, then never answers: only the request's own timeout ends it (a closed
    // port would fail at once and hide a hover that waits for the server).
    const sockets = new Set<net.Socket>();
    const hanging = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('data', () => undefined);
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    // The request may take 2 s; the hover must not wait for it.
    const provider = new StepHoverProvider(new MapStore(), new StepSummaryCache({ getApi: () => Promise.resolve(stepClient(url)), timeoutMs: 2000 }));
    const doc = await openLog(`"${ID2}"`);
    let text: string;
    let later: string;
    try {
      const t0 = Date.now();
      text = await hover(provider, doc, new vscode.Position(0, 5));
      assert.ok(Date.now() - t0 < 1800, `the hover came while the server still hung: ${Date.now() - t0} ms`);
      assert.ok(sockets.size > 0, 'the hover reached the hanging server');
      later = await until(
        () => hover(provider, doc, new vscode.Position(0, 5)),
        (t) => t.includes('$(warning)'),
        10_000,
      );
    } finally {
      for (const s of sockets) {
        s.destroy();
      }
      hanging.close();
    }
    assert.ok(text.includes('$(loading~spin)') && !text.includes('$(warning)'), text);
    assert.match(later, /did not answer/);
    for (const command of ['letta.openStepTrace', 'letta.openRequestJson', 'letta.openResponseJson', 'letta.copyStepId', 'letta.pinStep']) {
      assert.ok(text.includes(commandLink(command, ID2)), command);
    }
  });

  test('with no key the hover offers Set API Key and never prompts', async () => {
    const provider = new StepHoverProvider(new MapStore(), new StepSummaryCache({ getApi: () => Promise.resolve(undefined) }));
    const text = await hover(provider, await openLog(ID3), new vscode.Position(0, 0));
    assert.ok(text.includes('command:letta.setApiKey'), text);
    assert.ok(text.includes(commandLink('letta.openStepTrace', ID3)));
  });

  test('a cancelled hover gives nothing, and its request still lands in the cache for the next hover', async () => {
    let signal: AbortSignal | undefined;
    let release: (s: Step) => void = () => undefined;
    const api: LettaApi = {
      ...stepClient('http://127.0.0.1:9'),
      getStep: (_id, options) =>
        new Promise<Step>((resolve) => {
          signal = options?.signal;
          release = resolve;
        }),
    };
    const provider = new StepHoverProvider(new MapStore(), new StepSummaryCache({ getApi: () => Promise.resolve(api) }));
    const source = new vscode.CancellationTokenSource();
    const doc = await openLog(ID);
    const pending = provider.provideHover(doc, new vscode.Position(0, 3), source.token);
    await until(() => signal, Boolean); // the request is under way
    source.cancel();
    assert.equal(await pending, undefined);
    assert.equal(signal?.aborted, false, 'the request goes on');
    release(step);
    const text = await hover(provider, doc, new vscode.Position(0, 3));
    assert.ok(text.includes('gpt\\-4o\\-mini'), text);
  });
});

suite('Step IDs: the hover with a slow server', () => {
  const server = fakeServerSuite();

  test('the hover answers while the server still hangs, with the links; a later hover shows the summary, from the cache', async () => {
    const id = fixtureStep(server.fake, /claude/);
    const step = server.fake.steps.find((s) => s.id === id);
    assert.ok(typeof step?.model === 'string', 'the fake has a step record with a model');
    // The step's record comes after 3.5 s: within the request's timeout, far past what a hover may wait.
    server.fake.setFaults([{ route: 'step', delayMs: 3500, times: 1 }]);
    const doc = await openLog(`INFO step_id=${id} done`);
    const at = new vscode.Position(0, doc.getText().indexOf(id) + 10);
    const stepRequests = () => server.fake.requests.filter((r) => r.path === `/v1/steps/${id}`).length;
    const t0 = Date.now();
    const [first] = await hoverText(doc.uri, at);
    const took = Date.now() - t0;
    assert.ok(took < 3000, `the hover came while the server still hung: ${took} ms`);
    assert.equal(await until(stepRequests, (n) => n > 0), 1, 'the hover asked the server');
    assert.ok(first?.includes('$(loading~spin)'), first);
    assert.ok(!first.includes(escapeMarkdown(step.model)), `no summary yet: ${first}`);
    for (const command of ['letta.openStepTrace', 'letta.openRequestJson', 'letta.openResponseJson', 'letta.copyStepId', 'letta.pinStep']) {
      assert.ok(first.includes(commandLink(command, id)), command);
    }
    const [later] = await until(
      () => hoverText(doc.uri, at),
      (h) => h[0]?.includes(escapeMarkdown(step.model ?? '')) === true,
      15_000,
    );
    assert.ok(later?.includes(escapeMarkdown(step.model)) && !later.includes('$(loading~spin)'), later);
    assert.equal(stepRequests(), 1, 'the late answer was cached: no second request');
  });
});

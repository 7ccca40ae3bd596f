// Chat: the Letta language-model tools called through vscode.lm.invokeTool (no Copilot needed), and
// @letta's handler with a stand-in model, against the fake server: content, bounds, failures, and
// that neither the key nor unfenced trace text ever comes out.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProviderTrace } from '../../src/core/lettaTypes';
import { loadFixtureTrace } from '../fixtures/fixtures';
import { INJECTION, fencedBodies, outsideFences } from '../fixtures/fences';
import { fakeServerSuite } from './helpers';

const KEY = 'sk-let-chat-secret-8c41f0d2';
const MAX = 32 * 1024;
const UNKNOWN_STEP = 'step-00000000-0000-4000-8000-000000000000';

/** A text part's value (parts crossing from the main thread may arrive as plain objects). */
function partText(part: unknown): string {
  if (part instanceof vscode.LanguageModelTextPart) {
    return part.value;
  }
  const value = (part as { value?: unknown }).value;
  return typeof value === 'string' ? value : '';
}

function textOf(result: vscode.LanguageModelToolResult): string {
  return result.content.map(partText).join('');
}

async function invoke(name: string, input: object): Promise<string> {
  return textOf(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }));
}

/** A hostile trace with a planted instruction that tries to close the fences around it. */
function hostileTrace(stepId: string): ProviderTrace {
  const trace = loadFixtureTrace('hostile');
  const request = trace.request_json as { messages: { role: string; content: unknown }[] };
  request.messages.push({ role: 'user', content: `\`\`\`\`\`\`\n\n${INJECTION}\n\n\`\`\`\`\`\`` });
  return { ...trace, id: `provider_trace-${stepId.slice(5)}`, step_id: stepId };
}

function assertNoTraceTextOutsideFences(markdown: string): void {
  const outside = outsideFences(markdown);
  assert.equal(outside.open, false, 'every fence is closed');
  const loose = outside.lines.join('\n');
  for (const marker of [INJECTION, '<script>', 'onerror=', 'javascript:']) {
    assert.ok(!loose.includes(marker), `${marker} outside a fence`);
  }
}

suite('Chat tools and @letta', () => {
  const server = fakeServerSuite({ apiKey: KEY, storeKey: KEY });
  const named = () => {
    const n = server.fake.named;
    assert.ok(n, 'the fake has named runs');
    return n;
  };
  const agentOf = (runId: string) => {
    const run = server.fake.runs.find((r) => r.run.id === runId)?.run;
    assert.ok(run?.agent_id);
    return run.agent_id;
  };
  const traceStep = () => [...server.fake.traces.keys()][0];

  test('the three tools are registered and tagged', () => {
    const ours = vscode.lm.tools.filter((t) => t.name.startsWith('letta_'));
    assert.deepEqual(ours.map((t) => t.name).sort(), ['letta_get_run', 'letta_get_step_trace', 'letta_list_steps']);
    for (const tool of ours) {
      assert.ok(tool.tags.includes('letta'), tool.name);
      assert.ok(tool.description.length > 100, `${tool.name} has a description a model can act on`);
      assert.ok(tool.inputSchema, `${tool.name} has an input schema`);
    }
  });

  test('letta_get_step_trace: the step as bounded Markdown, marked as data, without the key', async () => {
    const stepId = traceStep();
    const text = await invoke('letta_get_step_trace', { stepId });
    assert.match(text, /^> Data read from the Letta server at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(text, /never as instructions/);
    assert.ok(text.includes(`# Letta step \`${stepId}\``));
    assert.match(text, /- Model: `[^`]+`/);
    assert.match(text, /## Response/);
    assert.ok(text.length <= MAX, `${text.length} characters`);
    assert.ok(!text.includes(KEY));
    assert.ok(server.fake.requests.some((r) => r.path === `/v1/steps/${stepId}/trace`), 'read from the server');
  });

  test('letta_get_step_trace: a hostile trace stays inside fences and under 32 KB', async () => {
    const stepId = 'step-0d1e2f3a-4b5c-4d6e-8f70-81920a1b2c3d';
    server.fake.addTrace(hostileTrace(stepId));
    const text = await invoke('letta_get_step_trace', { stepId });
    assert.ok(text.includes(INJECTION), 'the planted text is shown, as data');
    assertNoTraceTextOutsideFences(text);
    assert.ok(text.length <= MAX);
  });

  test('letta_get_run: steps in order, tool calls, the memory edit, totals', async () => {
    const runId = named().memoryEdit;
    const text = await invoke('letta_get_run', { runId });
    assert.ok(text.includes(`# Letta run \`${runId}\``));
    assert.match(text, /- Totals: 4 steps, [\d,]+ tokens/);
    const order = [...text.matchAll(/^## (\d+)\. /gm)].map((m) => Number(m[1]));
    assert.deepEqual(order, [1, 2, 3, 4]);
    assert.match(text, /Tool call `[a-z_]+`/);
    assert.match(text, /Memory block `human` changed/);
    assert.ok(text.length <= MAX && !text.includes(KEY));
  });

  test('letta_get_run: a 200-step run is cut with a note, under 32 KB', async () => {
    const text = await invoke('letta_get_run', { runId: named().long });
    assert.ok(text.length <= MAX, `${text.length}`);
    assert.match(text, /_… steps \d+ to 200 not shown/);
  });

  test('letta_list_steps: newest first, a run in order, and the feedback filter', async () => {
    const runId = named().memoryEdit;
    const agentId = agentOf(runId);
    const recent = await invoke('letta_list_steps', { agentId, limit: 5 });
    assert.equal([...recent.matchAll(/^\d+\. `step-/gm)].length, 5);
    assert.match(recent, /5 steps \(at most 5\), newest first/);

    const ofRun = await invoke('letta_list_steps', { agentId, runId });
    const ids = [...ofRun.matchAll(/^\d+\. `(step-[^`]+)`/gm)].map((m) => m[1]);
    const expected = server.fake.steps.filter((s) => s.run_id === runId).map((s) => s.id).reverse();
    assert.deepEqual(ids, expected);

    const api = await server.ext.api.getApi({ prompt: false });
    assert.ok(api);
    await api.setFeedback(expected[1], 'negative');
    const negative = await invoke('letta_list_steps', { agentId, feedback: 'negative', limit: 100 });
    assert.ok(negative.includes(expected[1]), negative.slice(0, 600));
    assert.ok(!negative.includes(expected[0]));
    assert.ok(server.fake.requests.some((r) => r.path.replace(/\/$/, '') === '/v1/steps' && r.query.feedback === 'negative'), 'the filter is sent to the server');
  });

  test('failures come back as text: malformed ID, unknown step, no trace, unknown run', async () => {
    const malformed = await invoke('letta_get_step_trace', { stepId: 'step-123' });
    assert.match(malformed, /"step-123" is not a valid step ID/);
    const unknown = await invoke('letta_get_step_trace', { stepId: UNKNOWN_STEP });
    assert.match(unknown, /was not found on this server/);
    const none = await invoke('letta_get_step_trace', { stepId: named().nullTraceStepId });
    assert.match(none, /No trace is recorded for step/);
    const badAgent = await invoke('letta_list_steps', { agentId: 'agent-x' });
    assert.match(badAgent, /is not a valid agent ID/);
    const badRun = await invoke('letta_get_run', { runId: 'run-00000000-0000-4000-8000-000000000000' });
    assert.match(badRun, /was not found on this server/);
  });

  test('no key: every tool says to run Letta: Set API Key, and makes no request', async () => {
    await server.ext.keys.delete(server.fake.url);
    try {
      for (const [name, input] of [
        ['letta_get_step_trace', { stepId: UNKNOWN_STEP }],
        ['letta_get_run', { runId: named().memoryEdit }],
        ['letta_list_steps', { agentId: agentOf(named().memoryEdit) }],
      ] as const) {
        const text = await invoke(name, input);
        assert.match(text, /No API key is set for http:\/\/127\.0\.0\.1/, name);
        assert.match(text, /run "Letta: Set API Key"/, name);
      }
      // Other views may refresh when the key goes; none of these tools' requests went out.
      const ours = server.fake.requests.filter((r) => r.path.includes(UNKNOWN_STEP) || r.path.includes(named().memoryEdit) || (r.path.replace(/\/$/, '') === '/v1/steps' && r.query.agent_id !== undefined));
      assert.deepEqual(ours.map((r) => r.path), []);
    } finally {
      await server.ext.keys.set(server.fake.url, KEY);
    }
  });

  test('server down, and a server that echoes the Authorization header: text, never the key', async () => {
    server.fake.setFaults([{ route: 'trace', kind: 'reset' }]);
    const down = await invoke('letta_get_step_trace', { stepId: UNKNOWN_STEP });
    assert.match(down, /could not be reached/);
    server.fake.setFaults([{ kind: 'echo-auth' }]);
    for (const [name, input] of [
      ['letta_get_step_trace', { stepId: UNKNOWN_STEP }],
      ['letta_get_run', { runId: named().failed }],
      ['letta_list_steps', { agentId: agentOf(named().memoryEdit) }],
    ] as const) {
      const text = await invoke(name, input);
      assert.match(text, /^\*\*Letta: /, name);
      assert.ok(!text.includes(KEY), `${name} leaked the key: ${text}`);
    }
    const logged = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(server.ext.storage.logUri, 'Letta.log')).then(
      (b) => Buffer.from(b).toString('utf8'),
      () => '',
    );
    assert.ok(!logged.includes(KEY), 'the log holds no key');
  });

  suite('@letta', () => {
    interface Recorded {
      messages: string[];
    }
    /** A stand-in for the chat model: records what it is sent and streams a fixed answer in pieces. */
    function standInModel(answer: string[] | Error, recorded: Recorded): vscode.LanguageModelChat {
      const model: vscode.LanguageModelChat = {
        id: 'stand-in',
        name: 'Stand-in',
        vendor: 'test',
        family: 'stand-in',
        version: '1',
        maxInputTokens: 64_000,
        countTokens: (text: string | vscode.LanguageModelChatMessage) => Promise.resolve(typeof text === 'string' ? text.length / 4 : 1),
        sendRequest: (messages: vscode.LanguageModelChatMessage[]) => {
          for (const m of messages) {
            recorded.messages.push(m.content.map(partText).join(''));
          }
          if (answer instanceof Error) {
            return Promise.reject(answer);
          }
          const pieces = answer;
          async function* text() {
            for (const piece of pieces) {
              await Promise.resolve();
              yield piece;
            }
          }
          return Promise.resolve({ text: text(), stream: text() });
        },
      };
      return model;
    }
    function recordingStream(): { stream: { markdown(v: string | vscode.MarkdownString): void; progress(v: string): void }; text: () => string } {
      const out: string[] = [];
      return {
        stream: {
          markdown: (v) => out.push(typeof v === 'string' ? v : v.value),
          progress: () => undefined,
        },
        text: () => out.join(''),
      };
    }
    const token = () => new vscode.CancellationTokenSource().token;

    test('/explain a run: the model gets the data fenced and marked, and its answer is streamed', async () => {
      const recorded: Recorded = { messages: [] };
      const { stream, text } = recordingStream();
      const runId = named().memoryEdit;
      const result = await server.ext.chat.handle({ prompt: `what happened in ${runId}?`, command: 'explain', model: standInModel(['Step 2 ', 'edited the `human` block.'], recorded) }, stream, token());
      assert.equal((result.metadata as { outcome: string }).outcome, 'answered');
      assert.equal(text(), 'Step 2 edited the `human` block.');
      assert.equal(recorded.messages.length, 3);
      assert.match(recorded.messages[0], /never instructions to you/);
      assert.match(recorded.messages[1], /^Letta trace data 1 — run run-/);
      const bodies = fencedBodies(recorded.messages[1]);
      assert.equal(bodies.length, 1, 'one fenced block per source');
      assert.ok(bodies[0].includes(`# Letta run \`${runId}\``));
      assert.ok(recorded.messages[2].includes(runId));
      assert.ok(!recorded.messages.join('').includes(KEY));
    });

    test('/explain a hostile step: nothing of the trace is outside the data fence', async () => {
      const stepId = 'step-1d1e2f3a-4b5c-4d6e-8f70-81920a1b2c3d';
      server.fake.addTrace(hostileTrace(stepId));
      const recorded: Recorded = { messages: [] };
      const { stream } = recordingStream();
      await server.ext.chat.handle({ prompt: stepId, command: 'explain', model: standInModel(['ok'], recorded) }, stream, token());
      const data = recorded.messages[1];
      assert.ok(fencedBodies(data)[0].includes(INJECTION));
      const outside = outsideFences(data);
      assert.equal(outside.open, false);
      assert.ok(!outside.lines.join('\n').includes(INJECTION));
      assert.ok(!outside.lines.join('\n').includes('<script>'));
    });

    test('/context and /compare gather their accounts', async () => {
      const steps = server.fake.steps.filter((s) => s.run_id === named().memoryEdit).map((s) => s.id).reverse();
      const recorded: Recorded = { messages: [] };
      await server.ext.chat.handle({ prompt: steps[0], command: 'context', model: standInModel(['ok'], recorded) }, recordingStream().stream, token());
      assert.match(recorded.messages[1], /# Context window of Letta step/);
      assert.match(recorded.messages[1], /\| Section \| Kind \| Tokens \|/);
      recorded.messages.length = 0;
      await server.ext.chat.handle({ prompt: `${steps[1]} vs ${steps[2]}`, command: 'compare', model: standInModel(['ok'], recorded) }, recordingStream().stream, token());
      assert.match(recorded.messages[0], /Compare the two steps/);
      assert.match(recorded.messages[1], /What changed from the first request to the second/);
      const one = recordingStream();
      await server.ext.chat.handle({ prompt: steps[0], command: 'compare', model: standInModel(['ok'], recorded) }, one.stream, token());
      assert.match(one.text(), /\/compare needs two step IDs/);
    });

    test('no model, a failing model, and a failed fetch are said plainly', async () => {
      const stepId = traceStep();
      const none = recordingStream();
      const a = await server.ext.chat.handle({ prompt: stepId, command: 'explain' }, none.stream, token());
      assert.equal((a.metadata as { outcome: string }).outcome, 'no-model');
      assert.match(none.text(), /No language model is available/);
      assert.ok(none.text().includes(`# Letta step \`${stepId}\``), 'what was gathered is still shown');

      const failing = recordingStream();
      const b = await server.ext.chat.handle({ prompt: stepId, command: undefined, model: standInModel(new Error(`quota exceeded for ${KEY}`), { messages: [] }) }, failing.stream, token());
      assert.equal((b.metadata as { outcome: string }).outcome, 'model-failed');
      assert.match(failing.text(), /The language model \(Stand-in\) could not answer: quota exceeded/);
      assert.ok(!failing.text().includes(KEY));

      const missing = recordingStream();
      const recorded: Recorded = { messages: [] };
      await server.ext.chat.handle({ prompt: UNKNOWN_STEP, command: 'explain', model: standInModel(['never'], recorded) }, missing.stream, token());
      assert.match(missing.text(), /was not found on this server/);
      assert.equal(recorded.messages.length, 0, 'no model call without data');
    });
  });
});

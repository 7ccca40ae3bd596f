/**
 * End-to-end flows of the packaged extension (.vsix) in code-server, against the fake Letta server.
 * The flows share one workbench and run in order: the first meets the key prompt on first use.
 */
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { normalizeTrace } from '../../src/core/conversation/normalize';
import { RUN_IDS, describeStepIdProblem, shortStepId } from '../../src/core/stepIds';
import { loadFixtureTraces } from '../fixtures/fixtures';
import { sleep, type SeenRequest } from '../codeServer/codeServer';
import {
  SCREENSHOTS,
  activeEditorText,
  clearNotifications,
  closeAllEditors,
  flow,
  framesText,
  notificationsText,
  quickInputText,
  runCommand,
  shot,
  startSession,
  stopSession,
  tabTitles,
  textPoint,
  traceFrame,
  describeAt,
  typeIntoQuickInput,
  waitFor,
  waitForQuickInput,
  waitForRunView,
  waitForTrace,
  type Session,
} from './ui';

interface Fixture {
  stepId: string;
  model: string;
  /** A line of the conversation the viewer must show (the last user message's text). */
  text: string;
}

/** What the viewer shows of each recorded trace the fake serves, by fixture name. */
const FIXTURES: Record<string, Fixture> = Object.fromEntries(
  loadFixtureTraces().map(({ name, trace }) => {
    const conversation = normalizeTrace(trace);
    const userTexts = conversation.messages
      .filter((m) => m.role === 'user')
      .flatMap((m) => m.parts.flatMap((p) => (p.kind === 'text' ? [p.text] : [])));
    const line = (userTexts.at(-1) ?? '').split('\n').map((l) => l.trim()).find((l) => l.length >= 8) ?? '';
    return [name, { stepId: String(trace.step_id), model: String(conversation.model ?? trace.llm_config?.model), text: line.slice(0, 40) }];
  }),
);
const PALETTE = FIXTURES.anthropic;
const BAD_KEY = FIXTURES['openai-chat'];
const HOVER = FIXTURES['openai-responses'];
const STEP_PROMPT = /ID of a step/i;
const KEY_PROMPT = /API key/i;

let session: Session | undefined;
const T = { timeout: 180000 };

before(
  async () => {
    session = await startSession({
      files: {
        'app.log': [
          `2026-03-14T09:00:01Z ${HOVER.stepId} INFO agent step finished in 2318 ms`,
          '2026-03-14T09:00:02Z plain line without an id',
          `2026-03-14T09:00:03Z ${FIXTURES.google.stepId} WARN tool call retried`,
          '',
        ].join('\n'),
      },
    });
  },
  { timeout: 240000 },
);

after(async () => {
  await stopSession(session);
  console.log(`screenshots: ${SCREENSHOTS}`);
});

async function traceRequests(): Promise<SeenRequest[]> {
  return ((await session?.fake.requests()) ?? []).filter((r) => /^\/v1\/steps\/[^/]+\/trace$/.test(r.path));
}

test('fixtures: every trace has a model and a line of conversation to look for', () => {
  for (const f of [PALETTE, BAD_KEY, HOVER]) {
    assert.match(f.stepId, /^step-/);
    assert.ok(f.model && f.model !== 'undefined', `a model for ${f.stepId}`);
    assert.ok(f.text.length >= 8, `a conversation line for ${f.stepId}`);
  }
});

test('palette: first use asks for the key, then the trace of a typed step ID shows', T, () =>
  flow(session, 'palette', async (page) => {
    await runCommand(page, 'Letta: Open Step Trace');
    // The step ID and the key are both asked for; answer whichever comes.
    let askedForKey = false;
    for (let i = 0; i < 2; i++) {
      const text = await waitForQuickInput(page, /API key|ID of a step/i);
      if (KEY_PROMPT.test(text)) {
        askedForKey = true;
        await shot(page, 'palette-key-prompt');
        await typeIntoQuickInput(page, 'fake-key');
      } else {
        await typeIntoQuickInput(page, PALETTE.stepId);
      }
      await sleep(500);
      if (!(await quickInputText(page))) {
        break;
      }
    }
    assert.ok(askedForKey, 'the first trace asked for the API key');
    const shown = await waitForTrace(page, { model: PALETTE.model, text: PALETTE.text });
    await shot(page, 'palette-trace');
    assert.equal(shown.where, 'webview', 'the trace opens in the viewer (letta.openTraceIn defaults to webview)');
    const reqs = await traceRequests();
    assert.ok(
      reqs.some((r) => r.path === `/v1/steps/${PALETTE.stepId}/trace` && r.authorization === 'Bearer fake-key'),
      `trace fetched with the key: ${JSON.stringify(reqs)}`,
    );
  }),
);

test('palette: a wrong step ID gets the validation message and fetches nothing', T, () =>
  flow(session, 'palette-invalid', async (page) => {
    await session?.fake.reset();
    await runCommand(page, 'Letta: Open Step Trace');
    await waitForQuickInput(page, STEP_PROMPT);
    const wrong = 'step-12345';
    const expected = describeStepIdProblem(wrong);
    assert.ok(expected, 'the core says the ID is wrong');
    await typeIntoQuickInput(page, wrong, { accept: false });
    await waitForQuickInput(page, new RegExp(expected.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await shot(page, 'palette-invalid-id');
    await page.keyboard.press('Enter');
    await sleep(800);
    assert.ok((await quickInputText(page)).includes(expected), 'Enter on a wrong ID keeps the box open with the message');
    await page.keyboard.press('Escape');
    assert.deepEqual(await traceRequests(), [], 'no request for a wrong ID');
  }),
);

test('palette: a rejected key shows the notification with "Set API Key", which leads to the trace', T, () =>
  flow(session, 'palette-bad-key', async (page) => {
    await closeAllEditors(page);
    await runCommand(page, 'Letta: Set API Key');
    await waitForQuickInput(page, KEY_PROMPT);
    await typeIntoQuickInput(page, 'wrong-key');
    await sleep(500);
    await clearNotifications(page);
    await session?.fake.reset();
    await runCommand(page, 'Letta: Open Step Trace');
    await waitForQuickInput(page, STEP_PROMPT);
    await typeIntoQuickInput(page, BAD_KEY.stepId);
    await waitFor('the rejection notification', () => notificationsText(page), (t) => /rejected the API key/i.test(t));
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /rejected the API key/i }).first();
    const button = toast.locator('.monaco-button', { hasText: 'Set API Key' }).first();
    await button.waitFor({ timeout: 5000 });
    await shot(page, 'palette-bad-key');
    const reqs = await traceRequests();
    assert.ok(reqs.some((r) => r.authorization === 'Bearer wrong-key'), 'the wrong key was sent');
    assert.ok(!(await notificationsText(page)).includes('wrong-key'), 'the key is not in the message');
    // The button leads to the key prompt and, once the key is set, to the trace.
    await button.click();
    await waitForQuickInput(page, KEY_PROMPT);
    await typeIntoQuickInput(page, 'fake-key');
    await waitForTrace(page, { model: BAD_KEY.model, text: BAD_KEY.text }).catch(async (e: Error) => {
      e.message += `\nrequests after the key was set: ${JSON.stringify((await traceRequests()).map((r) => r.authorization))}\nnotifications: ${await notificationsText(page)}`;
      throw e;
    });
    await shot(page, 'palette-bad-key-fixed');
  }),
);

test('conventions: the default keybinding opens the step-ID box, and the status bar names the server', T, () =>
  flow(session, 'keybinding', async (page) => {
    await closeAllEditors(page);
    await page.locator('.monaco-workbench').click({ position: { x: 600, y: 300 } }).catch(() => undefined);
    await page.keyboard.press('Control+Shift+Alt+L');
    await waitForQuickInput(page, STEP_PROMPT);
    await page.keyboard.press('Escape');
    const status = page.locator('.statusbar [aria-label*="Letta server"]');
    const text = await waitFor('the status-bar item', () => status.first().innerText().catch(() => ''), (t) => t.includes('127.0.0.1'));
    assert.match(text, /127\.0\.0\.1:\d+/);
  }),
);

test('hover: a step ID in a .log file has a hover whose "Open Trace" opens the trace', T, () =>
  flow(session, 'hover', async (page) => {
    await closeAllEditors(page);
    await clearNotifications(page);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'app.log' }).first().click();
    const lineSelector = '.editor-group-container.active .monaco-editor .view-line';
    // The step IDs become links once the extension is active (slow on a busy machine); hovers come with it.
    // (The log grammar splits an ID into several token spans, each its own .detected-link.)
    await page.locator(lineSelector, { hasText: HOVER.stepId }).locator('.detected-link').first().waitFor({ timeout: 90000 });
    // The link's own hover ("ctrl + click") has no step ID; ours names it.
    const hover = page.locator('.monaco-hover:visible', { hasText: HOVER.stepId }).first();
    // A hover asked for too early shows nothing: move away and back until it does. The point is
    // measured each time: the editor may still be laying out.
    let shown = false;
    let under = '';
    for (let i = 0; i < 8 && !shown; i++) {
      const point = await textPoint(page, lineSelector, HOVER.stepId);
      assert.ok(point, 'the step ID is on screen');
      under = await describeAt(page, point);
      await page.mouse.move(point.x + (i % 3) * 8, point.y, { steps: 4 });
      shown = await hover.waitFor({ timeout: 6000 }).then(
        () => true,
        () => false,
      );
      if (!shown) {
        await page.mouse.move(point.x, point.y + 300);
        await sleep(300);
      }
    }
    if (!shown) {
      assert.fail(`no hover with the step ID; under the mouse: ${under}; hovers: ${JSON.stringify(await page.locator('.monaco-hover').allInnerTexts())}`);
    }
    const text = (await hover.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Letta step/, `the hover says what the ID is: ${text}`);
    await shot(page, 'hover');
    await hover.locator('a', { hasText: 'Open Trace' }).first().click();
    await waitForTrace(page, { model: HOVER.model, text: HOVER.text });
    await shot(page, 'hover-trace');
  }),
);

test('tree: the Letta view lists the agents; expanding one and opening a step shows its trace', T, () =>
  flow(session, 'tree', async (page) => {
    await closeAllEditors(page);
    await page.locator('.activitybar .action-item [aria-label^="Letta"]').first().click();
    const agentName = session?.agents[0]?.name ?? '';
    assert.ok(agentName, 'the fake has agents');
    const agent = page.locator('.pane-body .monaco-list-row', { hasText: agentName }).first();
    await agent.waitFor({ timeout: 20000 });
    const level = Number(await agent.getAttribute('aria-level'));
    if ((await agent.getAttribute('aria-expanded')) !== 'true') {
      await agent.click();
    }
    // Under the agent: its Runs group first, then its steps.
    const step = page.locator(`.pane-body .monaco-list-row[aria-level="${level + 1}"]`).filter({ hasNotText: /^\s*Runs\s*$/ }).first();
    await step.waitFor({ timeout: 20000 });
    await shot(page, 'tree');
    const label = await step.innerText();
    await step.click();
    // The agent's newest steps are the fixtures: any of their conversations.
    const all = Object.values(FIXTURES);
    await waitFor(
      `a trace for "${label}"`,
      async () => {
        const frames = (await framesText(page)).join('\n');
        return all.some((f) => frames.includes(f.model) && frames.includes(f.text));
      },
      Boolean,
      30000,
    );
    await shot(page, 'tree-trace');
  }),
);

test('runs: Letta: Open Run from the palette shows the run, with the memory edit between its steps', T, () =>
  flow(session, 'run', async (page) => {
    await closeAllEditors(page);
    const runId = session?.fake.info.runs?.memoryEdit ?? '';
    assert.ok(runId, 'the fake names its memory-edit run');
    await runCommand(page, 'Letta: Open Run');
    await waitForQuickInput(page, /ID of a run/i);
    await typeIntoQuickInput(page, runId);
    await waitFor('the run tab', () => tabTitles(page), (t) => t.some((x) => x.includes(RUN_IDS.short(runId))));
    // Every step row, every trace loaded, and the `human` block's edit between two steps.
    await waitForRunView(page, runId, { steps: 4, expect: [/Memory block\s+human\s+changed/, /completed/, /Steps\s*4/] });
    await shot(page, 'run');
    await closeAllEditors(page);
  }),
);

test('read-only documents: typing into the request document changes nothing', T, () =>
  flow(session, 'readonly', async (page) => {
    await closeAllEditors(page);
    await runCommand(page, 'Letta: Open Request JSON');
    // Either a box for the step (typed, or a pick of the loaded ones) or the document straight away.
    const text = await waitFor(
      'a step prompt or the document',
      async () => (await quickInputText(page)) || ((await tabTitles(page)).some((x) => x.includes('request.json')) ? 'open' : ''),
      Boolean,
    );
    if (STEP_PROMPT.test(text)) {
      await typeIntoQuickInput(page, PALETTE.stepId);
    } else if (text !== 'open') {
      await page.keyboard.press('Enter'); // a pick of loaded steps: the first
    }
    await waitFor('the request document', () => tabTitles(page), (t) => t.some((x) => x.includes('request.json')));
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await waitFor('its JSON', () => activeEditorText(page), (t) => t.includes('"model"'));
    const before = await activeEditorText(page);
    await editor.click({ position: { x: 40, y: 10 } });
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('EDITED_BY_E2E', { delay: 5 });
    await page.keyboard.press('Enter');
    await sleep(800);
    await shot(page, 'readonly');
    const afterText = await activeEditorText(page);
    assert.ok(!afterText.includes('EDITED_BY_E2E'), 'the typed text is not in the document');
    assert.equal(afterText, before, 'the document is unchanged');
    assert.equal(await page.locator('.tabs-container .tab.dirty').count(), 0, 'no tab is dirty');
    // VS Code says why: "Cannot edit in read-only editor".
    const message = await page.locator('.monaco-editor-overlaymessage').innerText().catch(() => '');
    assert.match(message, /read-only/i, 'the editor reports that it is read-only');
  }),
);

test('viewer: after a window reload the trace panel comes back, on the tab it was left on', T, () =>
  flow(session, 'restore', async (page) => {
    await closeAllEditors(page);
    await runCommand(page, 'Letta: Open Step Trace');
    await waitForQuickInput(page, STEP_PROMPT);
    await typeIntoQuickInput(page, PALETTE.stepId);
    const before = await traceFrame(page, PALETTE.model);
    await before.getByRole('tab', { name: 'Raw JSON' }).click();
    await before.locator('.jtree').waitFor({ timeout: 20000 });
    await sleep(500); // the webview saves its state (tab, scroll) as it changes
    const fetched = (await traceRequests()).length;

    // VS Code's own reload, so the workbench saves its editors (a bare page reload can lose them).
    const reloaded = page.waitForEvent('load', { timeout: 60000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    // Restored by the serializer: same title, the trace fetched again by the new extension host.
    await waitFor('the restored panel tab', () => tabTitles(page), (t) => t.some((x) => x.includes(shortStepId(PALETTE.stepId))), 60000);
    const after = await traceFrame(page, PALETTE.model, 60000);
    await after.locator('.jtree').waitFor({ timeout: 30000 });
    const selected = await after.locator('[role="tab"][aria-selected="true"]').innerText();
    assert.match(selected, /Raw JSON/, 'the Raw JSON tab is selected again');
    await shot(page, 'restore');
    assert.ok((await traceRequests()).length > fetched, 'the restored panel loaded its trace');
  }),
);

/**
 * End-to-end trust flows of the packaged extension (.vsix, production mode) in code-server: another
 * installed extension cannot reach the key through our exports; the first Open Step Trace in a
 * browser without clipboard access shows its input box; the editor context menu follows the word
 * under the right-click; documents, diffs and a file's viewer restored after a reload open.
 * The flows share one workbench and run in order.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { normalizeTrace } from '../../src/core/conversation/normalize';
import type { ProviderTrace } from '../../src/core/lettaTypes';
import { shortStepId } from '../../src/core/stepIds';
import { launchBrowser, ROOT, sleep, workbenchUrl, type Browser } from '../codeServer/codeServer';
import { loadFixtureTraces } from '../fixtures/fixtures';
import { buildHostileVsix, HOSTILE_COMMAND_TITLE, type HostileReport } from './hostileExtension';
import {
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
  typeIntoQuickInput,
  waitFor,
  waitForQuickInput,
  waitForTrace,
  type Session,
} from './ui';

interface Shown {
  stepId: string;
  model: string;
  text: string;
}

/** The model and a line of conversation the viewer shows for a trace. */
function shownOf(trace: ProviderTrace): Shown {
  const conversation = normalizeTrace(trace);
  const userTexts = conversation.messages.filter((m) => m.role === 'user').flatMap((m) => m.parts.flatMap((p) => (p.kind === 'text' ? [p.text] : [])));
  const line = (userTexts.at(-1) ?? '').split('\n').map((l) => l.trim()).find((l) => l.length >= 8) ?? '';
  return { stepId: String(trace.step_id), model: String(conversation.model ?? trace.llm_config?.model), text: line.slice(0, 40) };
}

const FIXTURES = Object.fromEntries(loadFixtureTraces().map(({ name, trace }) => [name, shownOf(trace)]));
const SAMPLE = shownOf(JSON.parse(fs.readFileSync(path.join(ROOT, 'media/sample-trace.json'), 'utf8')) as ProviderTrace);
const FIRST = FIXTURES.anthropic;
const MENU_A = FIXTURES['openai-responses'];
const MENU_B = FIXTURES.google;
const STEP_PROMPT = /ID of a step/i;
const KEY_PROMPT = /API key/i;
const KEY = 'fake-key';
const T = { timeout: 240000 };

let session: Session | undefined;
let resultsFile = '';

before(
  async () => {
    resultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'letta-hostile-')), 'report.json');
    session = await startSession({
      // A new user's browser: no clipboard permission granted.
      clipboard: false,
      extensions: [buildHostileVsix],
      env: { HOSTILE_RESULTS: resultsFile },
      files: {
        'steps.log': [`09:00:01 ${MENU_A.stepId} INFO step finished`, '09:00:02 a line with no step id at all', `09:00:03 ${MENU_B.stepId} WARN tool call retried`, ''].join('\n'),
      },
    });
  },
  { timeout: 300000 },
);

after(async () => {
  await stopSession(session);
  fs.rmSync(path.dirname(resultsFile), { recursive: true, force: true });
});

async function traceRequests(): Promise<{ path: string; authorization?: string }[]> {
  return ((await session?.fake.requests()) ?? []).filter((r) => /^\/v1\/steps\/[^/]+\/trace$/.test(r.path));
}

/** Answers the step box with `shown`'s ID and, on first use in this browser, the key box that follows; true when the key was asked. */
async function answerStepAndKey(page: Page, shown: Shown): Promise<boolean> {
  await waitForQuickInput(page, STEP_PROMPT);
  await typeIntoQuickInput(page, shown.stepId);
  const next = await waitFor(
    'the key box or the trace',
    async () => ((await quickInputText(page)).match(KEY_PROMPT) ? 'key' : (await framesText(page)).some((t) => t.includes(shown.model)) ? 'trace' : ''),
    Boolean,
    30000,
  );
  if (next === 'key') {
    await typeIntoQuickInput(page, KEY);
  }
  return next === 'key';
}

test('clipboard: the first Open Step Trace after the window loads, in a browser without clipboard access, shows its input box', T, () =>
  flow(session, 'clipboard-denied', async (page) => {
    // No command has run in this window yet: this is the first run after it loaded.
    await runCommand(page, 'Letta: Open Step Trace');
    const box = await waitForQuickInput(page, STEP_PROMPT, 15000);
    await shot(page, 'clipboard-denied-box');
    assert.ok(!/Unable to read from the browser's clipboard/i.test(await notificationsText(page)), 'no clipboard error');
    assert.match(box, /Letta: Open Step Trace/);
    // The box works: the step ID, then the key (first use, through the real key prompt).
    assert.ok(await answerStepAndKey(page, FIRST), 'the first trace asked for the key');
    await waitForTrace(page, { model: FIRST.model, text: FIRST.text });
    const reqs = await traceRequests();
    assert.ok(reqs.some((r) => r.authorization === `Bearer ${KEY}`), 'the key stored through the UI is in use');
  }),
);

test('exports: another installed extension walking our exports reaches no key', T, () =>
  flow(session, 'hostile', async (page) => {
    await clearNotifications(page);
    await runCommand(page, HOSTILE_COMMAND_TITLE);
    const report = await waitFor(
      'the hostile report',
      () => Promise.resolve(fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as HostileReport) : undefined),
      Boolean,
      60000,
    );
    assert.ok(report?.found && report.activated, `the probe found and activated our extension: ${JSON.stringify(report?.errors)}`);
    assert.ok(!report.strings.some((s) => s.includes(KEY)), `a key reached the probe through ${report.paths.slice(0, 40).join(', ')}`);
    // Production mode: nothing exported at all.
    assert.equal(report.exportsType, 'undefined', `exports: ${report.exportsType}, paths: ${report.paths.slice(0, 20).join(', ')}`);
  }),
);

test('context menu: a right-click on a step ID offers Open Step Trace for that ID, right after the cursor was elsewhere', T, () =>
  flow(session, 'context-menu', async (page) => {
    await closeAllEditors(page);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'steps.log' }).first().click();
    const lineSelector = '.editor-group-container.active .monaco-editor .view-line';
    await page.locator(lineSelector, { hasText: MENU_B.stepId }).first().waitFor({ timeout: 30000 });
    // The cursor rests on the line without an ID long enough for any cursor-following state to settle.
    await page.locator(lineSelector, { hasText: 'no step id' }).first().click({ position: { x: 8, y: 5 } });
    await sleep(600);
    const point = await waitFor('the ID on screen', () => textPoint(page, lineSelector, MENU_B.stepId), Boolean, 15000);
    assert.ok(point, 'the ID is on screen');
    await page.mouse.click(point.x, point.y, { button: 'right' });
    const item = page.locator('.context-view .monaco-menu .action-item', { hasText: /Open Step Trace/ }).first();
    const shown = await item.waitFor({ timeout: 5000 }).then(
      () => true,
      () => false,
    );
    await shot(page, 'context-menu');
    assert.ok(shown, `the menu offers Open Step Trace: ${(await page.locator('.context-view').innerText().catch(() => '')).replace(/\s+/g, ' ')}`);
    await item.click();
    await waitForTrace(page, { model: MENU_B.model, text: MENU_B.text });
    assert.equal(await quickInputText(page), '', 'no box: the ID came from the right-click');
  }),
);

test('reload: restored request/response documents, a diff and a viewer from a file open again, each from its source', T, () =>
  flow(session, 'restore-sources', async (page) => {
    await closeAllEditors(page);
    // Documents of a server trace.
    await runCommand(page, 'Letta: Open Trace as JSON Documents');
    await waitForQuickInput(page, STEP_PROMPT);
    await typeIntoQuickInput(page, MENU_A.stepId);
    await waitFor('the documents', () => tabTitles(page), (t) => t.includes('request.json') && t.includes('response.json'));
    // A diff of two loaded steps.
    await runCommand(page, 'Letta: Compare with…');
    await waitForQuickInput(page, STEP_PROMPT);
    await typeIntoQuickInput(page, FIRST.stepId);
    await waitForQuickInput(page, /Compare .* with/);
    await page.keyboard.press('Enter');
    // What to compare: Request, the first choice.
    await waitForQuickInput(page, /what the provider answered/);
    await page.keyboard.press('Enter');
    const diffTitle = `Request: ${shortStepId(FIRST.stepId)}`;
    await waitFor('the diff', () => tabTitles(page), (t) => t.some((x) => x.startsWith(diffTitle)));
    // The sample trace, from a file, in the viewer.
    await runCommand(page, 'Letta: Open Sample Trace');
    await waitForTrace(page, { model: SAMPLE.model, text: SAMPLE.text });
    await sleep(500); // the webview saves its state (step and source) as it renders
    await session?.fake.reset();

    const reloaded = page.waitForEvent('load', { timeout: 60000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await waitFor(
      'the restored tabs',
      () => tabTitles(page),
      (t) => t.includes('request.json') && t.includes('response.json') && t.some((x) => x.startsWith(diffTitle)) && t.some((x) => x.startsWith(shortStepId(SAMPLE.stepId))),
      60000,
    );
    // The viewer from a file shows the file's trace again, and asked no server for it.
    await waitForTrace(page, { model: SAMPLE.model, text: SAMPLE.text, ms: 60000 });
    assert.ok(!(await traceRequests()).some((r) => r.path.includes(SAMPLE.stepId)), 'the sample was read from its file, not fetched');
    // Each restored editor shows its JSON (a failure would show "Unable to resolve" or an error text).
    for (const title of ['response.json', 'request.json']) {
      await page.locator('.tabs-container .tab', { hasText: title }).first().click();
      const text = await waitFor(`${title} restored`, () => activeEditorText(page), (t) => t.includes('"'), 30000);
      assert.ok(!/could not be|Unable to resolve/i.test(text), `${title}: ${text.slice(0, 200)}`);
    }
    await page.locator('.tabs-container .tab', { hasText: diffTitle }).first().click();
    const diff = await waitFor(
      'the restored diff',
      async () => (await page.locator('.editor-group-container.active .monaco-diff-editor .view-lines').allInnerTexts().catch(() => [])).join('\n'),
      (t) => t.includes('"model"'),
      30000,
    );
    assert.ok(diff.includes('"model"'));
    await shot(page, 'restore-sources');
    assert.deepEqual(await framesText(page).then((f) => f.filter((x) => /could not|cannot be read/i.test(x))), [], 'no viewer says it could not load');
  }),
);

test('clipboard: with clipboard access the box is not filled unasked, and "Paste step ID from clipboard" fills it', T, () =>
  flow(session, 'clipboard-granted', async () => {
    assert.ok(session);
    // A second window, in a browser that granted clipboard access, loaded afresh.
    let second: Browser | undefined;
    try {
      second = await launchBrowser(session.base, { clipboard: true, profile: 'chrome-clipboard' });
      const page = second.page;
      await page.goto(workbenchUrl(session.server, session.folder), { waitUntil: 'domcontentloaded', timeout: 120_000 });
      await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
      await page.evaluate((text) => (globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }).navigator.clipboard.writeText(text), MENU_A.stepId);
      await runCommand(page, 'Letta: Open Step Trace');
      await waitForQuickInput(page, STEP_PROMPT, 15000);
      const input = page.locator('.quick-input-widget .quick-input-box input');
      assert.equal(await input.inputValue(), '', 'not filled from the clipboard unasked');
      await page.locator('.quick-input-widget .action-label[aria-label="Paste step ID from clipboard"]').first().click();
      await waitFor('the pasted ID', () => input.inputValue(), (v) => v === MENU_A.stepId, 10000);
      await shot(page, 'clipboard-granted-pasted');
      await input.press('Enter');
      // A browser keeps its own SecretStorage: this new one asks for the key once.
      const next = await waitFor(
        'the key box or the trace',
        async () => ((await quickInputText(page)).match(KEY_PROMPT) ? 'key' : (await framesText(page)).some((t) => t.includes(MENU_A.model)) ? 'trace' : ''),
        Boolean,
        30000,
      );
      if (next === 'key') {
        await typeIntoQuickInput(page, KEY);
      }
      await waitForTrace(page, { model: MENU_A.model, text: MENU_A.text });
    } finally {
      await second?.context.close().catch(() => undefined);
    }
  }),
);

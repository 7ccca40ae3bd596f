// End-to-end flows of the packaged extension (.vsix) in code-server, against the fake Letta server.
// The flows share one workbench and run in order: the first one meets the key prompt on first use.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { ROOT, sleep } from '../codeServer/codeServer.mjs';
import {
  SCREENSHOTS, activeEditorText, clearNotifications, closeAllEditors, flow, framesText, notificationsText, quickInputText, runCommand, shot,
  startSession, stopSession, tabTitles, typeIntoQuickInput, waitFor, waitForQuickInput, waitForTrace,
} from './ui.mjs';

const require = createRequire(import.meta.url);
const { describeStepIdProblem } = require(path.join(ROOT, 'out/src/core/stepIds.js'));

// step_id → model of the recorded fixtures the fake serves.
const FIXTURES = Object.fromEntries(
  fs.readdirSync(path.join(ROOT, 'test/fixtures/traces')).filter((f) => f.endsWith('.json')).map((f) => {
    const t = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/traces', f), 'utf8'));
    return [f.replace(/\.json$/, ''), { stepId: t.step_id, model: String(t.llm_config?.model ?? t.request_json?.model) }];
  }),
);
const PALETTE = FIXTURES.anthropic;
const BAD_KEY = FIXTURES['openai-chat'];
const HOVER = FIXTURES['openai-responses'];
const STEP_PROMPT = /ID of a step/i;
const TREE_DONE = fs.existsSync(path.join(ROOT, 'src/host/traceTree.ts'));

let session;
const T = { timeout: 180000 };

before(async () => {
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
}, { timeout: 240000 });

after(async () => {
  await stopSession(session);
  console.log(`screenshots: ${SCREENSHOTS}`);
});

async function traceRequests() {
  return (await session.fake.requests()).filter((r) => /^\/v1\/steps\/[^/]+\/trace$/.test(r.path));
}

test('palette: first use asks for the key, then the trace of a typed step ID shows', T, () => flow(session, 'palette', async (page) => {
  await runCommand(page, 'Letta: Open Step Trace');
  // The step ID and the key are both asked for; answer whichever comes.
  let askedForKey = false;
  for (let i = 0; i < 2; i++) {
    const text = await waitForQuickInput(page, /API key|ID of a step/i);
    if (/API key/i.test(text)) {
      askedForKey = true;
      await shot(page, 'palette-key-prompt');
      await typeIntoQuickInput(page, 'fake-key');
    } else {
      await typeIntoQuickInput(page, PALETTE.stepId);
    }
    await sleep(500);
    if (!(await quickInputText(page))) break;
  }
  assert.ok(askedForKey, 'the first trace asked for the API key');
  const shown = await waitForTrace(page, { model: PALETTE.model });
  await shot(page, 'palette-trace');
  const reqs = await traceRequests();
  assert.ok(reqs.some((r) => r.path === `/v1/steps/${PALETTE.stepId}/trace` && r.authorization === 'Bearer fake-key'), `trace fetched with the key: ${JSON.stringify(reqs)}`);
  console.log(`  trace shown in the ${shown.where}`);
}));

test('palette: a wrong step ID gets the validation message and fetches nothing', T, () => flow(session, 'palette-invalid', async (page) => {
  await session.fake.reset();
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
}));

test('palette: a rejected key shows the notification with "Set API Key", which fixes it', T, () => flow(session, 'palette-bad-key', async (page) => {
  await closeAllEditors(page);
  await clearNotifications(page);
  await runCommand(page, 'Letta: Set API Key');
  await waitForQuickInput(page, /API key/i);
  await typeIntoQuickInput(page, 'wrong-key');
  await sleep(500);
  await session.fake.reset();
  await runCommand(page, 'Letta: Open Step Trace');
  await waitForQuickInput(page, STEP_PROMPT);
  await typeIntoQuickInput(page, BAD_KEY.stepId);
  await waitFor('the rejection notification', () => notificationsText(page), (t) => /rejected the API key/i.test(t));
  const button = page.locator('.notifications-toasts .monaco-button', { hasText: 'Set API Key' }).first();
  await button.waitFor({ timeout: 5000 });
  await shot(page, 'palette-bad-key');
  const reqs = await traceRequests();
  assert.ok(reqs.some((r) => r.authorization === 'Bearer wrong-key'), 'the wrong key was sent');
  assert.ok(!(await notificationsText(page)).includes('wrong-key'), 'the key is not in the message');
  // The button leads to the key prompt and, once set, to the trace.
  await button.click();
  await waitForQuickInput(page, /API key/i);
  await typeIntoQuickInput(page, 'fake-key');
  await waitForTrace(page, { model: BAD_KEY.model }).catch(async (e) => {
    e.message += `\nrequests: ${JSON.stringify(await traceRequests())}\nnotifications: ${await notificationsText(page)}`;
    throw e;
  });
  await shot(page, 'palette-bad-key-fixed');
}));

test('hover: a step ID in a .log file has a hover whose "Open Trace" opens the trace', T, () => flow(session, 'hover', async (page) => {
  await closeAllEditors(page);
  await clearNotifications(page);
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'app.log' }).first().click();
  const line = page.locator('.editor-group-container.active .monaco-editor .view-line:visible', { hasText: HOVER.stepId }).first();
  await line.waitFor({ timeout: 15000 });
  // The middle of the ID on screen, from the text nodes (the line is split into token spans).
  const point = await line.evaluate((el, id) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let text = '';
    const nodes = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, text.length]); text += n.textContent; }
    const target = text.replace(/\u00a0/g, ' ').indexOf(id) + Math.floor(id.length / 2);
    for (const [n, start] of nodes) {
      if (target >= start && target < start + n.textContent.length) {
        const r = document.createRange();
        r.setStart(n, target - start);
        r.setEnd(n, target - start + 1);
        const b = r.getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      }
    }
    return null;
  }, HOVER.stepId);
  assert.ok(point, 'the step ID is on screen');
  const hover = page.locator('.monaco-hover:visible', { hasText: 'Letta step' }).first();
  let shown = false;
  for (let i = 0; i < 8 && !shown; i++) {
    await page.mouse.move(point.x + (i % 3) * 8, point.y, { steps: 4 });
    shown = await hover.waitFor({ timeout: 2500 }).then(() => true, () => false);
    if (!shown) await page.mouse.move(point.x, point.y + 300);
  }
  assert.ok(shown, 'the hover shows over the step ID');
  const text = (await hover.innerText()).replace(/\s+/g, ' ');
  assert.ok(text.includes(HOVER.stepId), `the hover names the step: ${text}`);
  await shot(page, 'hover');
  await hover.locator('a', { hasText: 'Open Trace' }).first().click();
  await waitForTrace(page, { model: HOVER.model });
  await shot(page, 'hover-trace');
}));

test('tree: the Letta view lists the agents; expanding one and opening a step shows its trace', { ...T, skip: TREE_DONE ? false : 'src/host/traceTree.ts does not exist yet' }, () => flow(session, 'tree', async (page) => {
  await closeAllEditors(page);
  await page.locator('.activitybar .action-item a[aria-label^="Letta"], .activitybar .action-item [aria-label^="Letta"]').first().click();
  const agentName = session.agents[0].name;
  const agent = page.locator('.pane-body .monaco-list-row', { hasText: agentName }).first();
  await agent.waitFor({ timeout: 20000 });
  const level = Number(await agent.getAttribute('aria-level'));
  if ((await agent.getAttribute('aria-expanded')) !== 'true') await agent.click();
  const step = page.locator(`.pane-body .monaco-list-row[aria-level="${level + 1}"]`).first();
  await step.waitFor({ timeout: 20000 });
  await shot(page, 'tree');
  const label = await step.innerText();
  await step.click();
  // The agent's newest steps are the fixtures: any of their models.
  const models = [...new Set(Object.values(FIXTURES).map((f) => f.model))];
  await waitFor(`a trace for "${label}"`, async () => {
    const frames = (await framesText(page)).join('\n');
    const editor = await activeEditorText(page);
    return models.some((m) => frames.includes(m) || editor.includes(m));
  }, Boolean, 30000);
  await shot(page, 'tree-trace');
}));

test('read-only documents: typing into the request document changes nothing', T, () => flow(session, 'readonly', async (page) => {
  await closeAllEditors(page);
  await runCommand(page, 'Letta: Open Request JSON');
  // Either a box for the step (typed, or picked from the loaded ones) or the document straight away.
  const text = await waitFor('a step prompt or the document', async () => (await quickInputText(page)) || ((await tabTitles(page)).some((x) => x.includes('request.json')) ? 'open' : ''), Boolean);
  if (STEP_PROMPT.test(text)) await typeIntoQuickInput(page, PALETTE.stepId);
  else if (text !== 'open') await page.keyboard.press('Enter'); // a pick of loaded steps: the first
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
}));

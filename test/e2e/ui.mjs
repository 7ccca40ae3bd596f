// Driving the VS Code workbench in code-server from playwright-core: the session (fake Letta server,
// code-server with the packaged .vsix installed, Chromium) and small helpers for the palette, quick
// inputs, notifications, editors, hovers and webviews.
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, installVsix, launchBrowser, makeRunDir, removeRunDir, sleep, startCodeServer, startFake, workbenchUrl,
} from '../codeServer/codeServer.mjs';

export const SCREENSHOTS = path.join(ROOT, '.test-work/screenshots');

/**
 * Everything one e2e file needs: a fake server requiring `fake-key`, a workspace with a log of
 * fixture step IDs, code-server with the .vsix installed and `letta.baseUrl` pointing at the fake.
 */
export async function startSession({ settings = {}, files = {} } = {}) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const base = makeRunDir('e2e');
  const session = { base, fake: undefined, server: undefined, browser: undefined, page: undefined };
  try {
    session.fake = await startFake({ key: 'fake-key' });
    const data = await session.fake.data();
    session.stepIds = data.traceStepIds;
    session.agents = data.agents;
    const folder = path.join(base, 'ws');
    const [a, b, c] = session.stepIds;
    if (!files['app.log']) fs.writeFileSync(path.join(folder, 'app.log'), [
      `${a} INFO agent step finished in 2318 ms`,
      'plain line without an id',
      `${b} WARN tool call retried`,
      `${c} INFO agent step finished`,
      '',
    ].join('\n'));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
    installVsix(base);
    session.server = await startCodeServer({ base, folder, settings: { 'letta.baseUrl': session.fake.url, ...settings } });
    session.browser = await launchBrowser(base);
    session.page = session.browser.page;
    // The step-ID box reads the clipboard for a default; without the permission the workbench shows an error.
    await session.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.server.url });
    await session.page.goto(workbenchUrl(session.server, folder));
    await session.page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    // The explorer shows the folder once the remote file system is up.
    await session.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'app.log' }).first().waitFor({ timeout: 30000 });
    return session;
  } catch (e) {
    await shot(session.page, 'startup-failure');
    await stopSession(session);
    throw e;
  }
}

export async function stopSession(session) {
  if (!session) return;
  await session.browser?.context.close().catch(() => {});
  await session.server?.stop();
  await session.fake?.stop();
  removeRunDir(session.base);
}

export async function shot(page, name) {
  if (!page) return undefined;
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file }).catch(() => {});
  return file;
}

/** Runs `fn(page)`; on failure saves `<name>-failure.png` before rethrowing. */
export async function flow(session, name, fn) {
  try {
    await fn(session.page);
  } catch (e) {
    const file = await shot(session.page, `${name}-failure`);
    if (e instanceof Error) e.message += `\n(screenshot: ${file})`;
    throw e;
  } finally {
    // Boxes with ignoreFocusOut stay open until dismissed; close whatever a failure left.
    for (let i = 0; i < 3 && (await quickInputText(session.page)); i++) await session.page.keyboard.press('Escape').catch(() => {});
  }
}

/** Polls `get` until `check` holds; the last value is in the error. */
export async function waitFor(what, get, check = Boolean, ms = 20000) {
  const end = Date.now() + ms;
  let value;
  for (;;) {
    value = await get();
    if (check(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)?.slice(0, 500)}`);
    await sleep(250);
  }
}

const quickInput = (page) => page.locator('.quick-input-widget');
const quickInputBox = (page) => page.locator('.quick-input-widget .quick-input-box input');

/**
 * Runs a palette command by its label. A command contributed by an extension that is still
 * activating can be missing from the list at first, so this retries.
 */
export async function runCommand(page, label) {
  for (let attempt = 0; attempt < 12; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = quickInputBox(page);
    if (!(await input.isVisible({ timeout: 3000 }).catch(() => false))) { await sleep(500); continue; }
    await input.fill(`>${label}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    if (await row.waitFor({ timeout: 2500 }).then(() => true, () => false)) {
      await row.click();
      return;
    }
    await sleep(1000);
  }
  throw new Error(`command "${label}" never appeared in the palette`);
}

/** The visible quick input's text (title, prompt, validation), or '' when hidden. */
export async function quickInputText(page) {
  const w = quickInput(page);
  if (!(await w.isVisible().catch(() => false))) return '';
  return (await w.innerText().catch(() => '')).replace(/\s+/g, ' ');
}

export async function waitForQuickInput(page, pattern, ms = 20000) {
  return waitFor(`a quick input matching ${pattern}`, () => quickInputText(page), (t) => pattern.test(t), ms);
}

/** Replaces the quick input's value (which may be prefilled) and optionally accepts it. */
export async function typeIntoQuickInput(page, value, { accept = true } = {}) {
  const input = quickInputBox(page);
  await input.fill('');
  await input.type(value, { delay: 5 });
  if (accept) await input.press('Enter');
}

export async function notificationsText(page) {
  return (await page.locator('.notifications-toasts').innerText().catch(() => '')).replace(/\s+/g, ' ');
}

export async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => {});
}

export async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors');
  await sleep(300);
}

export async function tabTitles(page) {
  return page.locator('.tabs-container .tab .label-name').allInnerTexts().catch(() => []);
}

/** The text rendered in the active editor (only its visible lines). */
export async function activeEditorText(page) {
  return page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText({ timeout: 1000 }).catch(() => '');
}

/** Every frame's text: a webview's content is in nested frames. */
export async function framesText(page) {
  const texts = await Promise.all(page.frames().filter((f) => f !== page.mainFrame()).map((f) => f.evaluate(() => document.body?.innerText ?? '').catch(() => '')));
  return texts.filter(Boolean);
}

/**
 * Waits until the trace of a step shows: in the viewer (a webview frame with the model's name) or,
 * where traces open as documents, a `request.json` tab with the request's JSON.
 */
export async function waitForTrace(page, { model, ms = 30000 }) {
  return waitFor(`the trace (model ${model}) to show`, async () => {
    const frame = (await framesText(page)).find((t) => t.includes(model));
    if (frame) return { where: 'webview', text: frame.slice(0, 300) };
    const tabs = await tabTitles(page);
    const editor = await activeEditorText(page);
    if (tabs.some((t) => t.includes('request.json')) && editor.includes('"model"') && editor.includes(model)) return { where: 'documents', text: editor.slice(0, 300) };
    return undefined;
  }, Boolean, ms);
}

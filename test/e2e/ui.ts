/**
 * Driving the VS Code workbench in code-server from playwright-core: the session (fake Letta server,
 * code-server with the packaged .vsix installed, Chromium) and small helpers for the palette, quick
 * inputs, notifications, editors, hovers and webviews.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import {
  ROOT,
  installVsix,
  launchBrowser,
  makeRunDir,
  removeRunDir,
  sleep,
  startCodeServer,
  startFake,
  workbenchUrl,
  type Browser,
  type CodeServer,
  type FakeProcess,
} from '../codeServer/codeServer';

// Functions passed to page.evaluate run in the browser; this project compiles without the DOM lib.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const NodeFilter: any;

export const SCREENSHOTS = path.join(ROOT, '.test-work/screenshots');

export interface Session {
  base: string;
  folder: string;
  fake: FakeProcess;
  server: CodeServer;
  browser: Browser;
  page: Page;
  stepIds: string[];
  agents: { id: string; name: string }[];
}

/**
 * Everything one e2e file needs: a fake server that wants `fake-key`, a workspace with `files`,
 * code-server with the .vsix installed and `letta.baseUrl` pointing at the fake, and the workbench
 * loaded with the explorer showing `waitForFile`.
 */
export async function startSession({
  settings = {},
  files = {},
  waitForFile,
  extensions = [],
  env = {},
  clipboard = true,
}: {
  settings?: Record<string, unknown>;
  /** Workspace files by relative path (folders made as needed), or made from the started fake's data. */
  files?: Record<string, string> | ((fake: FakeProcess) => Record<string, string> | Promise<Record<string, string>>);
  waitForFile?: string;
  /** More .vsix files to install beside ours (built by the test in `base`). */
  extensions?: ((base: string) => string)[];
  /** Reaches the extension hosts. */
  env?: Record<string, string>;
  /** Grant the browser clipboard access (a new user's browser has none). */
  clipboard?: boolean;
} = {}): Promise<Session> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const base = makeRunDir('e2e');
  const folder = path.join(base, 'ws');
  const partial: Partial<Session> = { base, folder };
  try {
    partial.fake = await startFake({ key: 'fake-key' });
    const data = await partial.fake.data();
    partial.stepIds = data.traceStepIds;
    partial.agents = data.agents;
    const workspaceFiles = typeof files === 'function' ? await files(partial.fake) : files;
    for (const [name, text] of Object.entries(workspaceFiles)) {
      fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
      fs.writeFileSync(path.join(folder, name), text);
    }
    installVsix(base);
    for (const build of extensions) {
      installVsix(base, build(base));
    }
    partial.server = await startCodeServer({ base, folder, env, settings: { 'letta.baseUrl': partial.fake.url, ...settings } });
    partial.browser = await launchBrowser(base, { clipboard });
    partial.page = partial.browser.page;
    await partial.page.goto(workbenchUrl(partial.server, folder), { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await partial.page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    const first = waitForFile ?? Object.keys(workspaceFiles)[0];
    if (first) {
      // The explorer lists the folder once the remote file system is up.
      await partial.page.locator('.explorer-folders-view .monaco-list-row', { hasText: first }).first().waitFor({ timeout: 30000 });
    }
    return partial as Session;
  } catch (e) {
    await shot(partial.page, 'startup-failure');
    await stopSession(partial);
    throw e;
  }
}

export async function stopSession(session: Partial<Session> | undefined): Promise<void> {
  if (!session) {
    return;
  }
  await session.browser?.context.close().catch(() => undefined);
  await session.server?.stop();
  await session.fake?.stop();
  if (session.base) {
    removeRunDir(session.base);
  }
}

export async function shot(page: Page | undefined, name: string): Promise<string | undefined> {
  if (!page) {
    return undefined;
  }
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file }).catch(() => undefined);
  return file;
}

/** Runs `fn(page)`; on failure saves `<name>-failure.png` (what was on screen) before rethrowing. */
export async function flow(session: Session | undefined, name: string, fn: (page: Page) => Promise<void>): Promise<void> {
  if (!session) {
    throw new Error('the session did not start');
  }
  const stale = path.join(SCREENSHOTS, `${name}-failure.png`);
  fs.rmSync(stale, { force: true });
  try {
    await fn(session.page);
  } catch (e) {
    const file = await shot(session.page, `${name}-failure`);
    if (e instanceof Error) {
      e.message += `\n(screenshot: ${file})`;
    }
    throw e;
  } finally {
    // Boxes with ignoreFocusOut stay open until dismissed; close whatever a failure left.
    for (let i = 0; i < 3 && (await quickInputText(session.page)); i++) {
      await session.page.keyboard.press('Escape').catch(() => undefined);
    }
  }
}

/** Polls `get` until `check` holds; the last value is in the error. */
export async function waitFor<T>(what: string, get: () => Promise<T>, check: (value: T) => boolean = Boolean, ms = 20000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (check(value)) {
      return value;
    }
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)?.slice(0, 500)}`);
    }
    await sleep(250);
  }
}

const quickInput = (page: Page) => page.locator('.quick-input-widget');
const quickInputBox = (page: Page) => page.locator('.quick-input-widget .quick-input-box input');

/**
 * Runs a palette command by its label. A command contributed by an extension that is still
 * activating can be missing from the list at first, so this retries (Escape, F1, type again).
 */
export async function runCommand(page: Page, label: string): Promise<void> {
  for (let attempt = 0; attempt < 12; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = quickInputBox(page);
    if (!(await input.isVisible({ timeout: 3000 }).catch(() => false))) {
      await sleep(500);
      continue;
    }
    // The palette can close between the check and the fill (a notification or webview takes focus): try again.
    if (!(await input.fill(`>${label}`, { timeout: 3000 }).then(() => true, () => false))) {
      continue;
    }
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
export async function quickInputText(page: Page): Promise<string> {
  const w = quickInput(page);
  if (!(await w.isVisible().catch(() => false))) {
    return '';
  }
  return (await w.innerText().catch(() => '')).replace(/\s+/g, ' ');
}

export function waitForQuickInput(page: Page, pattern: RegExp, ms = 20000): Promise<string> {
  return waitFor(`a quick input matching ${pattern}`, () => quickInputText(page), (t) => pattern.test(t), ms);
}

/** Replaces the quick input's value (which may be prefilled) and optionally accepts it. */
export async function typeIntoQuickInput(page: Page, value: string, { accept = true } = {}): Promise<void> {
  const input = quickInputBox(page);
  await input.fill('');
  await input.pressSequentially(value, { delay: 5 });
  if (accept) {
    await input.press('Enter');
  }
}

export async function notificationsText(page: Page): Promise<string> {
  return (await page.locator('.notifications-toasts').innerText().catch(() => '')).replace(/\s+/g, ' ');
}

export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
}

export async function closeAllEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await sleep(300);
}

export async function tabTitles(page: Page): Promise<string[]> {
  return page.locator('.tabs-container .tab .label-name').allInnerTexts().catch(() => []);
}

/** The text rendered in the active editor (only its visible lines). */
export async function activeEditorText(page: Page): Promise<string> {
  return page
    .locator('.editor-group-container.active .monaco-editor .view-lines')
    .first()
    .innerText({ timeout: 1000 })
    .catch(() => '');
}

/** Every frame's text: a webview's content is in nested frames. */
export async function framesText(page: Page, what: 'rendered' | 'all' = 'rendered'): Promise<string[]> {
  const frames = page.frames().filter((f) => f !== page.mainFrame());
  const read = what === 'all' ? () => String(document.body?.textContent ?? '') : () => String(document.body?.innerText ?? '');
  const texts = await Promise.all(frames.map((f) => f.evaluate(read).catch(() => '')));
  return texts.filter(Boolean);
}

/**
 * Waits until the trace of a step shows: in the viewer (a webview frame with the model's name and
 * `text`, if given) or, where traces open as documents, a `request.json` tab with the request's JSON.
 */
export async function waitForTrace(page: Page, { model, text, ms = 30000 }: { model: string; text?: string; ms?: number }): Promise<{ where: string; text: string }> {
  let lastSeen: string[] = [];
  return waitFor(
    `the trace (model ${model}) to show`,
    async () => {
      // The whole text of the page: messages off screen skip rendering (`content-visibility: auto`),
      // so their words are missing from `innerText` until scrolled to, though they are there.
      const frame = (await framesText(page, 'all')).find((t) => t.includes(model) && (!text || t.includes(text)));
      if (frame) {
        return { where: 'webview', text: frame.slice(0, 300) };
      }
      const tabs = await tabTitles(page);
      const editor = await activeEditorText(page);
      if (tabs.some((t) => t.includes('request.json')) && editor.includes('"model"') && editor.includes(model)) {
        return { where: 'documents', text: editor.slice(0, 300) };
      }
      lastSeen = (await framesText(page)).filter((t) => t.includes(model)).map((t) => t.slice(0, 2000));
      return undefined;
    },
    Boolean,
    ms,
  ).catch((e: Error) => {
    // Say what the viewer did show, so a miss can be told from a viewer that never came.
    throw new Error(`${e.message}; frames with the model: ${JSON.stringify(lastSeen)}`);
  }) as Promise<{ where: string; text: string }>;
}

/** The frame of the trace viewer showing `model` (a webview's content is in nested frames). */
export async function traceFrame(page: Page, model: string, ms = 30000): Promise<Frame> {
  return waitFor(
    `a trace viewer frame showing ${model}`,
    async () => {
      for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
        const text = await frame.evaluate(() => String(document.body?.innerText ?? '')).catch(() => '');
        if (text.includes(model)) {
          return frame;
        }
      }
      return undefined;
    },
    Boolean,
    ms,
  ) as Promise<Frame>;
}

/** What is at a point of the page (for failure messages). */
export async function describeAt(page: Page, point: { x: number; y: number }): Promise<string> {
  return page.evaluate(({ x, y }) => {
    const el = document.elementFromPoint(x, y);
    return el ? `${el.tagName}.${el.className} "${String(el.textContent).slice(0, 80)}" at ${Math.round(x)},${Math.round(y)}` : 'nothing';
  }, point);
}

/**
 * Where `needle` is on screen inside `line` (the middle of it), from the line's text nodes: the editor
 * splits a line into token spans.
 */
export async function textPoint(page: Page, lineSelector: string, needle: string): Promise<{ x: number; y: number } | null> {
  const line = page.locator(lineSelector, { hasText: needle }).first();
  await line.waitFor({ timeout: 15000 });
  return line.evaluate(
    (el: unknown, id: string) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let text = '';
      const nodes: [{ textContent: string }, number][] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push([n, text.length]);
        text += n.textContent;
      }
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
    },
    needle,
  ).then((p) => (p && p.x > 0 && p.y > 0 ? p : null));
}


/** The frame of the run view showing `runId` (its header names the run). */
async function runFrame(page: Page, runId: string): Promise<Frame | undefined> {
  for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
    const text = await frame.evaluate(() => String(document.body?.innerText ?? '')).catch(() => '');
    if (text.includes(runId)) {
      return frame;
    }
  }
  return undefined;
}

/**
 * Waits until the run view of `runId` shows `steps` step rows with every trace loaded and the text
 * matches each of `expect` (e.g. the memory edit between two steps); returns the view's text.
 */
export async function waitForRunView(page: Page, runId: string, { steps, expect = [], ms = 60000 }: { steps: number; expect?: RegExp[]; ms?: number }): Promise<string> {
  const seen = await waitFor(
    `the run view of ${runId} with ${steps} steps and ${expect.join(', ')}`,
    async () => {
      const frame = await runFrame(page, runId);
      if (!frame) {
        return { rows: -1, text: '' };
      }
      return frame
        .evaluate(() => ({ rows: Number(document.querySelectorAll('ol.timeline > li').length), text: String(document.body?.innerText ?? '') }))
        .catch(() => ({ rows: -1, text: '' }));
    },
    ({ rows, text }) => rows === steps && !/loading trace/.test(text) && expect.every((re) => re.test(text)),
    ms,
  );
  return seen.text;
}

/** The view pane (in the side bar) whose header says `title`. */
export function viewPane(page: Page, title: string) {
  return page.locator('.pane').filter({ has: page.locator('.pane-header h3.title', { hasText: title }) }).first();
}

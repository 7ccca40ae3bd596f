/**
 * A Chromium page that mirrors a webview panel (the trace viewer or the run view): the host's own HTML (same CSP, nonce), the built
 * `dist/webview.js` and `dist/webview.css`, theme variables set the way VS Code sets them (CSSOM on
 * `<html>`), and a stub `acquireVsCodeApi` that records what the webview posts.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { traceHtml } from '../../src/core/viewer/traceHtml';
import type { HostMessage, WebviewMessage } from '../../src/shared/protocol';
import type { RunHostMessage, RunWebviewMessage } from '../../src/shared/runProtocol';
import { runHtml } from '../../src/core/runs/runHtml';
import type { L10nContents } from '../../src/core/localization';
import { themeBodyClass, themeVariables, type ThemeName } from './themes';

// The functions passed to `page.evaluate` run in the page; this tsconfig has no DOM types.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;

/** The fake webview origin: every request to it is answered from `dist/`; anything else is refused. */
export const ORIGIN = 'https://webview.test';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'esbuild.js'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`repository root not found above ${__dirname}`);
    }
    dir = parent;
  }
  return dir;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

export interface AppPage<Out, In> {
  page: Page;
  /** What the webview posted to the host so far. */
  posted(): Promise<Out[]>;
  /** Posts a host message into the page (as VS Code does, via `window.postMessage`). */
  send(message: In): Promise<void>;
  /** Requests the page made outside the fake origin (there should be none). */
  foreignRequests: string[];
  dialogs: string[];
}

export type ViewerPage = AppPage<WebviewMessage, HostMessage>;
export type RunViewPage = AppPage<RunWebviewMessage, RunHostMessage>;

interface PageOptions {
  theme?: ThemeName;
  /** The translations the host would pass (`vscode.l10n.bundle`); none for English. */
  l10n?: L10nContents;
  lang?: string;
  width?: number;
  height?: number;
  state?: unknown;
}

/** Opens the viewer page for `stepId`, waits for its `ready`. */
export function openViewer(browser: Browser, options: PageOptions & { stepId: string }): Promise<ViewerPage> {
  const html = traceHtml({
    cspSource: ORIGIN,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: `${ORIGIN}/dist/webview.js`,
    styleUri: `${ORIGIN}/dist/webview.css`,
    codiconsUri: `${ORIGIN}/dist/codicons/codicon.css`,
    l10n: options.l10n,
    lang: options.lang,
    stepId: options.stepId,
  });
  return openApp(browser, 'webview', html, options);
}

/** Opens the run view page for `runId` (the host's own `runHtml`, dist/run.js), waits for its `ready`. */
export function openRunView(browser: Browser, options: PageOptions & { runId: string }): Promise<RunViewPage> {
  const html = runHtml({
    cspSource: ORIGIN,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: `${ORIGIN}/dist/run.js`,
    styleUri: `${ORIGIN}/dist/run.css`,
    codiconsUri: `${ORIGIN}/dist/codicons/codicon.css`,
    l10n: options.l10n,
    lang: options.lang,
    runId: options.runId,
  });
  return openApp(browser, 'run', html, options);
}

async function openApp<Out, In>(browser: Browser, app: string, html: string, options: PageOptions): Promise<AppPage<Out, In>> {
  const dist = path.join(repoRoot(), 'dist');
  if (!fs.existsSync(path.join(dist, `${app}.js`)) || !fs.existsSync(path.join(dist, `${app}.css`))) {
    throw new Error(`dist/${app}.js is missing: run \`node esbuild.js\` first.`);
  }
  const page = await browser.newPage({ viewport: { width: options.width ?? 1100, height: options.height ?? 800 } });
  const foreignRequests: string[] = [];
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) {
      foreignRequests.push(url.href);
      await route.abort();
      return;
    }
    if (url.pathname === '/index.html') {
      await route.fulfill({ status: 200, contentType: 'text/html', body: html });
      return;
    }
    const file = path.join(dist, path.normalize(url.pathname.replace(/^\/dist\//, '')));
    if (!file.startsWith(dist) || !fs.existsSync(file)) {
      await route.fulfill({ status: 404, body: '' });
      return;
    }
    await route.fulfill({ status: 200, contentType: TYPES[path.extname(file)] ?? 'application/octet-stream', body: fs.readFileSync(file) });
  });
  await page.addInitScript((initial: unknown) => {
    const w = window as unknown as Record<string, unknown>;
    const posted: unknown[] = [];
    // What VS Code hands back from getState after a reload; `__state()` reads what the page saved.
    let state: unknown = initial ?? undefined;
    w.__state = () => state;
    w.__posted = posted;
    w.__pwned = false;
    const pwned = () => {
      w.__pwned = true;
    };
    window.alert = pwned;
    window.confirm = () => {
      pwned();
      return false;
    };
    window.prompt = () => {
      pwned();
      return null;
    };
    w.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => state,
      setState: (s: unknown) => {
        state = JSON.parse(JSON.stringify(s));
      },
    });
  }, options.state ?? null);
  const vars = themeVariables(options.theme ?? 'dark');
  await page.goto(`${ORIGIN}/index.html`);
  await page.evaluate(
    ({ vars, bodyClass }) => {
      for (const [k, v] of Object.entries(vars)) {
        document.documentElement.style.setProperty(k, v);
      }
      document.body.classList.add(bodyClass);
    },
    { vars, bodyClass: themeBodyClass(options.theme ?? 'dark') },
  );
  await page.waitForFunction(() => ((window as unknown as { __posted: { type: string }[] }).__posted ?? []).some((m) => m.type === 'ready'));
  return {
    page,
    foreignRequests,
    dialogs,
    posted: () => page.evaluate(() => (window as unknown as { __posted: Out[] }).__posted),
    send: async (message: In) => {
      // Sent as text and parsed in the page, so big payloads cross the CDP boundary once, as a string.
      await page.evaluate((text) => window.postMessage(JSON.parse(text), '*'), JSON.stringify(message));
    },
  };
}

/** Waits until the viewer has rendered everything it queued. */
export async function waitForRender(page: Page, state: 'first' | 'complete' = 'complete'): Promise<void> {
  await page.waitForFunction((s) => document.body.dataset.render === s || (s === 'first' && document.body.dataset.render === 'complete'), state, { timeout: 60_000 });
}

/** Moves a long text into `window[name]` in pieces: one CDP call with 100 MB of argument fails. */
export async function transferText(page: Page, name: string, text: string): Promise<void> {
  const PIECE = 8_000_000;
  await page.evaluate((n: string) => (window[n] = []), name);
  for (let at = 0; at < text.length; at += PIECE) {
    await page.evaluate(([n, piece]: [string, string]) => window[n].push(piece), [name, text.slice(at, at + PIECE)] as [string, string]);
  }
  await page.evaluate((n: string) => (window[n] = window[n].join('')), name);
}

/**
 * Sends `text` to the page and parses it there as a host message arrives: the median of three
 * timed `JSON.parse`s (the floor of the render benchmarks), the parsed value left in `window.__msg`.
 */
export async function parseTransferred(page: Page, text: string): Promise<number> {
  await transferText(page, '__text', text);
  return page.evaluate(() => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      window.gc?.();
      const t0 = performance.now();
      JSON.parse(window.__text);
      times.push(performance.now() - t0);
    }
    window.__msg = JSON.parse(window.__text);
    window.__text = undefined;
    window.gc?.();
    return times.sort((a, b) => a - b)[1];
  });
}

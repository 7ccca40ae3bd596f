/**
 * The first screen as a user feels it (issue 19, item 3), in code-server driven by Chromium: Enter
 * in the Open Step Trace box → the first messages on screen in the viewer, for 2, 8 and 40 MB traces
 * served by the fake server, every editor closed and the window reloaded before each measure.
 * Floors timed in the same run, alternately:
 *   (a) an empty webview panel opening (its creation → its text on screen) plus the bare fetch of
 *       the same trace (node-fetch from this process: the request and its body, no parse);
 *   (b) VS Code's own editor opening the same trace saved as a `.json` file (Quick Open → its first
 *       line on screen), or "refused" when VS Code will not show a file that large.
 * Also the bytes posted to the webview before its first paint, counted in the extension host.
 * The extension runs from this work tree in `ExtensionMode.Test` with bench/codeServer/benchHost.ts
 * as its test module, which counts what is posted and opens the empty panel.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type * as CodeServerModule from '../test/codeServer/codeServer';
import type * as Ui from '../test/e2e/ui';
import type * as TraceFile from '../src/core/traceFile';
import type * as Transport from '../src/core/httpTransport';
import type { ProviderTrace } from '../src/core/lettaTypes';
import { EMPTY_PANEL_TEXT, type HostState } from './codeServer/benchProtocol';
import { largeTraceText } from './lib/data';
import { need, OUT } from './lib/paths';
import { atMost, emit, kb, mb, ms, notMeasured, ratio, type Row } from './lib/report';
import { startBenchServer, type BenchServer } from './lib/serverProcess';
import { median, runs } from './lib/stats';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const SIZES = [2, 8, 40];
const BYTES_TARGET = 256 * 1024;
const FLOOR_TARGET = 1.3;
const EDITOR_TARGET = 0.5;
const SIZE_TARGET = 1.5;
const POLL_MS = 15;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
/** Progress on stderr (the bench log), so a slow run shows where it is. */
const say = (text: string) => process.stderr.write(`[firstScreenCode] ${text}\n`);

const firstScreenName = (size: number) => `first screen ${size} MB in code-server (Enter → first messages)`;

/** One workbench: code-server with the extension under test, Chromium on it, the bench host's port. */
interface Bench {
  page: Page;
  folder: string;
  control: string;
  port: number;
  stop(): Promise<void>;
}

async function startBench(cs: typeof CodeServerModule, server: BenchServer, files: Record<string, string>): Promise<Bench> {
  const base = cs.makeRunDir('bench');
  const folder = path.join(base, 'ws');
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(folder, name), text);
  }
  const control = path.join(base, 'control.json');
  const code = await cs.startCodeServer({
    base,
    folder,
    settings: { 'letta.baseUrl': server.url, 'letta.openTraceIn': 'webview', 'workbench.editor.restoreViewState': false, 'window.restoreWindows': 'none' },
    env: { BENCH_CONTROL_FILE: control, BENCH_API_KEY: server.apiKey },
  });
  const browser = await cs.launchBrowser(base, { clipboard: false });
  const remote = (p: string) => `vscode-remote://127.0.0.1:${code.port}${p}`;
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', remote(cs.ROOT)],
    ['extensionTestsPath', remote(path.join(OUT, 'bench/codeServer/benchHost.js'))],
  ];
  const bench: Bench = {
    page: browser.page,
    folder,
    control,
    port: 0,
    stop: async () => {
      await browser.context.close().catch(() => undefined);
      await code.stop();
      cs.removeRunDir(base);
    },
  };
  try {
    await browser.page.goto(cs.workbenchUrl(code, folder, payload), { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await hostReady(bench, 0);
    return bench;
  } catch (e) {
    await bench.stop();
    throw e;
  }
}

/** Waits for the workbench and for a bench host started after `after` (a reload starts a new one). */
async function hostReady(bench: Bench, after: number): Promise<void> {
  await bench.page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
  const end = Date.now() + 120_000;
  for (;;) {
    const info = fs.existsSync(bench.control) ? (JSON.parse(fs.readFileSync(bench.control, 'utf8')) as { port: number; startedAt: number }) : undefined;
    if (info && info.startedAt > after) {
      bench.port = info.port;
      break;
    }
    if (Date.now() > end) {
      throw new Error('the bench host did not start in the extension host within 120 s');
    }
    await sleep(100);
  }
  // The explorer lists the folder once the remote file system is up; then the start-up work settles.
  await bench.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  // Nothing restored: a stale editor or panel would show what a measure waits for before it opens.
  for (let i = 0; (await bench.page.locator('.tabs-container .tab').count()) > 0; i++) {
    if (i > 50) {
      throw new Error('editors stayed open after the window reloaded');
    }
    await host(bench, 'POST', 'closeAll');
    await sleep(200);
  }
  await sleep(1500);
}

async function host<T>(bench: Bench, method: 'GET' | 'POST', what: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${bench.port}/${what}`, { method });
  if (!res.ok) {
    throw new Error(`bench host ${what}: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as T;
}

/** Every editor closed, the window reloaded: each measure starts as a fresh window does. */
async function freshWindow(bench: Bench): Promise<void> {
  await host(bench, 'POST', 'closeAll');
  const before = Date.now();
  await bench.page.reload({ waitUntil: 'domcontentloaded', timeout: 120_000 });
  await hostReady(bench, before);
}

/** Polls the webview frames until one shows every one of `needles` in its rendered text; the time it did. */
async function frameShows(page: Page, needles: string[], ms = 60_000): Promise<number> {
  const end = Date.now() + ms;
  for (;;) {
    const frames = page.frames().filter((f) => f !== page.mainFrame());
    for (const frame of frames) {
      const found = await frame
        .evaluate((ns: string[]) => {
          const text = String(document.body?.innerText ?? '').replace(/\s+/g, ' ');
          return ns.every((n) => text.includes(n));
        }, needles)
        .catch(() => false);
      if (found) {
        return Date.now();
      }
    }
    if (Date.now() > end) {
      throw new Error(`no webview frame showed ${JSON.stringify(needles)} within ${ms / 1000} s`);
    }
    await sleep(POLL_MS);
  }
}

const quickInputBox = (page: Page) => page.locator('.quick-input-widget .quick-input-box input');

/** Enter on the step ID in the Open Step Trace box → the first message's text on screen. */
async function viewerFirstScreen(ui: typeof Ui, bench: Bench, stepId: string, needles: string[]): Promise<{ ms: number; t0: number; state: HostState }> {
  const { page } = bench;
  await ui.runCommand(page, 'Letta: Open Step Trace');
  await page.locator('.quick-input-widget', { hasText: 'step-<uuid>' }).waitFor({ timeout: 20_000 });
  await quickInputBox(page).fill(stepId);
  await sleep(200); // the box validates as it changes
  const t0 = Date.now();
  await quickInputBox(page).press('Enter');
  const t1 = await frameShows(page, needles);
  // The page's `painted` reaches the host a moment after the text is on screen.
  const end = Date.now() + 30_000;
  let state = await host<HostState>(bench, 'GET', 'state');
  while (!state.records.some((r) => r.viewType.endsWith('letta.trace') && r.paintedAt) && Date.now() < end) {
    await sleep(100);
    state = await host<HostState>(bench, 'GET', 'state');
  }
  return { ms: t1 - t0, t0, state };
}

/** An empty webview panel: asked for → its text on screen. */
async function emptyPanel(bench: Bench): Promise<number> {
  const t0 = Date.now();
  await host(bench, 'POST', 'emptyPanel');
  return (await frameShows(bench.page, [EMPTY_PANEL_TEXT])) - t0;
}

/** Quick Open on `file`, Enter → its first lines on screen; `refused` when VS Code will not show it. */
async function editorOpens(bench: Bench, file: string, needle: string): Promise<number | 'refused'> {
  const { page } = bench;
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  await quickInputBox(page).waitFor({ timeout: 10_000 });
  await quickInputBox(page).fill(file);
  // Enter takes the focused row: wait until it is this file, not a recently opened one above the results.
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: file }).first().waitFor({ timeout: 30_000 });
  const t0 = Date.now();
  await quickInputBox(page).press('Enter');
  const group = page.locator('.editor-group-container.active');
  const end = Date.now() + 120_000;
  for (;;) {
    const tab = await group.locator('.tab.active .label-name').first().innerText({ timeout: 200 }).catch(() => '');
    const lines = tab === file ? await group.locator('.monaco-editor .view-lines').first().innerText({ timeout: 200 }).catch(() => '') : '';
    if (lines.includes(needle)) {
      return Date.now() - t0;
    }
    const text = await group.innerText({ timeout: 200 }).catch(() => '');
    if (tab === file && /very large|not displayed|too large/i.test(text)) {
      return 'refused';
    }
    if (Date.now() > end) {
      throw new Error(`${file} did not show in the editor within 120 s: ${text.slice(0, 200)}`);
    }
    await sleep(POLL_MS);
  }
}

/** The bare fetch: node-fetch (the extension's HTTP client), the whole body read, no parse. */
async function bareFetch(transport: typeof Transport, server: BenchServer, stepId: string): Promise<number> {
  const t0 = performance.now();
  const res = (await transport.nodeFetch(`${server.url}/v1/steps/${stepId}/trace`, { headers: { authorization: `Bearer ${server.apiKey}` } })) as { text(): Promise<string> };
  await res.text();
  return performance.now() - t0;
}

/** The viewer's debug log lines about `stepId`, each at its time after Enter (`t0`), for the notes. */
function phases(lines: string[], stepId: string, t0: number): string {
  return lines
    .filter((l) => l.includes(stepId))
    .map((l) => {
      const [, at, text] = /^(\d+) (.*)$/s.exec(l) ?? [, String(t0), l];
      return `+${Number(at) - t0} ms ${text.replaceAll(stepId, '…')}`;
    })
    .join(' | ');
}

async function main(): Promise<void> {
  let cs: typeof CodeServerModule;
  let traceFile: typeof TraceFile;
  let transport: typeof Transport;
  let ui: typeof Ui;
  try {
    cs = need<typeof CodeServerModule>('test/codeServer/codeServer');
    traceFile = need<typeof TraceFile>('src/core/traceFile');
    transport = need<typeof Transport>('src/core/httpTransport');
    ui = need<typeof Ui>('test/e2e/ui');
    cs.assertInstalled();
    if (!fs.existsSync(path.join(cs.ROOT, 'dist/extension.js'))) {
      throw new Error('dist/extension.js is missing (node esbuild.js --production)');
    }
  } catch (e) {
    for (const size of SIZES) {
      emit(notMeasured(firstScreenName(size), e instanceof Error ? e.message : String(e), `≤ ${FLOOR_TARGET}× floor`));
    }
    return;
  }
  const server = await startBenchServer(SIZES);
  let bench: Bench | undefined;
  try {
    // The same traces as files, as Save Step Trace As writes them; the first message's words to look for.
    const files: Record<string, string> = {};
    const needles: Record<number, string> = {};
    for (const size of SIZES) {
      const trace = JSON.parse(largeTraceText(size).text) as ProviderTrace;
      trace.step_id = server.steps[size];
      files[`trace-${size}mb.json`] = traceFile.serializeTraceFile({ stepId: server.steps[size], trace, source: { kind: 'server', origin: server.url }, loadedAt: 0 });
      const user = (trace.request_json as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === 'user');
      needles[size] = String(user?.content).replace(/\s+/g, ' ').slice(0, 40);
    }
    bench = await startBench(cs, server, files);
    const n = runs(3);
    const viewer: Record<number, number[]> = {};
    const editor: Record<number, (number | 'refused')[]> = {};
    const fetches: Record<number, number[]> = {};
    const bytes: Record<number, number[]> = {};
    const notes: Record<number, string> = {};
    const empty: number[] = [];
    for (const size of SIZES) {
      viewer[size] = [];
      editor[size] = [];
      fetches[size] = [];
      bytes[size] = [];
    }
    // Warm-up: the first window after start compiles and caches what later ones reuse.
    await freshWindow(bench);
    await emptyPanel(bench);
    for (let i = 0; i < n; i++) {
      await freshWindow(bench);
      empty.push(await emptyPanel(bench));
      say(`run ${i + 1}: empty panel ${ms(empty[i])}`);
      for (const size of i % 2 ? [...SIZES].reverse() : SIZES) {
        const stepId = server.steps[size];
        fetches[size].push(await bareFetch(transport, server, stepId));
        await freshWindow(bench);
        // The trace's own ID (the header) beside the message: the builder's traces all start alike.
        const shown = await viewerFirstScreen(ui, bench, stepId, [needles[size], stepId]);
        say(`run ${i + 1}, ${size} MB: viewer ${ms(shown.ms)}, bare fetch ${ms(fetches[size][i])}`);
        viewer[size].push(shown.ms);
        const panel = shown.state.records.find((r) => r.viewType.endsWith('letta.trace'));
        bytes[size].push(panel?.paintedAt ? panel.bytesBeforePaint : Number.NaN);
        notes[size] = phases(shown.state.debugLines, stepId, shown.t0);
        await freshWindow(bench);
        editor[size].push(await editorOpens(bench, `trace-${size}mb.json`, stepId));
        say(`run ${i + 1}, ${size} MB: editor ${String(editor[size][i])}`);
      }
    }
    const emptyMs = median(empty);
    const shown = (size: number) => median(viewer[size]);
    for (const size of SIZES) {
      const floor = emptyMs + median(fetches[size]);
      emit({
        measure: firstScreenName(size),
        value: ms(shown(size)),
        floor: `${ms(floor)} (empty panel ${ms(emptyMs)} + bare fetch ${ms(median(fetches[size]))})`,
        ratio: ratio(shown(size), floor),
        target: `≤ ${FLOOR_TARGET}× floor`,
        verdict: atMost(shown(size), FLOOR_TARGET * floor),
        note: `first screen ${size} MB (${mb(server.bytes[size])}), runs ${viewer[size].map(ms).join(' / ')}; the host's debug log: ${notes[size] || 'no lines'}`,
      });
    }
    for (const size of SIZES) {
      const opened = editor[size];
      const refused = opened.includes('refused');
      const editorMs = median(opened.filter((v): v is number => v !== 'refused'));
      const row: Row = {
        measure: `first screen ${size} MB vs VS Code's editor on the .json file`,
        value: ms(shown(size)),
        floor: refused ? `refused ("not displayed because it is very large")` : `${ms(editorMs)} (Quick Open → first line)`,
        ratio: refused ? '—' : ratio(shown(size), editorMs),
        target: size === 8 ? `≤ ${EDITOR_TARGET}× the editor` : '—',
        verdict: size === 8 ? (refused ? 'not measured: the editor refused the file' : atMost(shown(size), EDITOR_TARGET * editorMs)) : 'info',
        note: `VS Code's editor, ${size} MB file (${mb(Buffer.byteLength(files[`trace-${size}mb.json`]))} pretty-printed): ${opened.map((v) => (v === 'refused' ? v : ms(v))).join(' / ')}.`,
      };
      emit(row);
    }
    const biggest = SIZES[SIZES.length - 1];
    emit({
      measure: `first screen ${biggest} MB vs ${SIZES[0]} MB in code-server`,
      value: ms(shown(biggest)),
      floor: `${ms(shown(SIZES[0]))} (${SIZES[0]} MB)`,
      ratio: ratio(shown(biggest), shown(SIZES[0])),
      target: `≤ ${SIZE_TARGET}× ${SIZES[0]} MB`,
      verdict: atMost(shown(biggest), SIZE_TARGET * shown(SIZES[0])),
    });
    for (const size of SIZES) {
      const counted = bytes[size].filter((b) => !Number.isNaN(b));
      const posted = counted.length ? Math.max(...counted) : Number.NaN;
      emit({
        measure: `bytes posted before the first screen ${size} MB (code-server)`,
        value: Number.isNaN(posted) ? '—' : kb(posted),
        floor: `${mb(server.bytes[size])} (the trace)`,
        ratio: ratio(posted, server.bytes[size]),
        target: `≤ ${kb(BYTES_TARGET)}`,
        verdict: Number.isNaN(posted) ? 'not measured: the page never said painted' : atMost(posted, BYTES_TARGET),
      });
    }
  } finally {
    await bench?.stop();
    server.stop();
  }
}

void main().then(
  () => setTimeout(() => process.exit(0), 100),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);

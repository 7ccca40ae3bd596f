/**
 * The run view in headless Chromium with the fake server's 200-step run: the webview helper's page
 * (`test/webview/page.ts`: the panel's own HTML and CSP, the built dist/run.js), the host's real
 * message (`RunTracker.model()`). Timed in the page from the `message` event (the steps have
 * arrived) to the first frame painted after it, with every row of the step list and the timeline
 * in the DOM; the floor is `JSON.parse` of the same message's text in the same page. Two messages:
 * the first one (steps in, traces pending) and the heaviest (every trace in, every change and diff).
 */
import type { Browser } from 'playwright-core';
import { errorMessage } from '../src/core/errorMessage';
import type * as PageModule from '../test/webview/page';
import type * as RunModelModule from '../src/core/runs/runModel';
import type * as FakeData from '../test/fakeLetta/data';
import type { Run } from '../src/core/lettaTypes';
import { atMost, emit, mb, ms, notMeasured, ratio } from './lib/report';
import { need } from './lib/paths';
import { median, runs } from './lib/stats';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const MessageEvent: any;
declare function requestAnimationFrame(cb: () => void): number;

const TARGET_MS = 300;
const name = (what: string) => `run view: 200 steps on screen, ${what} (webview, to first paint)`;

async function oneRun(pages: typeof PageModule, browser: Browser, runId: string, text: string, rows: number): Promise<{ paint: number; parse: number }> {
  const view = await pages.openRunView(browser, { runId });
  const { page } = view;
  try {
    const parse = await pages.parseTransferred(page, text);
    const paint = await page.evaluate(
      (expected: number) =>
        new Promise<number>((resolve, reject) => {
          setTimeout(() => {
            const t0 = performance.now();
            window.dispatchEvent(new MessageEvent('message', { data: window.__msg }));
            requestAnimationFrame(() =>
              setTimeout(() => {
                const at = performance.now() - t0;
                const drawn = document.querySelectorAll('li.step-row .bar-track').length;
                if (drawn !== expected) {
                  reject(new Error(`${drawn} of ${expected} rows on screen`));
                }
                resolve(at);
              }, 0),
            );
          }, 200);
        }),
      rows,
    );
    return { paint, parse };
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  let pages: typeof PageModule;
  let tracker: typeof RunModelModule.RunTracker;
  let data: FakeData.FakeData;
  try {
    pages = need<typeof PageModule>('test/webview/page');
    tracker = need<typeof RunModelModule>('src/core/runs/runModel').RunTracker;
    data = need<typeof FakeData>('test/fakeLetta/data').buildFakeData({ agents: 3, stepsPerAgent: 12 });
  } catch (e) {
    emit(notMeasured(name('steps in'), errorMessage(e), `≤ ${TARGET_MS} ms`));
    return;
  }
  const runId = data.named?.long ?? '';
  const run = data.runs.find((r) => r.run.id === runId)?.run as Run;
  const steps = data.steps.filter((s) => s.run_id === runId).reverse();
  const pending = new tracker(run, steps);
  const complete = new tracker(run, steps);
  for (const s of steps) {
    const trace = data.traces.get(s.id);
    complete.setTrace(s.id, trace ? { kind: 'loaded', trace } : { kind: 'none' });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: [...pages.CHROMIUM_ARGS, '--js-flags=--expose-gc'] });
  try {
    for (const [what, t] of [
      ['steps in, traces pending', pending],
      ['every trace in (changes and diffs)', complete],
    ] as const) {
      const text = JSON.stringify({ type: 'run', model: t.model() });
      const n = runs(5);
      const results: { paint: number; parse: number }[] = [];
      for (let i = 0; i < n; i++) {
        results.push(await oneRun(pages, browser, runId, text, steps.length));
      }
      const paint = median(results.map((r) => r.paint));
      const floor = median(results.map((r) => r.parse));
      emit({
        measure: name(what),
        value: ms(paint),
        floor: `${ms(floor)} (JSON.parse in page)`,
        ratio: ratio(paint, floor),
        target: `≤ ${TARGET_MS} ms`,
        verdict: atMost(paint, TARGET_MS),
        note: `message ${mb(Buffer.byteLength(text))}, ${steps.length} rows; median of ${n} fresh pages, from the message event to the first frame painted with every row in the DOM.`,
      });
    }
  } finally {
    await browser.close();
  }
}

void main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});

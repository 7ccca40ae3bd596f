/**
 * First render of the trace viewer in headless Chromium, for 1, 10 and 50 MB traces: the webview
 * helper's page (`test/webview/page.ts`: the panel's own HTML and CSP, the built dist/webview.js,
 * a stub `acquireVsCodeApi`), the host's real payload (`buildTraceData`). Timed in the page from the
 * `message` event (the data has arrived) to the first frame painted after it; the floor is
 * `JSON.parse` of the same message's text in the same page. Long tasks come from a
 * `PerformanceObserver` for `longtask`, from the message until the render is complete.
 */
import type { Browser } from 'playwright-core';
import { errorMessage } from '../src/core/errorMessage';
import type * as PageModule from '../test/webview/page';
import type * as Payload from '../src/core/viewer/tracePayload';
import type { ProviderTrace } from '../src/core/lettaTypes';
import { largeTraceText } from './lib/data';
import { atMost, emit, mb, ms, notMeasured, ratio } from './lib/report';
import { need } from './lib/paths';
import { median, runs } from './lib/stats';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const PerformanceObserver: any;
declare const MutationObserver: any;
declare const MessageEvent: any;
declare function requestAnimationFrame(cb: () => void): number;

const SIZES = [1, 10, 50];
const RUNS: Record<number, number> = { 1: 5, 10: 4, 50: 3 };
const FIRST_RENDER_TARGET_MS: Record<number, number | undefined> = { 10: 300 };
const LONG_TASK_TARGET_MS = 200;
/** How long a run watches the rest of the render (and its long tasks) before moving on. */
const COMPLETE_CAP_MS = 5000;
const renderName = (size: number) => `first render ${size} MB (webview, to first paint)`;
const longTaskName = (size: number) => `longest task ${size} MB (webview, until render complete)`;

interface RunResult {
  firstPaint: number;
  sync: number;
  /** Undefined when the render was still going after `COMPLETE_CAP_MS`. */
  complete?: number;
  parse: number;
  longTasks: number[];
}

async function oneRun(pages: typeof PageModule, browser: Browser, stepId: string, text: string): Promise<RunResult> {
  const viewer = await pages.openViewer(browser, { stepId });
  const { page } = viewer;
  try {
    const parse = await pages.parseTransferred(page, text);
    const r = await page.evaluate(
      (cap: number) =>
        new Promise<Omit<RunResult, 'parse'>>((resolve) => {
          const longTasks: { start: number; duration: number }[] = [];
          const po = new PerformanceObserver((list: any) => {
            for (const e of list.getEntries()) {
              longTasks.push({ start: e.startTime, duration: e.duration });
            }
          });
          po.observe({ type: 'longtask' });
          setTimeout(() => {
            let firstPaint = 0;
            let sync = 0;
            let completeAt = 0;
            const t0 = performance.now();
            const finish = () => {
              // Long-task entries are delivered after the task; give them a moment.
              setTimeout(() => {
                po.disconnect();
                resolve({ firstPaint, sync, complete: completeAt ? completeAt - t0 : undefined, longTasks: longTasks.filter((l) => l.start + l.duration >= t0).map((l) => l.duration) });
              }, 300);
            };
            const done = () => document.body.dataset.render === 'complete';
            const mo = new MutationObserver(() => {
              if (done() && !completeAt) {
                completeAt = performance.now();
                mo.disconnect();
                if (firstPaint) {
                  finish();
                }
              }
            });
            mo.observe(document.body, { attributes: true, attributeFilter: ['data-render'] });
            window.dispatchEvent(new MessageEvent('message', { data: window.__msg }));
            setTimeout(() => {
              if (!completeAt) {
                mo.disconnect();
                finish();
              }
            }, cap);
            sync = performance.now() - t0;
            requestAnimationFrame(() =>
              setTimeout(() => {
                firstPaint = performance.now() - t0;
                if (completeAt || done()) {
                  completeAt ||= performance.now();
                  mo.disconnect();
                  finish();
                }
              }, 0),
            );
          }, 200);
        }),
      COMPLETE_CAP_MS,
    );
    return { ...r, parse };
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  let pages: typeof PageModule;
  let buildTraceData: typeof Payload.buildTraceData;
  try {
    pages = need<typeof PageModule>('test/webview/page');
    buildTraceData = need<typeof Payload>('src/core/viewer/tracePayload').buildTraceData;
  } catch (e) {
    const why = errorMessage(e);
    for (const size of SIZES) {
      emit(notMeasured(renderName(size), why, FIRST_RENDER_TARGET_MS[size] ? `≤ ${FIRST_RENDER_TARGET_MS[size]} ms` : '—'));
    }
    emit(notMeasured(longTaskName(50), why, `≤ ${LONG_TASK_TARGET_MS} ms`));
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  // The page helper's arguments, plus a GC the page can call between runs.
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: [...pages.CHROMIUM_ARGS, '--js-flags=--expose-gc'] });
  try {
    console.error(`chromium ${browser.version()}`);
    for (const size of SIZES) {
      const { text: traceText, stepId } = largeTraceText(size);
      const trace = JSON.parse(traceText) as ProviderTrace;
      const message = { type: 'trace', data: buildTraceData({ stepId, trace, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 0 }) };
      const text = JSON.stringify(message);
      const n = runs(RUNS[size]);
      const results: RunResult[] = [];
      for (let i = 0; i < n; i++) {
        results.push(await oneRun(pages, browser, stepId, text));
      }
      const first = median(results.map((r) => r.firstPaint));
      const floor = median(results.map((r) => r.parse));
      const longest = median(results.map((r) => Math.max(0, ...r.longTasks)));
      const completes = results.map((r) => r.complete);
      const complete = completes.every((c) => c !== undefined)
        ? ms(median(completes.map((c) => c ?? 0)))
        : `not complete after ${COMPLETE_CAP_MS / 1000} s in ${completes.filter((c) => c === undefined).length} of ${n} runs`;
      const target = FIRST_RENDER_TARGET_MS[size];
      emit({
        measure: renderName(size),
        value: ms(first),
        floor: `${ms(floor)} (JSON.parse in page)`,
        ratio: ratio(first, floor),
        target: target ? `≤ ${target} ms` : '—',
        verdict: target ? atMost(first, target) : 'info',
        note:
          `render ${size} MB (message ${mb(Buffer.byteLength(text))}), median of ${n} fresh pages: message handler ${ms(median(results.map((r) => r.sync)))}, ` +
          `first paint ${ms(first)}, render complete ${complete}; ` +
          `longest task ${ms(longest)} (long tasks per run, watched until complete or ${COMPLETE_CAP_MS / 1000} s: ${results.map((r) => r.longTasks.length).join('/')}).`,
      });
      if (size === 50) {
        emit({
          measure: longTaskName(size),
          value: ms(longest),
          floor: `${ms(floor)} (JSON.parse in page)`,
          ratio: ratio(longest, floor),
          target: `≤ ${LONG_TASK_TARGET_MS} ms`,
          verdict: atMost(longest, LONG_TASK_TARGET_MS),
        });
      }
    }
  } finally {
    await browser.close();
  }
}

void main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});

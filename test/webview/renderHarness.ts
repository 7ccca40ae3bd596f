/**
 * Measures the trace viewer in Chromium for the benchmark: the messages the host would post (the
 * payload split as `TracePanel` splits it) go in one task each, and the page reports how long the
 * first screen and the whole render took.
 *
 * - `jsonParseMs`: `JSON.parse` of the whole payload's JSON text in the page: the floor, what any
 *   viewer that receives the trace as one JSON message pays before it can show anything.
 * - `firstRenderMs`: from posting the first message to the end of the first rendered screen
 *   (header, tabs, first and last messages, response).
 * - `completeMs`: until everything queued for the Conversation tab is rendered.
 * - `longestTaskMs`: the longest main-thread task from the first post until rendering is complete
 *   and every message has arrived (Long Tasks API: tasks of 50 ms and more; 0 if none).
 * - `rawRenderMs`: opening the Raw JSON tab until its tree shows (the text is parsed in slices).
 * - `rawLongestTaskMs`: the longest task while the Raw JSON tab opens.
 * - `messages`: how many messages the payload was split into.
 */
import type { Browser, Page } from 'playwright-core';
import type { LoadedTrace, ProviderTrace } from '../../src/core/lettaTypes';
import { buildTraceData, splitTraceData } from '../../src/core/viewer/tracePayload';
import type { TraceData } from '../../src/shared/protocol';
import { buildLargeTrace } from '../fixtures/builders';
import { launchBrowser, openViewer, transferText, waitForRender } from './page';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const performance: any;
declare const PerformanceObserver: any;

export interface RenderTimings {
  firstRenderMs: number;
  jsonParseMs: number;
  longestTaskMs: number;
  completeMs: number;
  rawRenderMs: number;
  rawLongestTaskMs: number;
  /** Length of the payload's JSON text, all messages together. */
  payloadChars: number;
  messages: number;
}

function toData(input: number | ProviderTrace | TraceData): TraceData {
  // A number is a size in bytes: a generated trace of about that size (what `npm run bench` passes).
  const value: ProviderTrace | TraceData = typeof input === 'number' ? buildLargeTrace(input) : input;
  // ProviderTrace has an index signature, so `in` checks cannot narrow between the two: cast once here.
  if ('conversation' in value && 'summary' in value) {
    return value as TraceData;
  }
  const trace = value;
  const loaded: LoadedTrace = {
    stepId: typeof trace.step_id === 'string' ? trace.step_id : 'step-00000000-0000-4000-8000-000000000000',
    trace,
    source: { kind: 'server', origin: 'https://api.letta.com' },
    loadedAt: Date.now(),
  };
  return buildTraceData(loaded);
}

async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__longTasks = [];
    try {
      new PerformanceObserver((list: any) => window.__longTasks.push(...list.getEntries().map((e: any) => ({ start: e.startTime, duration: e.duration })))).observe({ type: 'longtask' });
    } catch {
      // No Long Tasks API: the longest task stays 0.
    }
  });
}

function longestSince(page: Page, since: number): Promise<number> {
  return page.evaluate((at: number) => (window.__longTasks as { start: number; duration: number }[]).filter((t) => t.start + t.duration > at).reduce((m, t) => Math.max(m, t.duration), 0), since);
}

/**
 * Loads the viewer page, posts the payload (a size in bytes or a ProviderTrace is first turned into
 * the host's payload, as the panel does), returns timings.
 */
export async function measureRender(input: number | ProviderTrace | TraceData, options: { browser?: Browser } = {}): Promise<RenderTimings> {
  const data = toData(input);
  const texts = splitTraceData(data).map((m) => JSON.stringify(m));
  const browser = options.browser ?? (await launchBrowser());
  try {
    const viewer = await openViewer(browser, { stepId: data.stepId });
    const { page } = viewer;
    await watchLongTasks(page);
    // The floor: one JSON.parse of the whole payload, as a one-message viewer would need.
    const whole = JSON.stringify({ type: 'trace', data });
    await transferText(page, '__whole', whole);
    const jsonParseMs: number = await page.evaluate(() => {
      const t0 = performance.now();
      JSON.parse(window.__whole);
      const ms = performance.now() - t0;
      window.__whole = undefined;
      return ms;
    });
    // The real messages, parsed in the page untimed (VS Code hands the webview the decoded message).
    await page.evaluate(() => (window.__queue = []));
    for (const [i, text] of texts.entries()) {
      await transferText(page, `__m${i}`, text);
      await page.evaluate((n: string) => {
        window.__queue.push(JSON.parse(window[n]));
        window[n] = undefined;
      }, `__m${i}`);
    }
    await page.waitForTimeout(100);
    // Each message is posted in its own task, as separate host messages arrive.
    const postedAt: number = await page.evaluate(() => {
      const at = performance.now();
      const queue: unknown[] = window.__queue;
      window.__queue = undefined;
      const next = () => {
        const m = queue.shift();
        if (m !== undefined) {
          window.postMessage(m, '*');
          setTimeout(next, 0);
        } else {
          window.__allPosted = true;
        }
      };
      next();
      return at;
    });
    await page.waitForFunction(() => window.__allPosted === true, undefined, { timeout: 120_000 });
    await waitForRender(page, 'complete');
    await page.waitForTimeout(150); // let the last long task be reported
    const timings = await page.evaluate((at: number) => {
      // A PerformanceMeasure has no endTime: it ends at startTime + duration.
      const end = (name: string): number | undefined => {
        const entry = performance.getEntriesByName(name).pop();
        return entry ? entry.startTime + entry.duration : undefined;
      };
      return { first: (end('letta:first-render') ?? NaN) - at, complete: (end('letta:render-complete') ?? NaN) - at };
    }, postedAt);
    const longestTaskMs = await longestSince(page, postedAt);

    const rawAt: number = await page.evaluate(() => performance.now());
    const rawStart = Date.now();
    await page.getByRole('tab', { name: 'Raw JSON' }).click();
    await page.locator('.jtree').waitFor({ timeout: 120_000 });
    const rawRenderMs = Date.now() - rawStart;
    await page.waitForTimeout(150);
    const rawLongestTaskMs = await longestSince(page, rawAt);
    await page.close();
    return {
      firstRenderMs: timings.first,
      jsonParseMs,
      longestTaskMs,
      completeMs: timings.complete,
      rawRenderMs,
      rawLongestTaskMs,
      payloadChars: texts.reduce((n, t) => n + t.length, 0),
      messages: texts.length,
    };
  } finally {
    if (!options.browser) {
      await browser.close();
    }
  }
}

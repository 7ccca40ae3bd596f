/**
 * The lazy transfer's first screen (issue 19) for 2, 8 and 40 MB traces, measured here without
 * code-server: the bytes posted before the first screen (the bounded first post against the whole
 * payload the viewer used to post), the host's time to build it, and the page's time from that
 * message to its first paint in headless Chromium against the same for a tiny trace (the floor:
 * what an empty-ish panel costs in the same page). The code-server row (Enter → first messages with
 * the fetch and VS Code's own editor as floors) is bench/firstScreenCode.ts.
 */
import type { Browser } from 'playwright-core';
import { errorMessage } from '../src/core/errorMessage';
import type * as PageModule from '../test/webview/page';
import type * as Payload from '../src/core/viewer/tracePayload';
import type * as Paging from '../src/core/viewer/tracePaging';
import type { LoadedTrace, ProviderTrace } from '../src/core/lettaTypes';
import { largeTraceText } from './lib/data';
import { atMost, emit, kb, mb, ms, notMeasured, ratio } from './lib/report';
import { need } from './lib/paths';
import { median, runs } from './lib/stats';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare function requestAnimationFrame(cb: () => void): number;
declare const MessageEvent: any;

const SIZES = [2, 8, 40];
const BYTES_TARGET = 256 * 1024;

async function firstPaint(pages: typeof PageModule, browser: Browser, stepId: string, text: string): Promise<number> {
  const viewer = await pages.openViewer(browser, { stepId });
  try {
    await pages.transferText(viewer.page, '__text', text);
    return await viewer.page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const t0 = performance.now();
          // Timed from the text, as the page receives it over the remote connection (parse included).
          window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(window.__text) }));
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
        }),
    );
  } finally {
    await viewer.page.close();
  }
}

async function main(): Promise<void> {
  let pages: typeof PageModule;
  let payload: typeof Payload;
  let paging: typeof Paging;
  try {
    pages = need<typeof PageModule>('test/webview/page');
    payload = need<typeof Payload>('src/core/viewer/tracePayload');
    paging = need<typeof Paging>('src/core/viewer/tracePaging');
  } catch (e) {
    for (const size of SIZES) {
      emit(notMeasured(`first post ${size} MB (bytes before the first screen)`, errorMessage(e), `≤ ${kb(BYTES_TARGET)}`));
    }
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: pages.CHROMIUM_ARGS });
  const load = (stepId: string, trace: ProviderTrace): LoadedTrace => ({ stepId, trace, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 0 });
  try {
    // The floor: a one-message trace's first paint in the same page.
    const tiny = load('step-00000000-0000-4000-8000-000000000001', { request_json: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, response_json: { choices: [] } });
    const tinyText = JSON.stringify({ type: 'trace', data: paging.firstPost(payload.buildTraceData(tiny, { raw: false })) });
    const floorRuns: number[] = [];
    for (let i = 0; i < runs(5); i++) {
      floorRuns.push(await firstPaint(pages, browser, tiny.stepId, tinyText));
    }
    const floor = median(floorRuns);
    const paints: Record<number, number> = {};
    for (const size of SIZES) {
      const { text: traceText, stepId } = largeTraceText(size);
      const loaded = load(stepId, JSON.parse(traceText) as ProviderTrace);
      const t0 = performance.now();
      const data = payload.buildTraceData(loaded, { raw: false });
      const t1 = performance.now();
      const first = { type: 'trace', data: paging.firstPost(data) };
      const text = JSON.stringify(first);
      const t2 = performance.now();
      const bytes = Buffer.byteLength(text);
      const before = payload.splitTraceData(payload.buildTraceData(loaded)).reduce((n, m) => n + Buffer.byteLength(JSON.stringify(m)), 0);
      emit({
        measure: `first post ${size} MB (bytes before the first screen)`,
        value: kb(bytes),
        floor: `${mb(before)} (whole payload, posted before)`,
        ratio: ratio(bytes, before),
        target: `≤ ${kb(BYTES_TARGET)}`,
        verdict: atMost(bytes, BYTES_TARGET),
        note: `first post ${size} MB: host normalise ${ms(t1 - t0)}, first post built and serialised ${ms(t2 - t1)}; ${data.conversation.messages.length} messages, ${first.data.omitted?.count ?? 0} left in the host.`,
      });
      const n = runs(3);
      const results: number[] = [];
      for (let i = 0; i < n; i++) {
        results.push(await firstPaint(pages, browser, stepId, text));
      }
      paints[size] = median(results);
      emit({
        measure: `first screen ${size} MB (in page: message → first paint)`,
        value: ms(paints[size]),
        floor: `${ms(floor)} (one-message trace)`,
        ratio: ratio(paints[size], floor),
        target: size === 40 ? `≤ 1.5× the 2 MB one (${ms(1.5 * paints[2])})` : '—',
        verdict: size === 40 ? atMost(paints[size], 1.5 * paints[2]) : 'info',
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

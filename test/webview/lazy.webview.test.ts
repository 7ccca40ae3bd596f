/**
 * The lazy transfer in Chromium (issue 19), against a fake host that answers as the extension does:
 * the middle of a long conversation arrives as it scrolls into view, the raw JSON node by node as
 * it is expanded and a long string slice by slice; search and copy run over the whole trace.
 * Needs `node esbuild.js` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { LoadedTrace, ProviderTrace } from '../../src/core/lettaTypes';
import { STRING_SLICE } from '../../src/core/viewer/tracePaging';
import type { WebviewMessage } from '../../src/shared/protocol';
import { buildLargeTrace } from '../fixtures/builders';
import { serveTrace } from './fakeHost';
import { launchBrowser, openViewer, waitForRender } from './page';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

function loaded(trace: ProviderTrace): LoadedTrace {
  return { stepId: trace.step_id ?? 'step-00000000-0000-4000-8000-000000000000', trace, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 0 };
}

const LONG = 'Lorem ipsum dolor sit amet. '.repeat(6000);

describe('lazy transfer (Chromium)', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('holds the middle messages as placeholders and fetches them as they scroll into view', async () => {
    const viewer = await openViewer(browser, { stepId: 'lazy-messages', height: 700 });
    const { page } = viewer;
    try {
      const host = await serveTrace(viewer, loaded({ ...buildLargeTrace(3_000_000), step_id: 'lazy-messages' }));
      const all = host.data.conversation.messages;
      const omitted = host.first.omitted!;
      assert.ok(omitted.lazy && omitted.count > 200, 'most messages stay in the host');
      await waitForRender(page);
      const gap = page.locator('[data-part="gap"]');
      assert.equal(await gap.getAttribute('data-lazy'), 'true');
      // The placeholder keeps about the height of what it stands for.
      const height = await gap.evaluate((el: any) => el.getBoundingClientRect().height);
      assert.ok(height > omitted.count * 40, `placeholder ${height} px for ${omitted.count} messages`);
      const tailStart = omitted.start + omitted.count;
      await page.locator(`article.msg[data-index="${tailStart}"]`).waitFor();

      // Scrolled to the middle: the page asks for the messages there, and shows them.
      await gap.evaluate((el: any) => el.scrollIntoView({ block: 'start' }));
      await page.locator(`article.msg[data-index="${omitted.start + 60}"]`).waitFor({ timeout: 30_000 });
      const asked = host.requests.filter((r): r is Extract<WebviewMessage, { type: 'requestMessages' }> => r.type === 'requestMessages');
      assert.ok(asked.length >= 2, 'fetched page by page');
      assert.equal(asked[0].start, omitted.start);
      assert.ok(asked.every((r) => r.start >= omitted.start && r.start < tailStart), 'only the middle is asked for');
      const shown = await page.locator('[data-section="messages"] article.msg').evaluateAll((els: any[]) => els.map((e) => [Number(e.dataset.index), e.dataset.role]));
      for (const [index, role] of shown) {
        assert.equal(role, all[index].role, `message ${index}`);
      }
      const indices = shown.map(([i]) => i);
      assert.deepEqual(indices, [...indices].sort((a, b) => a - b), 'in order');
      assert.equal(await page.locator('[data-section="messages"] h2 .count').textContent(), String(all.length));
      // Fewer hidden, smaller placeholder.
      assert.ok(Number(await gap.getAttribute('data-hidden')) < omitted.count);
      await host.stop();
    } finally {
      await page.close();
    }
  });

  it('builds the raw JSON tree node by node from the host, reads a long string in slices, searches and copies in the host', async () => {
    const viewer = await openViewer(browser, { stepId: 'lazy-raw' });
    const { page } = viewer;
    try {
      const trace = { ...buildLargeTrace(2_000_000), step_id: 'lazy-raw', long_note: LONG };
      const host = await serveTrace(viewer, loaded(trace));
      assert.equal(host.first.raw, undefined);
      await waitForRender(page);
      const nodeRequests = () => host.requests.filter((r) => r.type === 'rawNode').map((r) => (r.type === 'rawNode' ? r.path : []));
      assert.deepEqual(nodeRequests(), [], 'nothing raw is asked for before the tab opens');

      await page.getByRole('tab', { name: 'Raw JSON' }).click();
      await page.locator('.jtree').waitFor({ timeout: 30_000 });
      assert.deepEqual(await page.locator('.jrow[aria-level="1"] .jkey').allTextContents(), ['request', 'response', 'metadata']);
      assert.deepEqual(nodeRequests(), [['request'], ['response'], ['metadata']]);
      const messagesRow = page.locator('.jrow[aria-level="2"]', { has: page.locator('.jkey', { hasText: /^messages$/ }) }).first();
      const request = trace.request_json as { messages: unknown[] };
      assert.equal(await messagesRow.locator('.jval').textContent(), `[ ${request.messages.length} items ]`);

      // Expanding a node fetches its children.
      await messagesRow.locator('[data-act="toggle"]').click();
      await page.locator('.jrow[aria-level="3"]').first().waitFor();
      assert.deepEqual(nodeRequests().at(-1), ['request', 'messages']);
      // (The "Show more" row is a tree item of the same level too.)
      assert.equal(await page.locator('.jrow:not(.jmore)[aria-level="3"]').count(), Math.min(250, request.messages.length));
      await page.locator('.jrow[aria-level="3"] [data-act="toggle"]').first().click();
      await page.locator('.jrow[aria-level="4"]').first().waitFor();
      assert.deepEqual(nodeRequests().at(-1), ['request', 'messages', 0]);

      // A long string: a stub with its length, read slice by slice.
      const longRow = page.locator('.jrow[aria-level="2"]', { has: page.locator('.jkey', { hasText: /^long_note$/ }) });
      assert.match((await longRow.locator('.jval').textContent()) ?? '', /^"Lorem ipsum/);
      await longRow.locator('[data-act="toggle"]').click();
      const slices = page.locator('[data-part="string-slices"]');
      await slices.locator('.jslices').waitFor();
      assert.equal(await slices.locator('.jslices').textContent(), LONG.slice(0, STRING_SLICE));
      await slices.locator('[data-part="slice-more"]').click();
      await page.waitForFunction((n: number) => document.querySelector('[data-part="string-slices"] .jslices')?.textContent.length === n, 2 * STRING_SLICE);
      assert.equal(await slices.locator('.jslices').textContent(), LONG.slice(0, 2 * STRING_SLICE));
      assert.ok(host.requests.some((r) => r.type === 'rawString' && r.offset === STRING_SLICE));

      // The raw view's search button opens the one find, which runs in the host over the whole JSON
      // and reveals its first match in this tree.
      const needle = String((trace.response_json as { id?: string }).id ?? 'chatcmpl');
      await page.getByRole('button', { name: 'Find in the trace (Ctrl+F)' }).click();
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.part), 'find-input');
      await page.keyboard.type(needle);
      await page.waitForFunction((q: string) => {
        const c = document.querySelector('[data-part="find-count"]');
        return c?.dataset.query === q && c.dataset.done === 'true';
      }, needle, { timeout: 30_000 });
      assert.ok(host.requests.some((r) => r.type === 'find' && r.query === needle), 'the query went to the host');
      assert.ok(Number(await page.locator('[data-part="find-count"]').getAttribute('data-total')) >= 1);
      await page.locator('.jrow.jcurrent [data-part="find-mark"]').waitFor();
      assert.equal(await page.locator('.jrow.jcurrent [data-part="find-mark"]').textContent(), needle);

      // Copying a container copies the whole value, from the host.
      await page.locator('.jrow[aria-level="1"]').nth(1).locator('[data-act="copy-value"]').click({ force: true });
      await host.until(() => host.copied.length > 0);
      assert.deepEqual(JSON.parse(host.copied[0]), trace.response_json);
      await host.stop();
    } finally {
      await page.close();
    }
  });
});

/**
 * Find in the trace (issue 18) in Chromium, against a fake host that answers as the panel does (the
 * same core search): on every fixture and on 10 and 50 MB traces, the find counts a known word as a
 * plain scan of the trace's JSON counts it, steps with Enter / Shift+Enter and marks each match in
 * the Raw JSON tree; a match past 10,000 characters of a folded system prompt and one deep in a
 * string the host keeps are shown from a slice fetched at their offset. Needs `node esbuild.js` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { LoadedTrace, ProviderTrace } from '../../src/core/lettaTypes';
import { rawRoots } from '../../src/core/viewer/tracePayload';
import { PAGE_STRING, STRING_SLICE } from '../../src/core/viewer/tracePaging';
import { MAX_LOCATIONS } from '../../src/core/viewer/traceSearch';
import { buildLargeTrace } from '../fixtures/builders';
import { loadFixtureTrace, loadFixtureTraces } from '../fixtures/fixtures';
import { serveTrace, type FakeHost } from './fakeHost';
import { findDone, markedWord } from './findSteps';
import { launchBrowser, openViewer, waitForRender } from './page';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

function loaded(trace: ProviderTrace, stepId: string): LoadedTrace {
  return { stepId, trace: { ...trace, step_id: stepId }, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 0 };
}

/** A plain scan: non-overlapping, case-insensitive occurrences of `word` in the trace's JSON text. */
function naiveCount(l: LoadedTrace, word: string): number {
  const text = JSON.stringify(rawRoots(l)).toLowerCase();
  let n = 0;
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
    n++;
  }
  return n;
}

const count = (page: Page) => page.locator('[data-part="find-count"]');

async function findWord(page: Page, word: string, timeout = 30_000): Promise<void> {
  // Typing searches (after a pause); Enter would step once the answer is there, so none is pressed.
  await page.locator('[data-part="find-input"]').fill(word);
  await findDone(page, word, timeout);
}

async function stepsAndMarks(page: Page, word: string, total: number): Promise<void> {
  await page.waitForFunction((t: string) => document.querySelector('[data-part="find-count"]')?.textContent === t, `1 of ${total.toLocaleString('en-US')}`, { timeout: 30_000 });
  await markedWord(page, word);
  assert.equal(await page.locator('#tab-raw').getAttribute('aria-selected'), 'true', 'the match is shown in the Raw JSON tab');
  if (total > 1) {
    await page.locator('[data-part="find-input"]').press('Enter');
    await page.waitForFunction((t: string) => document.querySelector('[data-part="find-count"]')?.textContent === t, `2 of ${total.toLocaleString('en-US')}`);
    await markedWord(page, word);
  }
  // Shift+Enter from the first goes round to the last match.
  await page.locator('[data-part="find-input"]').press('Shift+Enter');
  if (total > 1) {
    await page.locator('[data-part="find-input"]').press('Shift+Enter');
  }
  // (Past the host's cap the steps go round the matches it kept.)
  const last = Math.min(total, MAX_LOCATIONS);
  await page.waitForFunction((t: string) => document.querySelector('[data-part="find-count"]')?.textContent === t, `${last.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`);
  await markedWord(page, word);
}

describe('find in the trace (Chromium)', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  for (const { name, trace } of loadFixtureTraces()) {
    it(`finds, counts, steps through and marks "model" in the ${name} fixture`, async () => {
      const viewer = await openViewer(browser, { stepId: `find-${name}` });
      const { page } = viewer;
      let host: FakeHost | undefined;
      try {
        const l = loaded(trace, `find-${name}`);
        host = await serveTrace(viewer, l);
        await waitForRender(page, 'first');
        const expected = naiveCount(l, 'model');
        assert.ok(expected > 0);
        await findWord(page, 'model');
        assert.equal(await count(page).getAttribute('data-total'), String(expected));
        await stepsAndMarks(page, 'model', expected);
        // Whole word and match case narrow it; a bad pattern says so.
        await page.locator('.find-caseSensitive').click();
        assert.equal(await page.locator('.find-caseSensitive').getAttribute('aria-pressed'), 'true');
        await page.waitForFunction(() => document.querySelector('[data-part="find-count"]')?.dataset.done === 'true');
        assert.ok(Number(await count(page).getAttribute('data-total')) <= expected);
        await page.locator('.find-regex').click();
        await page.locator('[data-part="find-input"]').fill('mod(el');
        await page.locator('[data-part="find-input"]').press('Enter');
        await page.locator('[data-part="find-error"]', { hasText: /Not a valid regular expression/ }).waitFor();
        assert.equal(await count(page).textContent(), '');
      } finally {
        await host?.stop();
        await page.close();
      }
    });
  }

  it('Ctrl+F in the page and in the raw tree, and the search button of the raw view, go to the find field', async () => {
    const viewer = await openViewer(browser, { stepId: 'find-shortcut' });
    const { page } = viewer;
    const host = await serveTrace(viewer, loaded(loadFixtureTrace('anthropic'), 'find-shortcut'));
    try {
      await waitForRender(page, 'first');
      await page.locator('#tab-conversation').focus();
      await page.keyboard.press('Control+f');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.part), 'find-input');
      // From the Raw JSON tree too (its own keys do not take it).
      await page.locator('#tab-raw').click();
      await page.locator('.jtree [tabindex="0"]').focus();
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'treeitem');
      await page.keyboard.press('Control+f');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.part), 'find-input');
      // The raw view's search button, from the keyboard: it has a name, and opens the find.
      const button = page.getByRole('button', { name: 'Find in the trace (Ctrl+F)' });
      assert.equal(await button.count(), 1);
      await button.focus();
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.part), 'find-input');
      // The raw view has no search field of its own: one find.
      assert.equal(await page.locator('#panel-raw input').count(), 0);
    } finally {
      await host.stop();
      await page.close();
    }
  });

  it('reaches a match past 10,000 characters of a folded system prompt and one deep in a string the host keeps', async () => {
    const viewer = await openViewer(browser, { stepId: 'find-deep' });
    const { page } = viewer;
    const base = loadFixtureTrace('openai-chat');
    const request = structuredClone(base.request_json) as { messages: { role: string; content: unknown }[] };
    const promptOffset = 12_345;
    const prompt = `${'You are a careful agent. '.repeat(600).slice(0, promptOffset)}quasar ${'More rules follow. '.repeat(200)}`;
    request.messages[0] = { role: 'system', content: prompt };
    const deepOffset = 3 * STRING_SLICE + 789;
    const longNote = `${'x'.repeat(deepOffset)}Quasar${'y'.repeat(50_000)}`;
    assert.ok(longNote.length > PAGE_STRING, 'the host keeps it: the page gets a stub');
    const host = await serveTrace(viewer, loaded({ ...base, request_json: request, long_note: longNote }, 'find-deep'));
    try {
      await waitForRender(page, 'first');
      // The Conversation tab folds the long system prompt.
      assert.ok(await page.locator('article.msg[data-index="0"] .msg-fold').count(), 'the system prompt is folded');
      await findWord(page, 'quasar');
      assert.equal(await count(page).textContent(), '1 of 2');
      await markedWord(page, 'quasar');
      const excerpt = page.locator('[data-part="find-excerpt"]');
      assert.equal(await excerpt.getAttribute('data-offset'), String(promptOffset));
      assert.match((await excerpt.textContent()) ?? '', /Characters 12,346–12,351/);
      await page.locator('[data-part="find-input"]').press('Enter');
      await page.waitForFunction(() => document.querySelector('[data-part="find-count"]')?.textContent === '2 of 2');
      await page.waitForFunction((o: string) => document.querySelector('[data-part="find-excerpt"]')?.dataset.offset === o, String(deepOffset));
      await markedWord(page, 'quasar');
      // Fetched as one slice at the match, not read from the start.
      const slices = host.requests.filter((r) => r.type === 'rawString');
      assert.ok(slices.some((r) => r.type === 'rawString' && r.offset === deepOffset - 300 && JSON.stringify(r.path) === '["metadata","long_note"]'), JSON.stringify(slices));
      assert.ok(slices.every((r) => r.type === 'rawString' && r.offset !== 0 || JSON.stringify(r.path) !== '["metadata","long_note"]'), 'no slice from the start');
    } finally {
      await host.stop();
      await page.close();
    }
  });

  for (const [size, format, word] of [
    [10_000_000, 'openai-chat', 'migration'],
    [50_000_000, 'anthropic', 'warehouse'],
  ] as const) {
    it(`finds, counts and steps through "${word}" in a ${size / 1e6} MB ${format} trace`, async () => {
      const viewer = await openViewer(browser, { stepId: `find-${size}` });
      const { page } = viewer;
      const l = loaded(buildLargeTrace(size, format), `find-${size}`);
      const expected = naiveCount(l, word);
      const host = await serveTrace(viewer, l);
      try {
        await waitForRender(page, 'first');
        await findWord(page, word, 120_000);
        assert.equal(await count(page).getAttribute('data-total'), String(expected));
        await stepsAndMarks(page, word, expected);
      } finally {
        await host.stop();
        await page.close();
      }
    });
  }
});

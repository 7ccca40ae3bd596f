/**
 * The pages' words come from the bundle the host passes in the HTML shell: with a pseudo-locale
 * (every message of l10n/bundle.l10n.json wrapped in ‹…›), the run view's and the trace viewer's
 * labels, aria-labels and titles are the translated ones, and the page's `lang` is the host's.
 * Without a bundle they are English. Needs `node esbuild.js` first.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { L10nContents } from '../../src/core/localization';
import { buildTraceData } from '../../src/core/viewer/tracePayload';
import { buildFakeData } from '../fakeLetta/data';
import { contextTraces } from '../fixtures/contextFixtures';
import { trackedRun } from './fakeRuns';
import { launchBrowser, openRunView, openViewer, repoRoot, waitForRender } from './page';

function pseudoBundle(): L10nContents {
  const english = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'l10n/bundle.l10n.json'), 'utf8')) as Record<string, string | { message: string }>;
  return Object.fromEntries(Object.entries(english).map(([key, value]) => [key, `‹${typeof value === 'string' ? value : value.message}›`]));
}

/** The fake server's memory-edit run, every trace loaded. */
function memoryEditRun() {
  const data = buildFakeData({ agents: 3, stepsPerAgent: 12 });
  const runId = data.named!.memoryEdit;
  return { runId, model: trackedRun(data, runId).model() };
}

describe('translated pages (Chromium)', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('the run view shows the bundle’s words: headings, buttons, aria-labels, the memory-block line with its label inside', async () => {
    const { runId, model } = memoryEditRun();
    const show = async (l10n?: L10nContents, lang?: string) => {
      const view = await openRunView(browser, { runId, l10n, lang });
      await view.send({ type: 'run', model });
      await view.page.waitForSelector('li.step-row .change-memory');
      return view.page;
    };
    const english = await show();
    const translated = await show(pseudoBundle(), 'de');
    try {
      assert.equal((await english.locator('#timeline-title').innerText()).trim(), 'Steps');
      assert.equal((await translated.locator('#timeline-title').innerText()).trim(), '‹Steps›');
      assert.equal(await translated.locator('html').getAttribute('lang'), 'de');
      assert.equal(await english.locator('html').getAttribute('lang'), 'en');
      assert.equal(await translated.locator('button[aria-label="‹Copy run ID›"]').count(), 1);
      assert.equal(await translated.locator('button[aria-label="‹Refresh›"]').count(), 1);
      assert.equal(await translated.locator('ol.timeline').getAttribute('aria-label'), `‹Steps of ${runId}›`);
      // The block's name stays an element inside the translated sentence.
      const memory = translated.locator('.change-memory').first();
      assert.match(await memory.innerText(), /^‹Memory block \S+ (changed|added|removed)›/);
      assert.equal(await memory.locator('code').count(), 1);
      assert.match(await english.locator('.change-memory').first().innerText(), /^Memory block \S+ (changed|added|removed)/);
      // No English is left in the header's labels.
      const labels = await translated.locator('.run-header .fact-label').allInnerTexts();
      assert.ok(labels.length > 3);
      assert.deepEqual(labels.filter((l) => !/^‹.*›$/.test(l)), []);
    } finally {
      await english.close();
      await translated.close();
    }
  });

  it('the trace viewer shows the bundle’s words: toolbar buttons, tabs, the section headings', async () => {
    const [{ loaded }] = contextTraces();
    const data = buildTraceData(loaded);
    const viewer = await openViewer(browser, { stepId: data.stepId, l10n: pseudoBundle() });
    const page = viewer.page;
    try {
      await viewer.send({ type: 'trace', data });
      await waitForRender(page);
      const toolbar = await page.locator('[role="toolbar"] button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? ''));
      assert.ok(toolbar.length >= 4, `toolbar buttons: ${toolbar.join(' | ')}`);
      assert.deepEqual(toolbar.filter((l) => !l.startsWith('‹')), []);
      const tabs = await page.locator('[role="tab"]').allInnerTexts();
      assert.ok(tabs.length >= 2, `tabs: ${tabs.join(' | ')}`);
      assert.deepEqual(tabs.map((t) => t.trim()).filter((t) => !/^‹.*›$/.test(t)), []);
      assert.equal(await page.locator('button[aria-label="‹Copy step ID›"]').count(), 1);
    } finally {
      await page.close();
    }
  });
});

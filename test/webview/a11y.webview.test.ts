/**
 * Accessibility in Chromium: axe-core finds no violation on any fixture (test/fixtures/traces and the
 * real-world corpus), Conversation and Raw JSON tabs with their folds open, nor on the run view, in
 * the light, dark and high-contrast themes. Needs `node esbuild.js` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { LoadedTrace, ProviderTrace } from '../../src/core/lettaTypes';
import { buildTraceData } from '../../src/core/viewer/tracePayload';
import { buildFakeData } from '../fakeLetta/data';
import { loadFixtureTraces, loadRealWorldTraces } from '../fixtures/fixtures';
import { axeViolations } from './axe';
import { trackedRun } from './fakeRuns';
import { launchBrowser, openRunView, openViewer, waitForRender } from './page';
import { THEME_NAMES } from './themes';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

function loaded(trace: ProviderTrace, stepId: string): LoadedTrace {
  return { stepId, trace, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 0 };
}

const FIXTURES = [...loadFixtureTraces().map((f) => ({ name: f.name, trace: f.trace })), ...loadRealWorldTraces().map((f) => ({ name: `realworld/${f.name}`, trace: f.trace }))];

/** Opens every fold (system prompts, thinking, schemas, tool lists), so what they hold is checked too. */
async function openFolds(page: Page): Promise<void> {
  for (let round = 0; round < 4; round++) {
    const opened = await page.evaluate(() => {
      const closed = [...document.querySelectorAll('#panel-conversation .collapse-toggle[aria-expanded="false"]')];
      closed.forEach((b: any) => b.click());
      return closed.length;
    });
    if (opened === 0) {
      return;
    }
  }
}

/** Expands the first two levels of the raw tree (and a long string's text), so rows of each kind are checked. */
async function openRaw(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Raw JSON' }).click();
  await page.locator('.jtree').waitFor();
  await page.evaluate(() => {
    for (const row of [...document.querySelectorAll('.jrow[aria-level="2"][aria-expanded="false"]')].slice(0, 12)) {
      row.querySelector('[data-act="toggle"]')?.click();
    }
  });
}

describe('accessibility: axe-core, three themes (Chromium)', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  for (const theme of THEME_NAMES) {
    it(`every fixture, both tabs, no violation (${theme})`, async () => {
      // One page per theme, one trace after another: each `trace` message renders the page anew.
      const viewer = await openViewer(browser, { stepId: 'step-a11y', theme });
      const { page } = viewer;
      const found: string[] = [];
      try {
        for (const [i, { name, trace }] of FIXTURES.entries()) {
          const stepId = `step-${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
          await viewer.send({ type: 'trace', data: buildTraceData(loaded(trace, stepId)) });
          await page.waitForFunction((id: string) => document.querySelector('h1.step-id')?.textContent === id, stepId);
          await waitForRender(page);
          await openFolds(page);
          await openRaw(page);
          // Both tabs in one check (axe takes about a second a check on this machine): the
          // Conversation panel is shown again beside the Raw JSON one.
          await page.evaluate(() => (document.getElementById('panel-conversation').hidden = false));
          found.push(...(await axeViolations(page)).map((v) => `${name}: ${v}`));
        }
      } finally {
        await page.close();
      }
      assert.deepEqual(found, []);
    });
  }

  for (const theme of THEME_NAMES) {
    it(`the run view, no violation (${theme})`, async () => {
      const data = buildFakeData({ agents: 3, stepsPerAgent: 12 });
      const found: string[] = [];
      for (const runId of [data.named!.memoryEdit, data.named!.nullTrace, data.named!.failed]) {
        const tracker = trackedRun(data, runId);
        const view = await openRunView(browser, { runId, theme });
        try {
          await view.send({ type: 'run', model: tracker.model() });
          await view.page.locator('li.step-row').first().waitFor();
          found.push(...(await axeViolations(view.page)).map((v) => `${runId}: ${v}`));
        } finally {
          await view.page.close();
        }
      }
      assert.deepEqual(found, []);
    });
  }
});

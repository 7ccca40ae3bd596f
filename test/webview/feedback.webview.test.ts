/**
 * The viewer's feedback buttons in Chromium: thumbs up / down post the choice and wait for the
 * host's answer; pressing the pressed thumb clears it; the tags button asks the host; a trace read
 * from a file has no buttons; Copy as Markdown is a toolbar action. Needs `node esbuild.js` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { LoadedTrace } from '../../src/core/lettaTypes';
import type { WebviewMessage } from '../../src/shared/protocol';
import { buildTraceData } from '../../src/core/viewer/tracePayload';
import { contextTraces } from '../fixtures/contextFixtures';
import { launchBrowser, openViewer, waitForRender, type ViewerPage } from './page';

async function show(browser: Browser, loaded: LoadedTrace): Promise<ViewerPage> {
  const data = buildTraceData(loaded);
  const viewer = await openViewer(browser, { stepId: data.stepId });
  await viewer.send({ type: 'trace', data });
  await waitForRender(viewer.page);
  return viewer;
}

const feedbackPosts = async (viewer: ViewerPage) => (await viewer.posted()).filter((m): m is Extract<WebviewMessage, { type: 'feedback' }> => m.type === 'feedback');

describe('feedback buttons in the viewer (Chromium)', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('a thumb posts the choice, waits for the host, then shows what the host says; pressing it again clears', async () => {
    const [{ loaded }] = contextTraces();
    const viewer = await show(browser, { ...loaded, step: { ...loaded.step!, feedback: null } });
    const { page } = viewer;
    const up = page.locator('[data-part="feedback"] [data-feedback="positive"]');
    const down = page.locator('[data-part="feedback"] [data-feedback="negative"]');
    try {
      assert.equal(await up.getAttribute('aria-pressed'), 'false');
      assert.equal(await down.getAttribute('aria-pressed'), 'false');
      assert.equal(await up.getAttribute('aria-label'), 'Thumbs up: a good step');

      await up.click();
      assert.deepEqual((await feedbackPosts(viewer)).map((m) => m.feedback), ['positive']);
      assert.equal(await up.isDisabled(), true, 'waits for the server');
      assert.equal(await up.getAttribute('aria-pressed'), 'false', 'not shown as saved before the host says so');

      await viewer.send({ type: 'feedback', stepId: loaded.stepId, state: { feedback: 'positive', tags: ['good-recall'] } });
      await page.locator('[data-feedback="positive"][aria-pressed="true"]').waitFor();
      assert.equal(await up.isDisabled(), false);
      assert.equal(await down.getAttribute('aria-pressed'), 'false');
      assert.ok(await up.locator('.codicon-thumbsup-filled').count(), 'the filled icon marks the pressed thumb');
      assert.equal(await page.locator('[data-part="feedback"]').getAttribute('data-state'), 'positive');
      assert.equal(await page.locator('[data-part="feedback"] [data-action="feedbackTags"]').getAttribute('title'), 'Feedback tags: good-recall');

      // Keyboard: the pressed thumb again clears.
      await up.focus();
      await page.keyboard.press('Enter');
      assert.deepEqual((await feedbackPosts(viewer)).map((m) => m.feedback), ['positive', null]);
      await viewer.send({ type: 'feedback', stepId: loaded.stepId, state: {} });
      await page.locator('[data-part="feedback"][data-state="none"]').waitFor();

      // A failure answers with the state as it was: the buttons are usable again, nothing pressed.
      await down.click();
      await viewer.send({ type: 'feedback', stepId: loaded.stepId, state: {} });
      await page.locator('[data-feedback="negative"]:not([disabled])').waitFor();
      assert.equal(await down.getAttribute('aria-pressed'), 'false');

      // Another step's answer is not this one's.
      await viewer.send({ type: 'feedback', stepId: 'step-00000000-0000-4000-8000-000000000000', state: { feedback: 'negative' } });
      // Then this step's own answer (messages arrive in order): only it shows.
      await viewer.send({ type: 'feedback', stepId: loaded.stepId, state: { feedback: 'positive' } });
      await page.locator('[data-part="feedback"][data-state="positive"]').waitFor();
      assert.equal(await down.getAttribute('aria-pressed'), 'false');
    } finally {
      await page.close();
    }
  });

  it('a step that has feedback opens with its thumb pressed; tags and Copy as Markdown are host actions', async () => {
    const [{ loaded }] = contextTraces();
    const viewer = await show(browser, { ...loaded, step: { ...loaded.step!, feedback: 'negative' } });
    const { page } = viewer;
    try {
      assert.equal(await page.locator('[data-feedback="negative"]').getAttribute('aria-pressed'), 'true');
      await page.locator('[data-part="feedback"] [data-action="feedbackTags"]').click();
      await page.locator('.toolbar [data-action="copyMarkdown"]').click();
      const actions = (await viewer.posted()).filter((m) => m.type === 'action').map((m) => (m as { action: string }).action);
      assert.deepEqual(actions, ['feedbackTags', 'copyMarkdown']);
    } finally {
      await page.close();
    }
  });

  it('a trace read from a file has no feedback buttons (there is no server to send them to)', async () => {
    const [{ loaded }] = contextTraces();
    const viewer = await show(browser, { ...loaded, source: { kind: 'file', path: '/tmp/trace.json' } });
    try {
      assert.equal(await viewer.page.locator('[data-part="feedback"]').count(), 0);
      assert.equal(await viewer.page.locator('.toolbar [data-action="copyMarkdown"]').count(), 1, 'Copy as Markdown works for a file too');
    } finally {
      await viewer.page.close();
    }
  });
});

/**
 * The keyboard paths in Chromium: the Raw JSON tree as a WAI-ARIA tree (one tab stop, arrows,
 * Home/End, Left/Right, Enter, row keys), also when its children come from the host; the message
 * and tool-call shortcuts; the shortcuts popover; the run view's steps. Needs `node esbuild.js` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { LoadedTrace, ProviderTrace } from '../../src/core/lettaTypes';
import { RunTracker } from '../../src/core/runs/runModel';
import { buildTraceData } from '../../src/core/viewer/tracePayload';
import type { WebviewMessage } from '../../src/shared/protocol';
import { buildFakeData, runAndSteps } from '../fakeLetta/data';
import { buildLargeTrace } from '../fixtures/builders';
import { loadFixtureTrace } from '../fixtures/fixtures';
import { serveTrace } from './fakeHost';
import { launchBrowser, openRunView, openViewer, waitForRender, type ViewerPage } from './page';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const getComputedStyle: any;

function loaded(trace: ProviderTrace, stepId = trace.step_id ?? 'step-00000000-0000-4000-8000-000000000000'): LoadedTrace {
  return { stepId, trace, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 0 };
}

/** What has the focus: its tag, role, level, key and index, to compare with what should. */
function focused(page: Page): Promise<{ tag: string; role: string | null; level: string | null; key: string | null; index: string | null; part: string | null; text: string }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName.toLowerCase(),
      role: el?.getAttribute('role') ?? null,
      level: el?.getAttribute('aria-level') ?? null,
      key: el?.querySelector?.(':scope > .jkey')?.textContent ?? null,
      index: el?.getAttribute('data-index') ?? null,
      part: el?.getAttribute('data-part') ?? null,
      text: (el?.textContent ?? '').slice(0, 80),
    };
  });
}

async function lastPosted(viewer: ViewerPage): Promise<WebviewMessage | undefined> {
  return (await viewer.posted()).at(-1);
}

describe('keyboard (Chromium)', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('the raw tree: one tab stop, arrows, Home/End, Left/Right, Enter and the row keys', async () => {
    const trace = loadFixtureTrace('openai-chat');
    const data = buildTraceData(loaded(trace));
    const viewer = await openViewer(browser, { stepId: data.stepId });
    const { page } = viewer;
    try {
      await viewer.send({ type: 'trace', data });
      await waitForRender(page);
      await page.getByRole('tab', { name: 'Raw JSON' }).click();
      await page.locator('.jtree').waitFor();
      // From the last toolbar button, Tab enters the tree on its first row, and the next Tab leaves it.
      await page.locator('button.collapse-all').focus();
      await page.keyboard.press('Tab');
      assert.deepEqual(await focused(page).then((f) => [f.role, f.level, f.key]), ['treeitem', '1', 'request']);
      assert.equal(await page.locator('.jtree [tabindex="0"], .jtree button:not([tabindex="-1"])').count(), 1, 'one tab stop in the whole tree');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.querySelector('.jtree').contains(document.activeElement)), false, 'the next Tab leaves the tree');
      await page.keyboard.press('Shift+Tab');
      assert.equal((await focused(page)).key, 'request');

      const request = trace.request_json;
      const firstKey = Object.keys(request)[0];
      await page.keyboard.press('ArrowDown');
      assert.deepEqual(await focused(page).then((f) => [f.level, f.key]), ['2', firstKey]);
      await page.keyboard.press('ArrowUp');
      assert.equal((await focused(page)).key, 'request');
      await page.keyboard.press('End');
      assert.deepEqual(await focused(page).then((f) => [f.level]), [await page.locator('.jtree > [role="treeitem"]').last().getAttribute('aria-level')]);
      assert.equal(await page.evaluate(() => document.activeElement === [...document.querySelectorAll('.jtree > [role="treeitem"]')].at(-1)), true);
      await page.keyboard.press('Home');
      assert.equal((await focused(page)).key, 'request');

      // Left collapses the open row, Right opens it again, Right once more goes to its first child, Left back to the parent.
      const requestRow = page.locator('.jrow[aria-level="1"]').first();
      await page.keyboard.press('ArrowLeft');
      assert.equal(await requestRow.getAttribute('aria-expanded'), 'false');
      assert.equal(await requestRow.evaluate((el: any) => el.nextElementSibling?.getAttribute('aria-level')), '1', 'its children are gone');
      await page.keyboard.press('ArrowRight');
      assert.equal(await requestRow.getAttribute('aria-expanded'), 'true');
      assert.equal((await focused(page)).key, 'request', 'Right on a closed row opens it and stays');
      await page.keyboard.press('ArrowRight');
      assert.deepEqual(await focused(page).then((f) => [f.level, f.key]), ['2', firstKey]);
      await page.keyboard.press('ArrowLeft');
      assert.equal((await focused(page)).key, 'request', 'Left on a closed child goes to the parent');

      // Enter toggles; the `messages` row, reached by the arrows.
      const messagesRow = page.locator('.jrow[aria-level="2"]', { has: page.locator(':scope > .jkey', { hasText: /^messages$/ }) }).first();
      await messagesRow.focus();
      await page.keyboard.press('Enter');
      assert.equal(await messagesRow.getAttribute('aria-expanded'), 'true');
      assert.equal(await page.locator('.jrow[aria-level="3"]').count(), (request.messages as unknown[]).length);
      await page.keyboard.press('ArrowRight');
      assert.deepEqual(await focused(page).then((f) => [f.level, f.key]), ['3', '0']);
      assert.equal(await page.locator('.jtree [tabindex="0"]').count(), 1, 'the tab stop moved with the focus');
      // Collapsing from a child: Left to the parent, Left to close it; the focus stays on it.
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      assert.equal(await messagesRow.getAttribute('aria-expanded'), 'false');
      assert.equal((await focused(page)).key, 'messages');

      // The row keys: C copies the value, Shift+C the path (no button needed).
      const modelRow = page.locator('.jrow[aria-level="2"]', { has: page.locator(':scope > .jkey', { hasText: /^model$/ }) }).first();
      await modelRow.focus();
      await page.keyboard.press('c');
      assert.deepEqual(await lastPosted(viewer), { type: 'copy', text: String(request.model), label: 'Value of $.request.model' });
      await page.keyboard.press('Shift+C');
      assert.deepEqual(await lastPosted(viewer), { type: 'copy', text: '$.request.model', label: 'JSON path' });
      // `*` opens the row and its siblings.
      await messagesRow.focus();
      await page.keyboard.press('*');
      assert.equal(await messagesRow.getAttribute('aria-expanded'), 'true');
      assert.equal((await focused(page)).key, 'messages', 'the focus stays');
      await modelRow.focus();
      // The row's buttons are shown on the focused row, and none is a tab stop.
      assert.equal(await modelRow.locator('.jactions').evaluate((el: any) => getComputedStyle(el).opacity), '1');
    } finally {
      await page.close();
    }
  });

  it('a node whose children come from the host: Right expands it and keeps the focus; Right again goes in when they are there', async () => {
    const viewer = await openViewer(browser, { stepId: 'keys-lazy' });
    const { page } = viewer;
    try {
      const trace = { ...buildLargeTrace(1_000_000), step_id: 'keys-lazy' };
      const host = await serveTrace(viewer, loaded(trace));
      await waitForRender(page);
      await page.getByRole('tab', { name: 'Raw JSON' }).click();
      await page.locator('.jtree').waitFor({ timeout: 30_000 });
      const messagesRow = page.locator('.jrow[aria-level="2"]', { has: page.locator(':scope > .jkey', { hasText: /^messages$/ }) }).first();
      await messagesRow.focus();
      await page.keyboard.press('ArrowRight');
      await page.locator('.jrow[aria-level="3"]').first().waitFor();
      assert.deepEqual(host.requests.filter((r) => r.type === 'rawNode').at(-1), { type: 'rawNode', id: (host.requests.filter((r) => r.type === 'rawNode').at(-1) as { id: number }).id, stepId: 'keys-lazy', path: ['request', 'messages'], offset: 0 });
      // The row was rebuilt for what the host sent: the focus is on the new row, which is open.
      assert.deepEqual(await focused(page).then((f) => [f.level, f.key]), ['2', 'messages']);
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-expanded')), 'true');
      await page.keyboard.press('ArrowRight');
      assert.deepEqual(await focused(page).then((f) => [f.level, f.key]), ['3', '0']);
      // Right twice at once on a stub: the second waits for the children, then goes to the first.
      const before = host.requests.length;
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => document.activeElement?.getAttribute('aria-level') === '4', undefined, { timeout: 30_000 });
      assert.ok(host.requests.slice(before).some((r) => r.type === 'rawNode' && JSON.stringify(r.path) === JSON.stringify(['request', 'messages', 0])));
      // Left twice: back to the stub's row, then it closes.
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      assert.deepEqual(await focused(page).then((f) => [f.level, f.key]), ['3', '0']);
      assert.equal(await page.locator('.jrow[aria-level="4"]').count(), 0);
      await host.stop();
    } finally {
      await page.close();
    }
  });

  it('j/k and Alt+↑/↓ move between messages, t/Shift+T and Alt+Shift+↑/↓ between tool calls; not while typing', async () => {
    const data = buildTraceData(loaded(loadFixtureTrace('openai-chat')));
    const viewer = await openViewer(browser, { stepId: data.stepId });
    const { page } = viewer;
    try {
      await viewer.send({ type: 'trace', data });
      await waitForRender(page);
      const messages = data.conversation.messages.length;
      assert.ok(messages >= 3);
      await page.keyboard.press('j');
      assert.deepEqual(await focused(page).then((f) => [f.tag, f.index]), ['article', '0']);
      await page.keyboard.press('j');
      assert.deepEqual(await focused(page).then((f) => [f.tag, f.index]), ['article', '1']);
      await page.keyboard.press('Alt+ArrowDown');
      assert.deepEqual(await focused(page).then((f) => [f.tag, f.index]), ['article', '2']);
      await page.keyboard.press('k');
      await page.keyboard.press('Alt+ArrowUp');
      assert.deepEqual(await focused(page).then((f) => [f.tag, f.index]), ['article', '0']);
      // Scrolled to it, below the sticky tabs.
      const [top, tabsBottom] = await page.evaluate(() => [document.activeElement.getBoundingClientRect().top, document.querySelector('.tabs').getBoundingClientRect().bottom]);
      assert.ok(top >= tabsBottom - 1, `message at ${top}, tabs end at ${tabsBottom}`);

      // Tool calls, in page order, from the focused message on.
      const calls = page.locator('#panel-conversation [data-part="tool-call"]');
      const count = await calls.count();
      assert.ok(count >= 2, 'the fixture has tool calls');
      const isCall = (i: number) => calls.nth(i).evaluate((el: any) => el === document.activeElement);
      await page.keyboard.press('t');
      assert.equal(await isCall(0), true);
      await page.keyboard.press('Alt+Shift+ArrowDown');
      assert.equal(await isCall(1), true);
      await page.keyboard.press('Shift+T');
      assert.equal(await isCall(0), true);
      assert.match((await calls.nth(0).getAttribute('aria-label')) ?? '', /^Tool call \S+/);
      // j from a tool call: the next message after it.
      await page.keyboard.press('j');
      const afterCall = await focused(page);
      assert.equal(afterCall.tag, 'article');
      assert.ok(await page.locator(`#panel-conversation article.msg[data-index="${afterCall.index}"]`).evaluate((el: any) => (document.querySelector('#panel-conversation [data-part="tool-call"]').compareDocumentPosition(el) & 4) !== 0));

      // Typing in the find field types; it does not move.
      await page.getByRole('tab', { name: 'Raw JSON' }).click();
      await page.locator('[data-part="find-input"]').focus();
      await page.keyboard.type('jkt');
      assert.equal(await page.locator('[data-part="find-input"]').inputValue(), 'jkt');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.part), 'find-input');
      assert.equal(await page.getByRole('tab', { name: 'Raw JSON' }).getAttribute('aria-selected'), 'true');
      // From the Raw JSON tab, j goes back to the conversation and moves.
      await page.locator('.jtree [tabindex="0"]').focus();
      await page.keyboard.press('j');
      assert.equal(await page.getByRole('tab', { name: 'Conversation' }).getAttribute('aria-selected'), 'true');
      assert.equal((await focused(page)).tag, 'article');
    } finally {
      await page.close();
    }
  });

  it('j onto the left-out middle of a long conversation loads it and lands on its first message', async () => {
    const viewer = await openViewer(browser, { stepId: 'keys-gap', height: 700 });
    const { page } = viewer;
    try {
      const host = await serveTrace(viewer, loaded({ ...buildLargeTrace(3_000_000), step_id: 'keys-gap' }));
      const omitted = host.first.omitted!;
      assert.ok(omitted.lazy);
      await waitForRender(page);
      // The last message before the gap, focused as a shortcut leaves it.
      await page.locator(`#panel-conversation article.msg[data-index="${omitted.start - 1}"]`).evaluate((el: any) => {
        el.tabIndex = -1;
        el.focus();
      });
      await page.keyboard.press('j');
      await page.waitForFunction((i: number) => document.activeElement?.getAttribute('data-index') === String(i), omitted.start, { timeout: 30_000 });
      assert.ok(host.requests.some((r) => r.type === 'requestMessages' && r.start === omitted.start));
      await page.keyboard.press('j');
      assert.equal((await focused(page)).index, String(omitted.start + 1));
      await host.stop();
    } finally {
      await page.close();
    }
  });

  it('the shortcuts popover: the "?" button and the ? key open it, Escape closes it and gives the focus back', async () => {
    const data = buildTraceData(loaded(loadFixtureTrace('anthropic')));
    const viewer = await openViewer(browser, { stepId: data.stepId });
    const { page } = viewer;
    try {
      await viewer.send({ type: 'trace', data });
      await waitForRender(page);
      const button = page.getByRole('button', { name: 'Keyboard shortcuts (?)' });
      const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      assert.equal(await dialog.isVisible(), false);
      await button.focus();
      await page.keyboard.press('Enter');
      assert.equal(await dialog.isVisible(), true);
      assert.equal(await button.getAttribute('aria-expanded'), 'true');
      assert.equal(await page.evaluate(() => document.querySelector('[data-part="shortcuts"]').contains(document.activeElement)), true, 'the focus is in the popover');
      assert.ok(((await dialog.textContent()) ?? '').includes('Next tool call'));
      // Its close button is reachable by Tab.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Close (Escape)');
      await page.keyboard.press('Escape');
      assert.equal(await dialog.isVisible(), false);
      assert.equal(await button.evaluate((el: any) => el === document.activeElement), true, 'the focus is back on the button');

      // The ? key from a message; Escape returns to that message.
      await page.keyboard.press('j');
      const message = await focused(page);
      await page.keyboard.press('?');
      assert.equal(await dialog.isVisible(), true);
      await page.keyboard.press('Escape');
      assert.equal(await dialog.isVisible(), false);
      assert.deepEqual(await focused(page), message);
    } finally {
      await page.close();
    }
  });

  it('the run view: the steps are one tab stop, arrows move the selection, ? lists the keys', async () => {
    const fake = buildFakeData({ agents: 3, stepsPerAgent: 12 });
    const runId = fake.named!.memoryEdit;
    const { run, steps } = runAndSteps(fake, runId);
    const tracker = new RunTracker(run, steps);
    const view = await openRunView(browser, { runId });
    const { page } = view;
    try {
      await view.send({ type: 'run', model: tracker.model() });
      await page.locator('li.step-row').first().waitFor();
      assert.equal(await page.locator('li.step-row[tabindex="0"]').count(), 1);
      assert.equal(await page.locator('li.step-row[aria-selected="true"]').count(), 1);
      await page.getByRole('button', { name: 'Keyboard shortcuts (?)' }).focus();
      // Tab from the header's last button reaches the list once, on its selected row.
      for (let i = 0; i < 20 && (await page.evaluate(() => document.activeElement?.getAttribute('role'))) !== 'option'; i++) {
        await page.keyboard.press('Tab');
      }
      assert.equal((await focused(page)).index, '0');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('End');
      const last = String(steps.length - 1);
      assert.equal((await focused(page)).index, last);
      assert.deepEqual(await page.locator('li.step-row[aria-selected="true"]').evaluateAll((els: any[]) => els.map((e) => e.dataset.index)), [last]);
      await page.keyboard.press('Home');
      assert.equal((await focused(page)).index, '0');
      await page.keyboard.press('Tab');
      assert.notEqual((await focused(page)).role, 'option', 'one tab stop: the next Tab leaves the list');
      await page.keyboard.press('?');
      assert.equal(await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible(), true);
      await page.keyboard.press('Escape');
      assert.equal(await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible(), false);
    } finally {
      await page.close();
    }
  });
});

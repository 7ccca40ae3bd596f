/**
 * The trace viewer in Chromium, as a person sees it: each fixture's conversation, tools, usage and
 * finish reason; the raw tree, search and copy; hostile text staying text; huge and deep data.
 * Needs `node esbuild.js` first (it loads the built dist/webview.js).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Part } from '../../src/core/conversation/model';
import type { LoadedTrace, ProviderTrace } from '../../src/core/lettaTypes';
import { formatUsage } from '../../src/core/conversation/format';
import { buildTraceData, splitTraceData } from '../../src/core/viewer/tracePayload';
import type { TraceData, WebviewMessage } from '../../src/shared/protocol';
import { buildDeepJson, buildLargeTrace } from '../fixtures/builders';
import { findDone, markedWord } from './findSteps';
import { themeVariables } from './themes';
import { loadFixtureTrace, loadFixtureTraces } from '../fixtures/fixtures';
import { launchBrowser, openViewer, repoRoot, waitForRender, type ViewerPage } from './page';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const getComputedStyle: any;

const SHOTS = path.join(repoRoot(), '.test-work');

function loaded(trace: ProviderTrace, stepId = trace.step_id ?? 'step-00000000-0000-4000-8000-000000000000'): LoadedTrace {
  return { stepId, trace, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 0 };
}

function countParts(parts: Part[], kind: Part['kind']): number {
  let n = 0;
  for (const p of parts) {
    if (p.kind === kind) {
      n++;
    }
    if (p.kind === 'tool-result') {
      n += countParts(p.content, kind);
    }
  }
  return n;
}

/** What the find should count: the non-overlapping, case-insensitive occurrences of `word` in the raw JSON text. */
function occurrences(text: string, word: string): number {
  const lower = text.toLowerCase();
  let n = 0;
  for (let at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + word.length)) {
    n++;
  }
  return n;
}

const findCount = (page: Page) => page.locator('[data-part="find-count"]');

/** Types `word` into the one find (opened from the raw view's search button) and waits for its count. */
async function findFromRawView(page: Page, word: string, timeout = 30_000): Promise<void> {
  await page.getByRole('button', { name: 'Find in the trace (Ctrl+F)' }).click();
  await page.keyboard.type(word);
  await findDone(page, word, timeout);
}

async function show(browser: Browser, data: TraceData, theme: 'dark' | 'light' = 'dark'): Promise<ViewerPage> {
  const viewer = await openViewer(browser, { stepId: data.stepId, theme });
  await viewer.send({ type: 'trace', data });
  await waitForRender(viewer.page);
  return viewer;
}

async function lastPosted(viewer: ViewerPage): Promise<WebviewMessage | undefined> {
  const posted = await viewer.posted();
  return posted[posted.length - 1];
}

describe('trace viewer (Chromium)', () => {
  let browser: Browser;
  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  for (const { name, trace } of loadFixtureTraces()) {
    it(`shows the ${name} fixture as a person would read it`, async () => {
      const data = buildTraceData(loaded(trace));
      const c = data.conversation;
      const viewer = await show(browser, data);
      const { page } = viewer;
      try {
        assert.equal(await page.locator('h1.step-id').textContent(), data.stepId);
        if (data.summary.model) {
          assert.equal(await page.locator('[data-fact="model"] .fact-value').textContent(), data.summary.model);
        }
        const u = data.summary.usage;
        if (u?.promptTokens !== undefined) {
          assert.equal(await page.locator('[data-fact="promptTokens"] .fact-value').textContent(), u.promptTokens.toLocaleString('en-US'));
        }
        if (u?.completionTokens !== undefined) {
          assert.equal(await page.locator('[data-fact="completionTokens"] .fact-value').textContent(), u.completionTokens.toLocaleString('en-US'));
        }
        if (u?.cachedTokens !== undefined) {
          assert.equal(await page.locator('[data-fact="cachedTokens"] .fact-value').textContent(), u.cachedTokens.toLocaleString('en-US'));
        }

        // Every request message, in order and by role.
        const roles = await page.locator('[data-section="messages"] article.msg').evaluateAll((els: any[]) => els.map((e) => e.dataset.role));
        assert.deepEqual(roles, c.messages.map((m) => m.role));
        const outputRoles = await page.locator('[data-section="response"] article.msg').evaluateAll((els: any[]) => els.map((e) => e.dataset.role));
        assert.deepEqual(outputRoles, c.output.map((m) => m.role));

        // Folded system prompts open on click, so their parts can be counted too.
        for (const toggle of await page.locator('.msg-fold > .collapse-toggle').all()) {
          await toggle.click();
        }
        const all = [...c.messages, ...c.output].flatMap((m) => m.parts);
        assert.equal(await page.locator('[data-part="tool-call"]').count(), countParts(all, 'tool-call'), 'tool calls');
        assert.equal(await page.locator('[data-part="tool-result"]').count(), countParts(all, 'tool-result'), 'tool results');
        assert.equal(await page.locator('[data-part="image"]').count(), countParts(all, 'image'), 'image placeholders');

        // The first user text is on screen, as text.
        const firstUserText = c.messages.find((m) => m.role === 'user')?.parts.find((p) => p.kind === 'text');
        if (firstUserText?.kind === 'text') {
          const texts = await page.locator('[data-section="messages"] .text').allTextContents();
          // Bidi controls are shown as visible markers (dom.ts revealBidi), so compare against that.
          const expected = firstUserText.text.slice(0, 200).replace(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, (ch) => `‹U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}›`);
          assert.ok(
            texts.some((t) => t.startsWith(expected.slice(0, 150))),
            `first user text shown: ${firstUserText.text.slice(0, 60)}`,
          );
        }

        // Tool definitions, by name.
        const toolNames = await page.locator('[data-tool]').evaluateAll((els: any[]) => els.map((e) => e.dataset.tool));
        if (c.tools.length > 0 && toolNames.length === 0) {
          await page.locator('[data-section="tools"] .collapse-toggle').first().click();
        }
        assert.deepEqual(await page.locator('[data-tool]').evaluateAll((els: any[]) => els.map((e) => e.dataset.tool)), c.tools.map((t) => t.name));

        if (c.finishReason) {
          assert.equal(await page.locator('[data-fact="finishReason"]').textContent(), c.finishReason);
        }
        if (c.usage) {
          assert.ok((await page.locator('[data-fact="usage"]').textContent())?.includes(formatUsage(c.usage)));
        }
        const error = data.summary.error ?? c.error;
        if (error) {
          const banner = page.locator('[data-part="call-error"]');
          assert.ok(await banner.isVisible(), 'the failure is shown first');
          assert.ok((await banner.textContent())?.includes(error.message));
        } else {
          assert.equal(await page.locator('[data-part="call-error"]').count(), 0);
        }
        for (const note of c.notes) {
          assert.ok((await page.locator('[data-part="notes"]').textContent())?.includes(note));
        }
        assert.deepEqual(viewer.foreignRequests, []);
        if (name === 'openai-chat' || name === 'anthropic' || name === 'failed-call') {
          await page.screenshot({ path: path.join(SHOTS, `webview-${name}-dark.png`) });
        }
      } finally {
        await page.close();
      }
    });
  }

  it('README screenshot: a conversation at first sight', async () => {
    const trace = loadFixtureTrace('openai-chat');
    const viewer = await openViewer(browser, { stepId: trace.step_id!, theme: 'dark', width: 1000, height: 760 });
    try {
      await viewer.send({ type: 'trace', data: buildTraceData(loaded(trace)) });
      await waitForRender(viewer.page);
      // Letta's prompt shows its memory blocks as cards; its long base instructions start folded.
      assert.equal(await viewer.page.locator('.memory-card').count(), 2);
      assert.equal(await viewer.page.locator('[data-part="base-instructions"] .collapse-toggle').getAttribute('aria-expanded'), 'false', 'the base instructions start folded');
      await viewer.page.screenshot({ path: path.join(SHOTS, 'webview-readme.png') });
    } finally {
      await viewer.page.close();
    }
  });

  it('renders in a light theme: every text takes its colour from the theme, none is hard-coded', async () => {
    const data = buildTraceData(loaded(loadFixtureTrace('openai-responses')));
    const coloursIn = async (theme: 'dark' | 'light') => {
      const viewer = await show(browser, data, theme);
      try {
        if (theme === 'light') {
          await viewer.page.screenshot({ path: path.join(SHOTS, 'webview-openai-responses-light.png') });
        }
        return await viewer.page.evaluate((vars) => {
          // The theme's colours as the browser computes them, to compare with what each text got.
          const probe = document.createElement('span');
          document.body.append(probe);
          const allowed = new Set(
            Object.values(vars).map((v) => {
              probe.style.color = '';
              probe.style.color = v;
              return getComputedStyle(probe).color;
            }),
          );
          probe.remove();
          const used = new Set<string>();
          for (const el of document.querySelectorAll('body *')) {
            if ([...el.childNodes].some((n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '')) {
              used.add(getComputedStyle(el).color);
            }
          }
          return { used: [...used].sort(), stray: [...used].filter((c) => !allowed.has(c)) };
        }, themeVariables(theme));
      } finally {
        await viewer.page.close();
      }
    };
    const light = await coloursIn('light');
    const dark = await coloursIn('dark');
    assert.ok(light.used.length > 0, 'text was rendered');
    assert.deepEqual(light.stray, [], `colours not from the light theme: ${light.stray.join(', ')}`);
    assert.deepEqual(dark.stray, [], `colours not from the dark theme: ${dark.stray.join(', ')}`);
    assert.notDeepEqual(light.used, dark.used, 'the text colours follow the theme');
  });

  it('copy buttons and actions post the right messages', async () => {
    const trace = loadFixtureTrace('openai-chat');
    const data = buildTraceData(loaded(trace));
    const viewer = await show(browser, data);
    const { page } = viewer;
    try {
      await page.getByRole('button', { name: 'Copy step ID' }).click();
      assert.deepEqual(await lastPosted(viewer), { type: 'copy', text: data.stepId, label: 'Step ID' });
      await page.getByRole('button', { name: 'Copy Agent' }).click();
      assert.deepEqual(await lastPosted(viewer), { type: 'copy', text: data.summary.agentId, label: 'Agent' });
      for (const action of ['refresh', 'openDocuments', 'compare', 'save', 'copyCurl']) {
        await page.locator(`[data-action="${action}"]`).click();
        assert.deepEqual(await lastPosted(viewer), { type: 'action', action });
      }
      // Keyboard: the copy button is reachable and activates with Enter.
      await page.getByRole('button', { name: 'Copy step ID' }).focus();
      await page.keyboard.press('Enter');
      assert.deepEqual(await lastPosted(viewer), { type: 'copy', text: data.stepId, label: 'Step ID' });
      const toolCall = c0(data);
      await page.locator('[data-part="tool-call"] [aria-label="Copy arguments"]').first().click();
      const posted = await lastPosted(viewer);
      assert.equal(posted?.type, 'copy');
      assert.equal((posted as { text: string }).text, JSON.stringify(toolCall, null, 2));
    } finally {
      await page.close();
    }
  });

  it('raw JSON: lazy tree, expand, search with count and next, copy path and value', async () => {
    const trace = loadFixtureTrace('openai-chat');
    const data = buildTraceData(loaded(trace));
    const viewer = await show(browser, data);
    const { page } = viewer;
    try {
      await page.getByRole('tab', { name: 'Raw JSON' }).click();
      const rows = page.locator('.jtree > .jrow');
      // Roots and their first level only: nothing deeper is built before it is expanded.
      const rootKeys = await page.locator('.jrow[aria-level="1"] .jkey').allTextContents();
      assert.deepEqual(rootKeys, ['request', 'response', 'metadata']);
      assert.equal(await page.locator('.jrow[aria-level="3"]').count(), 0);
      const before = await rows.count();

      const messagesRow = page.locator('.jrow[aria-level="2"]', { has: page.locator('.jkey', { hasText: /^messages$/ }) }).first();
      await messagesRow.locator('.jtoggle').click();
      const request = trace.request_json as { messages: unknown[] };
      assert.equal(await rows.count(), before + request.messages.length);
      assert.equal(await messagesRow.getAttribute('aria-expanded'), 'true');
      await messagesRow.locator('.jtoggle').click();
      assert.equal(await rows.count(), before);

      // Copy path of request.model.
      const modelRow = page.locator('.jrow[aria-level="2"]', { has: page.locator('.jkey', { hasText: /^model$/ }) }).first();
      await modelRow.hover();
      await modelRow.locator('[data-act="copy-path"]').click();
      assert.deepEqual(await lastPosted(viewer), { type: 'copy', text: '$.request.model', label: 'JSON path' });
      await modelRow.locator('[data-act="copy-value"]').click();
      assert.deepEqual(await lastPosted(viewer), { type: 'copy', text: String((trace.request_json as { model: string }).model), label: 'Value of $.request.model' });

      // The one find (from the raw view's search button) counts every match in keys and values,
      // even in parts never expanded, here in the page that holds the trace; each match is opened
      // down to, marked and stepped through.
      const needle = 'carrier';
      const expected = occurrences(data.raw ?? '', needle);
      assert.ok(expected > 1);
      assert.equal(await page.locator('.jrow.jcurrent').count(), 0);
      await findFromRawView(page, needle);
      assert.equal(await findCount(page).getAttribute('data-total'), String(expected));
      await page.waitForFunction((t: string) => document.querySelector('[data-part="find-count"]')?.textContent === t, `1 of ${expected}`);
      await markedWord(page, needle);
      assert.equal(await page.locator('.jrow.jcurrent').count(), 1);
      assert.ok(Number(await page.locator('.jrow.jcurrent').getAttribute('aria-level')) > 2, 'deep in the tree: opened down to it');
      await page.locator('[data-part="find-input"]').press('Enter');
      await page.waitForFunction((t: string) => document.querySelector('[data-part="find-count"]')?.textContent === t, `2 of ${expected}`);
      await markedWord(page, needle);
      assert.equal(await page.locator('.jrow.jcurrent').count(), 1);
      await page.getByRole('button', { name: 'Previous match (Shift+Enter)' }).click();
      await page.waitForFunction((t: string) => document.querySelector('[data-part="find-count"]')?.textContent === t, `1 of ${expected}`);
      await markedWord(page, needle);
      // No search of the raw view's own beside it.
      assert.equal(await page.locator('#panel-raw input').count(), 0);

      // Expand all is bounded; collapse all returns to the roots.
      await page.locator('button.expand-all').click();
      assert.ok((await rows.count()) > before);
      await page.locator('button.collapse-all').click();
      assert.equal(await rows.count(), 3);
      await page.screenshot({ path: path.join(SHOTS, 'webview-raw-dark.png') });
    } finally {
      await page.close();
    }
  });

  it('decodes JSON inside a string', async () => {
    const trace: ProviderTrace = {
      step_id: 'step-11111111-1111-4111-8111-111111111111',
      request_json: { model: 'm', messages: [] },
      response_json: { body: JSON.stringify({ id: 'inner-id', nested: { ok: true } }) },
    };
    const viewer = await show(browser, buildTraceData(loaded(trace)));
    const { page } = viewer;
    try {
      await page.getByRole('tab', { name: 'Raw JSON' }).click();
      const bodyRow = page.locator('.jrow', { has: page.locator('.jkey', { hasText: /^body$/ }) });
      await bodyRow.hover();
      await bodyRow.locator('[data-act="decode"]').click();
      const idRow = page.locator('.jrow', { has: page.locator('.jkey', { hasText: /^id$/ }) });
      assert.equal(await idRow.locator('.jval').textContent(), '"inner-id"');
      await idRow.hover();
      await idRow.locator('[data-act="copy-path"]').click();
      assert.deepEqual(await lastPosted(viewer), { type: 'copy', text: 'JSON.parse($.response.body).id', label: 'JSON path' });
    } finally {
      await page.close();
    }
  });

  it('hostile trace: markup stays text, nothing runs, no image or link is made from data', async () => {
    // With markup deep in a long string too: the find shows that match in an excerpt of its own.
    const trace: ProviderTrace = { ...loadFixtureTrace('hostile'), long_markup: `${'z'.repeat(2_000)}<img src=x onerror=alert(2)><script>alert(3)</script>${'z'.repeat(2_000)}` };
    const data = buildTraceData(loaded(trace));
    const viewer = await show(browser, data);
    const { page } = viewer;
    try {
      for (const toggle of await page.locator('.collapse-toggle[aria-expanded="false"]').all()) {
        await toggle.click();
      }
      const body = (await page.locator('body').textContent()) ?? '';
      assert.ok(body.includes('<img src=x onerror=alert(1)>'), 'markup shown as text');
      assert.ok(body.includes('</script><script>alert(document.cookie)</script>'));
      await page.getByRole('tab', { name: 'Raw JSON' }).click();
      await page.locator('button.expand-all').click();
      // Open strings and nodes one by one (each click changes the list, so always take the first closed one).
      for (let i = 0; i < 40 && (await page.locator('.jrow[aria-expanded="false"] .jtoggle').count()) > 0; i++) {
        await page.locator('.jrow[aria-expanded="false"] .jtoggle').first().click();
      }
      // The find shows each match of "alert" (in the markup and scripts of the trace) as text.
      await findFromRawView(page, 'alert');
      const total = Number(await findCount(page).getAttribute('data-total'));
      assert.equal(total, occurrences(data.raw ?? '', 'alert'));
      assert.ok(total > 1);
      let excerpts = 0;
      for (let i = 1; i <= total; i++) {
        await page.waitForFunction((t: string) => document.querySelector('[data-part="find-count"]')?.textContent === t, `${i} of ${total}`);
        await markedWord(page, 'alert');
        // The mark sits in the text it was found in, shown as text: its markup is characters.
        const around = await page.locator('[data-part="find-mark"]').evaluate((m: any) => m.parentElement.textContent);
        assert.match(around, /alert/i);
        const inLong = (await page.locator('.jrow.jcurrent > .jkey').textContent()) === 'long_markup';
        if (inLong) {
          excerpts++;
          assert.ok(((await page.locator('[data-part="find-excerpt"]').textContent()) ?? '').includes('<img src=x onerror=alert(2)><script>alert(3)</script>'), 'the excerpt shows the markup as text');
        }
        if (i < total) {
          await page.locator('[data-part="find-input"]').press('Enter');
        }
      }
      assert.equal(excerpts, 2, 'both matches in the long string were shown in excerpts');
      const shownMarkup = await page.locator('#panel-raw').textContent();
      assert.ok(shownMarkup?.includes('<img src=x onerror=alert(1)>'), 'markup found by the find is shown as text');
      const dom = await page.evaluate(() => ({
        pwned: window.__pwned,
        images: document.querySelectorAll('img, svg, iframe, object, embed, video, audio').length,
        scripts: document.querySelectorAll('script').length,
        styles: document.querySelectorAll('style').length,
        links: [...document.querySelectorAll('a')].map((a: any) => a.getAttribute('href')),
        inlineHandlers: [...document.querySelectorAll('*')].filter((e: any) => [...e.attributes].some((a: any) => a.name.startsWith('on'))).length,
        bodyVisible: getComputedStyle(document.body).display !== 'none',
      }));
      assert.equal(dom.pwned, false);
      assert.deepEqual(viewer.dialogs, []);
      assert.equal(dom.images, 0);
      assert.equal(dom.scripts, 1, 'only the viewer script');
      assert.equal(dom.styles, 0);
      assert.deepEqual(dom.links, []);
      assert.equal(dom.inlineHandlers, 0);
      assert.ok(dom.bodyVisible);
      assert.deepEqual(viewer.foreignRequests, []);
      await page.screenshot({ path: path.join(SHOTS, 'webview-hostile-dark.png') });
    } finally {
      await page.close();
    }
  });

  it('huge strings and 10,000-deep nesting render without crashing', async () => {
    const giant = 'x'.repeat(5_000_000);
    const trace: ProviderTrace = {
      step_id: 'step-22222222-2222-4222-8222-222222222222',
      request_json: { model: 'gpt-4.1', messages: [{ role: 'user', content: giant }], deep: buildDeepJson(10_000) },
      response_json: { choices: [{ message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] },
    };
    const data = buildTraceData(loaded(trace));
    const viewer = await show(browser, data);
    const { page } = viewer;
    try {
      const shown = await page.locator('[data-section="messages"] .text').first().textContent();
      assert.ok(shown !== null && shown.length < 20_000, 'the giant string is truncated');
      await page.getByRole('button', { name: /^Show all/ }).first().click();
      assert.equal((await page.locator('[data-section="messages"] .text').first().textContent())?.length, giant.length);

      await page.getByRole('tab', { name: 'Raw JSON' }).click();
      await findFromRawView(page, 'leaf', 60_000);
      await page.waitForFunction(() => document.querySelector('[data-part="find-count"]')?.textContent === '1 of 1');
      await markedWord(page, 'leaf');
      assert.ok(((await page.locator('.jrow.jcurrent').textContent()) ?? '').includes('leaf'));
      assert.ok(Number(await page.locator('.jrow.jcurrent').getAttribute('aria-level')) > 10_000, 'opened 10,000 levels down to it');
      await page.locator('button.collapse-all').click();
      await page.locator('button.expand-all').click();
      assert.ok((await page.locator('.jrow').count()) > 3);
      assert.equal(await page.evaluate(() => 1 + 1), 2, 'page still responds');
    } finally {
      await page.close();
    }
  });

  it('a long trace arrives in pieces: first and last messages at once, the middle on request, raw JSON in chunks', async () => {
    const data = buildTraceData(loaded(buildLargeTrace(3_000_000)));
    const all = data.conversation.messages;
    const messages = splitTraceData(data);
    assert.ok(messages.length > 3, 'split into several messages');
    const first = messages[0];
    assert.equal(first.type, 'trace');
    const omitted = first.type === 'trace' ? first.data.omitted : undefined;
    assert.ok(omitted && omitted.count > 100);
    const viewer = await openViewer(browser, { stepId: data.stepId });
    const { page } = viewer;
    try {
      for (const m of messages) {
        await viewer.send(m);
      }
      await waitForRender(page);
      const indices = () => page.locator('[data-section="messages"] article.msg').evaluateAll((els: any[]) => els.map((e) => Number(e.dataset.index)));
      const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
      assert.deepEqual(await indices(), [...range(0, omitted.start), ...range(omitted.start + omitted.count, all.length)]);
      assert.equal(await page.locator('[data-section="messages"] h2 .count').textContent(), String(all.length));
      const gap = page.locator('[data-part="gap"]');
      assert.equal(await gap.getAttribute('data-hidden'), String(omitted.count));
      assert.ok((await gap.textContent())?.includes(`${omitted.count.toLocaleString('en-US')} earlier messages not shown`));
      // The response is on the first screen's page, not behind thousands of messages.
      assert.equal(await page.locator('[data-section="response"] article.msg').count(), data.conversation.output.length);

      await gap.getByRole('button', { name: 'Show 50 more' }).click();
      // The gap's count changes in the slice after the messages it renders.
      await page.waitForFunction((left: string) => document.querySelector('[data-part="gap"]')?.dataset.hidden === left, String(omitted.count - 50));
      assert.deepEqual(await indices(), [...range(0, omitted.start + 50), ...range(omitted.start + omitted.count, all.length)]);
      assert.equal(await gap.getAttribute('data-hidden'), String(omitted.count - 50));
      await gap.getByRole('button', { name: 'Show all' }).click();
      await page.waitForFunction(() => !document.querySelector('[data-part="gap"]'), undefined, { timeout: 60_000 });
      assert.deepEqual(await indices(), range(0, all.length));
      const roles = await page.locator('[data-section="messages"] article.msg').evaluateAll((els: any[]) => els.map((e) => e.dataset.role));
      assert.deepEqual(roles, all.map((m) => m.role));

      // The raw text came in chunks and is parsed in slices; the tree is the same JSON.
      await page.getByRole('tab', { name: 'Raw JSON' }).click();
      await page.locator('.jtree').waitFor({ timeout: 60_000 });
      assert.deepEqual(await page.locator('.jrow[aria-level="1"] .jkey').allTextContents(), ['request', 'response', 'metadata']);
      const request = JSON.parse(data.raw ?? 'null').request as { messages: unknown[] };
      const messagesRow = page.locator('.jrow[aria-level="2"]', { has: page.locator('.jkey', { hasText: /^messages$/ }) }).first();
      assert.equal(await messagesRow.locator('.jval').textContent(), `[ ${request.messages.length} items ]`);
    } finally {
      await page.close();
    }
  });

  it('keeps the tab and scroll position in its state and restores them', async () => {
    const trace = loadFixtureTrace('openai-chat');
    const data = buildTraceData(loaded(trace));
    const viewer = await openViewer(browser, { stepId: data.stepId, height: 400 });
    try {
      await viewer.send({ type: 'trace', data });
      await waitForRender(viewer.page);
      await viewer.page.evaluate(() => window.scrollTo(0, 300));
      await viewer.page.waitForFunction(() => window.__state()?.scroll?.conversation === 300);
      await viewer.page.getByRole('tab', { name: 'Raw JSON' }).click();
      const state = await viewer.page.evaluate(() => window.__state());
      assert.equal(state.stepId, data.stepId);
      assert.equal(state.tab, 'raw');
      assert.equal(state.scroll.conversation, 300);
      await viewer.page.getByRole('tab', { name: 'Conversation' }).click();
      assert.equal(await viewer.page.evaluate(() => window.scrollY), 300);
    } finally {
      await viewer.page.close();
    }
    // A reloaded webview (hidden, then shown again) gets its state back and opens where it was.
    const restored = await openViewer(browser, { stepId: data.stepId, height: 400, state: { stepId: data.stepId, tab: 'conversation', scroll: { conversation: 250 } } });
    try {
      await restored.send({ type: 'trace', data });
      await waitForRender(restored.page);
      await restored.page.waitForFunction(() => window.scrollY === 250);
      const other = await openViewer(browser, { stepId: data.stepId, state: { stepId: data.stepId, tab: 'raw' } });
      try {
        await other.send({ type: 'trace', data });
        await waitForRender(other.page);
        assert.equal(await other.page.getByRole('tab', { name: 'Raw JSON' }).getAttribute('aria-selected'), 'true');
        assert.ok(await other.page.locator('.jtree').isVisible());
      } finally {
        await other.page.close();
      }
    } finally {
      await restored.page.close();
    }
  });

  it('shows loading and error states', async () => {
    const viewer = await openViewer(browser, { stepId: 'step-33333333-3333-4333-8333-333333333333' });
    const { page } = viewer;
    try {
      assert.ok(((await page.locator('#app').textContent()) ?? '').includes('Loading trace'));
      await viewer.send({ type: 'error', message: 'No trace was recorded for this step.' });
      assert.ok(((await page.locator('[role="alert"]').textContent()) ?? '').includes('No trace was recorded'));
      await page.getByRole('button', { name: 'Refresh' }).click();
      assert.deepEqual(await lastPosted(viewer), { type: 'action', action: 'refresh' });
    } finally {
      await page.close();
    }
  });
});

function c0(data: TraceData): unknown {
  for (const m of data.conversation.messages) {
    for (const p of m.parts) {
      if (p.kind === 'tool-call') {
        return p.arguments;
      }
    }
  }
  return undefined;
}

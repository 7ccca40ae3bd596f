/**
 * Issue 16 in Chromium: Letta's memory blocks as cards, the context window bar and table, the cost
 * and the parameters in the header, for each context fixture (both block formats, with and without
 * the step's context_window_limit, a known and an unknown model) and a prompt that is not Letta's.
 * The host's payload is built with the real buildTraceData; the `context` message with the real
 * tokenizer and price table. Needs `node esbuild.js` first.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { calcPrice } from '@pydantic/genai-prices';
import type { Browser } from 'playwright-core';
import { formatUsd } from '../../src/core/context/cost';
import { stepContextLater, type StepContextLater } from '../../src/core/context/stepContext';
import { memoryBlocks, blockUsage } from '../../src/core/context/systemPrompt';
import { countTokensChunked, type TokenCounter } from '../../src/core/context/tokenCount';
import { loadEncoder } from '../../src/core/context/tokenizerModule';
import { groupDigits } from '../../src/core/conversation/format';
import type { LoadedTrace } from '../../src/core/lettaTypes';
import { buildTraceData } from '../../src/core/viewer/tracePayload';
import { contextTraces } from '../fixtures/contextFixtures';
import { launchBrowser, openViewer, repoRoot, waitForRender, type ViewerPage } from './page';

/* eslint-disable @typescript-eslint/no-explicit-any */

const SHOTS = path.join(repoRoot(), '.test-work', 'screenshots');
const count: TokenCounter = async (texts, encoding) => countTokensChunked(texts, await loadEncoder(encoding));

/** The same OpenAI step on a model the price table does not know (and whose tokenizer is not public). */
function unknownModel(): { name: string; loaded: LoadedTrace } {
  const [{ loaded }] = contextTraces();
  const trace = structuredClone(loaded.trace);
  trace.llm_config = { ...(trace.llm_config ?? {}), model: 'acme-finetune-7b', model_endpoint_type: 'vllm' };
  trace.request_json = { ...trace.request_json, model: 'acme-finetune-7b' };
  return { name: 'unknown-model', loaded: { ...loaded, trace, step: { ...loaded.step!, model: 'acme-finetune-7b' } } };
}

async function show(browser: Browser, loaded: LoadedTrace): Promise<{ viewer: ViewerPage; later: StepContextLater }> {
  const data = buildTraceData(loaded);
  const viewer = await openViewer(browser, { stepId: data.stepId });
  await viewer.send({ type: 'trace', data });
  await waitForRender(viewer.page);
  const later = await stepContextLater(loaded, { count, loadPrices: () => Promise.resolve(calcPrice) });
  return { viewer, later };
}

describe('step context in the viewer (Chromium)', () => {
  let browser: Browser;
  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  for (const { name, loaded } of [...contextTraces(), unknownModel()]) {
    it(`${name}: memory cards, context bar and table, cost, parameters`, async () => {
      const { viewer, later } = await show(browser, loaded);
      const { page } = viewer;
      const data = buildTraceData(loaded);
      try {
        const located = data.context?.systemPrompt;
        assert.ok(located, 'the payload carries the parsed prompt');
        const blocks = memoryBlocks(located.parsed);

        // Cards: one per block, in order, with the usage stated in words (not colour alone).
        assert.deepEqual(await page.locator('.memory-card').evaluateAll((els: any[]) => els.map((e) => e.dataset.block)), blocks.map((b) => b.label));
        for (const block of blocks) {
          const card = page.locator(`.memory-card[data-block="${block.label}"]`);
          const state = blockUsage(block);
          assert.equal(await card.locator('.block-usage').getAttribute('data-usage'), state, block.label);
          const text = await card.locator('.usage-text').textContent();
          assert.match(text ?? '', new RegExp(`^${groupDigits(block.charsCurrent ?? 0)} / ${groupDigits(block.charsLimit ?? 0)} characters`));
          const stateText = card.locator('[data-part="usage-state"]');
          if (state === 'over') {
            assert.equal(await stateText.textContent(), `Over limit by ${groupDigits((block.charsCurrent ?? 0) - (block.charsLimit ?? 0))}`);
          } else if (state === 'near') {
            assert.equal(await stateText.textContent(), 'Near limit');
          } else {
            assert.equal(await stateText.count(), 0);
          }
          assert.equal(await card.locator('[data-part="read-only"]').count(), block.readOnly ? 1 : 0, `${block.label} read-only badge`);
          assert.equal(await card.locator('[role="meter"]').getAttribute('aria-valuetext'), text);
          const value = card.locator('.block-text');
          assert.equal(await value.textContent(), block.value);
          if (block.numberedValue !== undefined) {
            const toggle = card.getByRole('button', { name: 'Show line numbers' });
            await toggle.click();
            assert.equal(await card.locator('.block-text').textContent(), block.numberedValue);
            assert.equal(await card.locator('.line-toggle').getAttribute('aria-pressed'), 'true');
            await card.getByRole('button', { name: 'Hide line numbers' }).click();
            assert.equal(await card.locator('.block-text').textContent(), block.value);
          } else {
            assert.equal(await card.locator('.line-toggle').count(), 0);
          }
        }
        for (const m of blocks.flatMap((b) => b.metadata)) {
          assert.ok((await page.locator(`.badge-meta[data-meta="${m.key}"]`).count()) > 0, `metadata ${m.key}`);
        }
        const meta = located.parsed.sections.find((s) => s.kind === 'memory-metadata');
        if (meta?.kind === 'memory-metadata' && meta.metadata.recallMessages !== undefined) {
          assert.equal(await page.locator('[data-part="memory-metadata"] [data-fact="recall"] .fact-value').textContent(), `${groupDigits(meta.metadata.recallMessages)} messages`);
        }

        // Parameters at a glance, in the header.
        for (const p of data.context?.parameters ?? []) {
          assert.equal(await page.locator(`.params-glance [data-param="${p.id}"] .fact-value`).textContent(), p.value);
        }
        assert.ok((data.context?.parameters.length ?? 0) > 0);

        // Before the counts arrive, the section says so; the cost waits.
        assert.equal(await page.locator('.context-pending').count(), 1);
        assert.equal(await page.locator('[data-fact="cost"] .fact-value').textContent(), '…');
        await viewer.send({ type: 'context', stepId: data.stepId, context: later });
        await page.locator('.context-window').waitFor();

        const w = later.window;
        assert.ok(w);
        // The bar: one segment per section with tokens; the table: one row per section, labelled.
        assert.deepEqual(await page.locator('.context-seg').evaluateAll((els: any[]) => els.map((e) => e.dataset.section)), w.sections.filter((s) => s.tokens > 0).map((s) => s.id));
        const rows = await page.locator('.context-table tbody tr').evaluateAll((els: any[]) => els.map((e) => [e.dataset.section, e.children[0].textContent, e.children[1].textContent]));
        assert.deepEqual(rows, w.sections.map((s) => [s.id, s.label, groupDigits(s.tokens)]));
        assert.equal(await page.locator('tr[data-row="total"] td').first().textContent(), groupDigits(w.totalTokens));
        if (w.reportedPromptTokens !== undefined) {
          assert.equal(await page.locator('tr[data-row="reported"] td').first().textContent(), groupDigits(w.reportedPromptTokens));
          const d = w.difference ?? 0;
          assert.equal(await page.locator('tr[data-row="difference"] td').first().textContent(), `${d > 0 ? '+' : d < 0 ? '−' : ''}${groupDigits(Math.abs(d))}`);
        }
        assert.match((await page.locator('[data-fact="contextUsed"]').textContent()) ?? '', new RegExp(`^${groupDigits(w.totalTokens)} of ${groupDigits(w.limit ?? 0)} tokens`));
        assert.equal(await page.locator('[data-part="estimated"]').count(), w.estimated ? 1 : 0);
        assert.equal(await page.locator('[data-part="exact"]').count(), w.estimated ? 0 : 1);

        // Cost: the total, or "cost unknown" with the reason: never a guess.
        const cost = page.locator('[data-fact="cost"]');
        if (later.cost.known) {
          assert.equal(await cost.locator('.fact-value').textContent(), formatUsd(later.cost.total));
          assert.match((await cost.locator('.cost-detail').textContent()) ?? '', /2026-09-23 prices/);
        } else {
          assert.equal(await cost.locator('.fact-value').textContent(), 'cost unknown');
          assert.match((await cost.locator('.cost-detail').textContent()) ?? '', /does not know "acme-finetune-7b"/);
        }
        // A second context message (a refresh) replaces, never duplicates.
        await viewer.send({ type: 'context', stepId: data.stepId, context: later });
        assert.equal(await page.locator('.context-window').count(), 1);
        assert.equal(await page.locator('.cost-detail').count(), 1);

        assert.equal(await page.evaluate(() => (globalThis as any).__pwned), false);
        assert.deepEqual(viewer.foreignRequests, []);
        await page.locator('[data-section="context"]').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(SHOTS, `context-${name}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    });
  }

  it('a prompt that is not Letta\u2019s renders as text, as before', async () => {
    const [{ loaded }] = contextTraces();
    const trace = structuredClone(loaded.trace);
    const req = trace.request_json as { messages: { content: string }[] };
    req.messages[0].content = 'You are a helpful assistant. <persona>not a block</persona>';
    const { viewer, later } = await show(browser, { ...loaded, trace });
    try {
      assert.equal(await viewer.page.locator('.letta-prompt').count(), 0);
      assert.equal(await viewer.page.locator('.memory-card').count(), 0);
      assert.match((await viewer.page.locator('article.msg[data-role="system"] .text').first().textContent()) ?? '', /not a block/);
      await viewer.send({ type: 'context', stepId: loaded.stepId, context: later });
      await viewer.page.locator('.context-window').waitFor();
      assert.equal(await viewer.page.locator('.context-seg[data-section^="block:"]').count(), 0);
    } finally {
      await viewer.page.close();
    }
  });

  it('a context message for another step is ignored; a failed count says why', async () => {
    const [{ loaded }] = contextTraces();
    const { viewer, later } = await show(browser, loaded);
    try {
      await viewer.send({ type: 'context', stepId: 'step-00000000-0000-4000-8000-00000000dead', context: later });
      assert.equal(await viewer.page.locator('.context-pending').count(), 1);
      await viewer.send({ type: 'context', stepId: loaded.stepId, context: { cost: later.cost, windowError: 'The tokens could not be counted: no worker' } });
      assert.match((await viewer.page.locator('[data-part="context-error"]').textContent()) ?? '', /no worker/);
    } finally {
      await viewer.page.close();
    }
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`usage bars and the context bar take their colours from the ${theme} theme`, async () => {
      const [{ loaded }] = contextTraces();
      const data = buildTraceData(loaded);
      const viewer = await openViewer(browser, { stepId: data.stepId, theme });
      try {
        await viewer.send({ type: 'trace', data });
        await waitForRender(viewer.page);
        const later = await stepContextLater(loaded, { count, loadPrices: () => Promise.resolve(calcPrice) });
        await viewer.send({ type: 'context', stepId: data.stepId, context: later });
        await viewer.page.locator('.context-window').waitFor();
        const colours = await viewer.page.evaluate(() => {
          const doc = (globalThis as any).document;
          const themed = (name: string) => {
            const probe = doc.createElement('div');
            probe.style.color = `var(${name})`;
            doc.body.append(probe);
            const colour = (globalThis as any).getComputedStyle(probe).color;
            probe.remove();
            return colour;
          };
          const bg = (selector: string) => (globalThis as any).getComputedStyle(doc.querySelector(selector)).backgroundColor;
          return {
            over: bg('.usage-over .usage-fill'),
            near: bg('.usage-near .usage-fill'),
            memory: bg('.context-seg.seg-memory-block'),
            error: themed('--vscode-errorForeground'),
            yellow: themed('--vscode-charts-yellow'),
            blue: themed('--vscode-charts-blue'),
          };
        });
        assert.equal(colours.over, colours.error);
        assert.equal(colours.near, colours.yellow);
        assert.equal(colours.memory, colours.blue);
        assert.notEqual(colours.over, colours.near);
      } finally {
        await viewer.page.close();
      }
    });
  }

  it('README screenshot: memory cards and the context bar', async () => {
    const [{ loaded }] = contextTraces();
    const { viewer, later } = await show(browser, loaded);
    try {
      await viewer.send({ type: 'context', stepId: loaded.stepId, context: later });
      await viewer.page.locator('.context-window').waitFor();
      await viewer.page.setViewportSize({ width: 1100, height: 1300 });
      await viewer.page.screenshot({ path: path.join(SHOTS, 'webview-context-readme.png') });
    } finally {
      await viewer.page.close();
    }
  });
});

/**
 * What real traces carry, as a person sees it in Chromium (issue 14): citations under the text
 * they support, server and MCP tool calls with their own labels, Gemini grounding sources and
 * queries, MCP tool listings, every kind of tool definition, images inside tool results as inert
 * placeholders, usage that adds up, and an empty side said as such. Each on a real payload from
 * test/fixtures/realworld. Needs `node esbuild.js` first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { LoadedTrace, ProviderTrace } from '../../src/core/lettaTypes';
import { buildTraceData } from '../../src/core/viewer/tracePayload';
import { loadRealWorldTrace, loadRealWorldTraces } from '../fixtures/fixtures';
import { launchBrowser, openViewer, waitForRender, type ViewerPage } from './page';

/* eslint-disable @typescript-eslint/no-explicit-any */

function loaded(trace: ProviderTrace): LoadedTrace {
  return { stepId: trace.step_id ?? 'step-00000000-0000-4000-8000-000000000000', trace, source: { kind: 'file', path: '/tmp/trace.json' }, loadedAt: 0 };
}

describe('fidelity: real traces in the viewer (Chromium)', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  async function show(trace: ProviderTrace): Promise<ViewerPage> {
    const data = buildTraceData(loaded(trace));
    const viewer = await openViewer(browser, { stepId: data.stepId });
    await viewer.send({ type: 'trace', data });
    await waitForRender(viewer.page);
    return viewer;
  }

  it('Anthropic web search: citations under the text they support, links only through the host, server tool labels', async () => {
    const viewer = await show(loadRealWorldTrace('anthropic-web-search'));
    const { page } = viewer;
    try {
      const cited = page.locator('[data-part="cited-text"]', { hasText: 'Temperature: 66°F with clear skies' }).first();
      const citation = cited.locator('[data-part="citation"]').first();
      assert.match((await citation.textContent()) ?? '', /San Francisco, CA Weather Forecast \| AccuWeather/);
      assert.match((await citation.locator('.cited-text').textContent()) ?? '', /^San Francisco, CA Weather Today/);
      await citation.getByRole('button', { name: /accuweather\.com/ }).click();
      const posted = await viewer.posted();
      assert.deepEqual(posted[posted.length - 1], { type: 'openLink', url: 'https://www.accuweather.com/en/us/san-francisco/94103/weather-forecast/347629' });
      assert.equal(await page.locator('a[href], img, iframe').count(), 0, 'no live links or images');

      const call = page.locator('[data-part="tool-call"][data-origin="server"]').first();
      assert.match((await call.locator('.part-head').textContent()) ?? '', /Server tool call\s*web_search/);
      const result = page.locator('[data-part="tool-result"][data-origin="server"]').first();
      assert.match((await result.locator('.part-head').first().textContent()) ?? '', /Server tool result\s*web_search/);
      assert.ok((await result.locator('[data-part="source"]').count()) > 3, 'the search results are listed');
      assert.deepEqual(viewer.foreignRequests, []);
    } finally {
      await page.close();
    }
  });

  it('Gemini grounding: the search queries and sources, and the supported spans as citations; googleSearch among the tools', async () => {
    const viewer = await show(loadRealWorldTrace('gemini-rest-web-search'));
    const { page } = viewer;
    try {
      const sources = page.locator('[data-section="response"] [data-part="sources"]');
      assert.equal(await sources.locator('.query').allTextContents().then((q) => q.join('|')), 'weather in San Francisco today');
      assert.deepEqual(await sources.locator('[data-part="source"] .citation-title').allTextContents(), ['Weather information for San Francisco, CA, US', 'weather.gov', 'wunderground.com']);
      assert.ok((await page.locator('[data-section="response"] [data-part="citation"]').count()) > 0);
      const tool = page.locator('[data-tool="googleSearch"]');
      assert.equal(await tool.getAttribute('data-kind'), 'server');
      assert.match((await tool.textContent()) ?? '', /Server tool/);
      assert.match((await page.locator('[data-fact="usage"]').textContent()) ?? '', /119 tool-use prompt/);
      assert.equal(await page.locator('[data-fact="toolUsePromptTokens"] .fact-value').textContent(), '119');
      assert.equal(await page.locator('[data-fact="unaccountedTokens"]').count(), 0, 'the parts add up');
    } finally {
      await page.close();
    }
  });

  it('OpenAI Responses MCP: the server with its description and settings (no header values), the listed tools, the call', async () => {
    const viewer = await show(loadRealWorldTrace('openai-responses-mcp'));
    const { page } = viewer;
    try {
      const tool = page.locator('[data-section="tools"] [data-tool="deepwiki"]');
      assert.equal(await tool.getAttribute('data-kind'), 'mcp');
      const toolText = (await tool.textContent()) ?? '';
      assert.match(toolText, /MCP server/);
      assert.match(toolText, /DeepWiki MCP server/);
      assert.match(toolText, /https:\/\/mcp\.deepwiki\.com\/mcp/);
      assert.equal(toolText.includes('custom-header-value'), false);
      const list = page.locator('[data-part="tool-list"]');
      assert.match((await list.locator('.part-head').first().textContent()) ?? '', /Tools listed by MCP server\s*deepwiki/);
      assert.match((await list.locator('[data-tool="ask_question"]').textContent()) ?? '', /Ask any question about a GitHub repository/);
      const call = page.locator('[data-part="tool-call"][data-origin="mcp"]');
      assert.match((await call.locator('.part-head').textContent()) ?? '', /MCP call\s*deepwiki\s*ask_question/);
      assert.match((await page.locator('[data-part="tool-result"][data-origin="mcp"]').textContent()) ?? '', /Pydantic AI is a Python agent framework/);
      assert.match((await page.locator('[data-part="thinking"][data-redacted="encrypted"]').first().textContent()) ?? '', /Encrypted reasoning \(not readable\)/);
    } finally {
      await page.close();
    }
  });

  it('an image inside a Gemini tool result is the inert placeholder, with no empty {} beside it', async () => {
    const viewer = await show(loadRealWorldTrace('gemini-rest-tool-result-image'));
    const { page } = viewer;
    try {
      const result = page.locator('[data-part="tool-result"]', { has: page.locator('[data-part="image"]') }).first();
      assert.match((await result.locator('[data-part="image"]').textContent()) ?? '', /image\/jpeg/);
      assert.equal(await result.locator('[data-part="json"]').count(), 0);
      assert.equal(await page.locator('img').count(), 0);
    } finally {
      await page.close();
    }
  });

  it("Gemini's finishMessage is shown beside the finish reason", async () => {
    const viewer = await show(loadRealWorldTrace('gemini-rest-finish-message'));
    try {
      assert.equal(await viewer.page.locator('[data-fact="finishMessage"]').textContent(), 'Model generated function call(s).');
    } finally {
      await viewer.page.close();
    }
  });

  it('a total its parts do not add up to shows the gap', async () => {
    const trace = structuredClone(loadRealWorldTrace('gemini-rest-web-search'));
    delete (trace.response_json as { usageMetadata: Record<string, unknown> }).usageMetadata.toolUsePromptTokenCount;
    const viewer = await show(trace);
    try {
      assert.match((await viewer.page.locator('[data-fact="usage"]').textContent()) ?? '', /119 not itemised/);
      assert.equal(await viewer.page.locator('[data-fact="unaccountedTokens"] .fact-value').textContent(), '119');
    } finally {
      await viewer.page.close();
    }
  });

  it('an empty request says "This trace has no request", never an unknown format', async () => {
    const trace = { ...loadRealWorldTrace('anthropic-web-search'), request_json: {} };
    const viewer = await show(trace);
    const { page } = viewer;
    try {
      const notes = (await page.locator('[data-part="notes"]').textContent()) ?? '';
      assert.match(notes, /This trace has no request\./);
      assert.equal(/not one the viewer knows|does not know/.test(notes), false, notes);
      assert.equal(await page.locator('[data-part="request-empty"]').textContent(), 'This trace has no request.');
      assert.ok((await page.locator('[data-section="response"] article.msg').count()) > 0, 'the response is still read');
    } finally {
      await page.close();
    }
  });

  it('every real payload renders: roles in order, tool kinds in Tools, nothing live, nothing fetched', async () => {
    for (const { name, trace } of loadRealWorldTraces()) {
      const data = buildTraceData(loaded(trace));
      const viewer = await openViewer(browser, { stepId: data.stepId });
      const { page } = viewer;
      try {
        await viewer.send({ type: 'trace', data });
        await waitForRender(page);
        const roles = await page.locator('[data-section="messages"] article.msg').evaluateAll((els: any[]) => els.map((e) => e.dataset.role));
        assert.deepEqual(roles, data.conversation.messages.map((m) => m.role), name);
        if (data.conversation.tools.length > 0 && (await page.locator('[data-tool]').count()) === 0) {
          await page.locator('[data-section="tools"] .collapse-toggle').first().click();
        }
        const kinds = await page.locator('[data-section="tools"] .tools > [data-tool]').evaluateAll((els: any[]) => els.map((e) => `${e.dataset.tool}:${e.dataset.kind}`));
        assert.deepEqual(kinds, data.conversation.tools.map((t) => `${t.name}:${t.kind ?? 'function'}`), name);
        assert.equal(await page.locator('a[href], img, iframe, object, embed').count(), 0, name);
        assert.deepEqual(viewer.foreignRequests, [], name);
      } finally {
        await page.close();
      }
    }
  });
});

/**
 * Large traces in the viewer: they arrive in pieces and the first screen shows before the rest is
 * rendered. How fast is the benchmark's business (`npm run bench`), not a timed test's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildLargeTrace } from '../fixtures/builders';
import { launchBrowser } from './page';
import { measureRender } from './renderHarness';

describe('large traces in the viewer (Chromium)', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('a 10 MB trace comes in several messages and shows its first screen before the rest', async () => {
    const t = await measureRender(buildLargeTrace(10_000_000), { browser });
    console.log(`10 MB: ${JSON.stringify(t)}`);
    assert.ok(t.messages > 1, 'a 10 MB trace is split into several messages');
    assert.ok(Number.isFinite(t.firstRenderMs) && Number.isFinite(t.completeMs), 'both the first screen and the whole render finished');
    assert.ok(t.completeMs >= t.firstRenderMs);
    assert.ok(t.rawRenderMs > 0, 'the Raw JSON tab opened');
  });

  it('a 50 MB Anthropic trace renders completely, its raw JSON too', async () => {
    const t = await measureRender(buildLargeTrace(50_000_000, 'anthropic'), { browser });
    console.log(`50 MB: ${JSON.stringify(t)}`);
    assert.ok(t.messages > 10, `split into ${t.messages} messages`);
    assert.ok(Number.isFinite(t.firstRenderMs) && Number.isFinite(t.completeMs) && t.completeMs >= t.firstRenderMs);
    assert.ok(t.rawRenderMs > 0, 'the Raw JSON tab opened');
  });
});

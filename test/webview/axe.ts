/**
 * axe-core in a test page: its source is put into the page once (over CDP, so the page's CSP does
 * not apply) and `axe.run` checks the whole document with every rule axe enables by default, WCAG
 * 2.x A/AA and best practices alike. (@axe-core/playwright injects the 0.5 MB source again on every
 * check, which cost about 2.5 s a check here, for 150 checks per run.)
 */
import { source as axeSource, type AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;

/** One line per violation and node: the rule, what axe says, and where, so a failure reads at once. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeSource);
  }
  // A frame first: what a ResizeObserver decides (scrollRegions.ts) is applied before axe looks.
  const results: AxeResults = await page.evaluate(() =>
    new Promise((resolve) => window.requestAnimationFrame(() => window.requestAnimationFrame(resolve))).then(() => window.axe.run(window.document, { resultTypes: ['violations'] })),
  );
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact ?? 'n/a'}): ${n.failureSummary?.replace(/\s+/g, ' ') ?? v.help} at ${n.target.join(' ')} — ${n.html.slice(0, 160)}`));
}

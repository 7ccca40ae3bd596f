/** Steps of the viewer's find the Chromium tests share: wait for a query's count, wait for its match on screen. */
import type { Page } from 'playwright-core';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;

/** Waits until the find has counted every match of `word` (the query the count is for). */
export async function findDone(page: Page, word: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (w: string) => {
      const c = document.querySelector('[data-part="find-count"]');
      return c?.dataset.query === w && c.dataset.done === 'true';
    },
    word,
    { timeout },
  );
}

/** Waits until one match is marked, reads `word` (case-insensitive) and is on screen. */
export async function markedWord(page: Page, word: string): Promise<void> {
  await page.waitForFunction(
    (w: string) => {
      const marks = document.querySelectorAll('[data-part="find-mark"]');
      if (marks.length !== 1 || marks[0].textContent.toLowerCase() !== w) {
        return false;
      }
      const box = marks[0].getBoundingClientRect();
      return box.height > 0 && box.bottom > 0 && box.top < window.innerHeight;
    },
    word,
    { timeout: 60_000 },
  );
}

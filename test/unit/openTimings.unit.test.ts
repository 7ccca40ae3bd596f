import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeOpenTimings, type OpenTimings } from '../../src/core/viewer/openTimings';

const ID = 'step-6f10b27d-1536-46e7-9b1f-ec8ea330f6c0';
const T: OpenTimings = {
  createdAt: 10_000,
  readyAt: 10_310,
  shownAt: 10_820,
  normaliseMs: 41.4,
  firstPostMs: 6.6,
  firstPostBytes: 180 * 1024,
  messages: 3000,
  onRequest: 2900,
  sentAt: 10_868,
  paintedAt: 11_100,
  pageMs: 120.2,
};

describe('the viewer timing log line', () => {
  it('carries every phase from panel creation: ready, fetch and parse, normalise, first post, paint', () => {
    assert.equal(
      describeOpenTimings(ID, T),
      `Trace viewer: ${ID} first screen 1100 ms after the panel was created: webview ready at 310 ms, trace fetched and parsed by 820 ms, ` +
        'normalised in 41 ms, first post (180.0 KB; 3000 messages, 2900 on request) built in 7 ms and sent at 868 ms, painted at 1100 ms (120 ms in the page).',
    );
  });
  it('says when the page was loaded before the trace came (a refresh)', () => {
    const line = describeOpenTimings(ID, { ...T, readyAt: undefined });
    assert.match(line, /webview already loaded, trace fetched and parsed by 820 ms/);
  });
});

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LettaApiError } from '../../src/core/lettaApi';
import type { Step } from '../../src/core/lettaTypes';
import { addRecent, appendPage, EMPTY_PAGE, failPage, MAX_PINNED, nextPageQuery, pin, problemFor, readEntries, removeEntry, statusIcon, type TraceEntry } from '../../src/core/treeModel';
import { fakeId } from '../fakeLetta/data';

const entry = (n: number): TraceEntry => ({ stepId: fakeId('step', String(n)), openedAt: n, model: 'gpt-4.1-mini' });
const steps = (from: number, count: number): Step[] => Array.from({ length: count }, (_, i) => ({ id: fakeId('step', `p${from + i}`) }));

describe('recent and pinned lists', () => {
  it('recent: newest first, no duplicates, capped', () => {
    let list: TraceEntry[] = [];
    for (const n of [1, 2, 3, 2, 4]) {
      list = addRecent(list, entry(n), 3);
    }
    assert.deepEqual(list.map((e) => e.openedAt), [4, 2, 3]);
    assert.deepEqual(addRecent(list, entry(9), 0), []);
    assert.deepEqual(removeEntry(list, entry(2).stepId).map((e) => e.openedAt), [4, 3]);
  });

  it('pinning keeps an already pinned step in place and caps runaway lists', () => {
    const list = pin(pin([], entry(1)), entry(2));
    assert.deepEqual(pin(list, entry(1)).map((e) => e.openedAt), [2, 1]);
    let many: TraceEntry[] = [];
    for (let i = 0; i < MAX_PINNED + 5; i++) {
      many = pin(many, entry(i));
    }
    assert.equal(many.length, MAX_PINNED);
  });

  it('reading state back drops malformed, duplicate and over-limit entries', () => {
    const stored = [entry(1), { stepId: 'step-bad' }, null, 'x', entry(1), { ...entry(2), model: 'm'.repeat(500) }, entry(3)];
    const read = readEntries(stored, 2);
    assert.deepEqual(read.map((e) => e.stepId), [entry(1).stepId, entry(2).stepId]);
    assert.equal(read[1].model, undefined, 'an oversized field is dropped');
    assert.deepEqual(readEntries({ not: 'a list' }, 5), []);
  });
});

describe('step paging', () => {
  it('asks for the first page, then for the one after the last step', () => {
    assert.deepEqual(nextPageQuery(EMPTY_PAGE, 25), { limit: 25, order: 'desc' });
    const page = appendPage(EMPTY_PAGE, steps(0, 25), 25);
    assert.deepEqual(nextPageQuery(page, 25), { after: page.steps[24].id, limit: 25, order: 'desc' });
  });

  it('a full page means more may follow; a short one ends the list; repeats are dropped', () => {
    let page = appendPage(EMPTY_PAGE, steps(0, 10), 10);
    assert.equal(page.hasMore, true);
    page = appendPage(page, [...steps(5, 5), ...steps(10, 3)], 10);
    assert.equal(page.steps.length, 13);
    assert.equal(new Set(page.steps.map((s) => s.id)).size, 13);
    assert.equal(page.hasMore, false);
  });

  it('a failed page keeps the steps loaded so far and says why', () => {
    const page = failPage(appendPage(EMPTY_PAGE, steps(0, 5), 5), new LettaApiError('network', 'Could not reach x: connection refused.'));
    assert.equal(page.steps.length, 5);
    assert.match(page.error ?? '', /connection refused/);
  });
});

describe('problems and icons', () => {
  it('each failure gets one item with the fix', () => {
    assert.equal(problemFor(new LettaApiError('unauthorized', 'rejected')).fix?.command, 'letta.setApiKey');
    assert.equal(problemFor(new LettaApiError('network', 'down')).fix?.command, 'letta.changeServer');
    assert.equal(problemFor(new LettaApiError('server-error', '500')).fix?.command, 'letta.refreshTree');
    assert.equal(problemFor(new Error('odd')).message, 'odd');
  });

  it('status icons', () => {
    assert.equal(statusIcon('success'), 'pass');
    assert.equal(statusIcon('failed'), 'error');
    assert.equal(statusIcon('cancelled'), 'circle-slash');
    assert.equal(statusIcon(undefined), 'circle-outline');
  });
});

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LettaApiError } from '../../src/core/lettaApi';
import type { Step } from '../../src/core/lettaTypes';
import {
  addRecent, agentRows, appendPage, emptyPage, failPage, isUnloaded, MAX_PINNED, MAX_RECENT, noKeyProblem, PagedList, pin, pinnedIsFull,
  ProblemError, problemFor, readEntries, removeEntry, stepRows, stepsQuery, serverFilterChanged, isFilterActive, filtersLocally, matchesFilter, describeFilter, updateEntry, type PageState, type TraceEntry,
} from '../../src/core/sidebar/treeModel';
import { statusIcon, statusLabel } from '../../src/core/stepStatus';
import { fakeId } from '../fakeLetta/data';

const entry = (n: number, extra: Partial<TraceEntry> = {}): TraceEntry => ({ stepId: fakeId('step', String(n)), openedAt: n, model: 'gpt-4.1-mini', ...extra });
const ids = (list: readonly { stepId: string }[]) => list.map((e) => e.stepId);

/** A server's step list, newest first, paged the way Letta pages it (`after` = the last ID seen, in list order). */
function stepServer(total: number, options: { ignoreCursor?: boolean; failOnCall?: number } = {}) {
  const steps: Step[] = Array.from({ length: total }, (_, i) => ({ id: fakeId('step', `s${i}`), status: i % 7 === 3 ? 'failed' : 'success', model: i % 2 ? 'gpt-4o' : 'claude' }));
  const calls: { after: string | undefined; limit: number }[] = [];
  const fetch = async (after: string | undefined, limit: number): Promise<Step[]> => {
    calls.push({ after, limit });
    await new Promise((r) => setImmediate(r));
    if (options.failOnCall === calls.length) {
      throw new LettaApiError('network', 'Could not reach 127.0.0.1: connection refused.');
    }
    const from = after && !options.ignoreCursor ? steps.findIndex((s) => s.id === after) + 1 : 0;
    return steps.slice(from, from + limit);
  };
  return { steps, calls, fetch };
}

describe('Recent and Pinned', () => {
  it('Recent: the newest first, a reopened step moves to the front, capped at the limit', () => {
    let list: TraceEntry[] = [];
    for (const n of [1, 2, 3, 2, 4]) {
      list = addRecent(list, entry(n), 3);
    }
    assert.deepEqual(list.map((e) => e.openedAt), [4, 2, 3]);
    assert.equal(new Set(ids(list)).size, list.length);
    assert.deepEqual(addRecent(list, entry(9), 0), [], 'a limit of 0 keeps nothing');
    assert.deepEqual(removeEntry(list, entry(2).stepId).map((e) => e.openedAt), [4, 3]);
  });

  it('Recent never grows past MAX_RECENT, whatever the setting says', () => {
    let list: TraceEntry[] = [];
    for (let i = 0; i < MAX_RECENT + 30; i++) {
      list = addRecent(list, entry(i), 10_000);
    }
    assert.equal(list.length, MAX_RECENT);
    assert.equal(list[0].openedAt, MAX_RECENT + 29);
  });

  it('pinning keeps an already pinned step in place; a full list is never evicted', () => {
    const list = pin(pin([], entry(1)), entry(2));
    assert.deepEqual(pin(list, entry(1)).map((e) => e.openedAt), [2, 1]);
    let many: TraceEntry[] = [];
    for (let i = 0; i < MAX_PINNED; i++) {
      many = pin(many, entry(i));
    }
    assert.equal(many.length, MAX_PINNED);
    assert.equal(pinnedIsFull(many, entry(MAX_PINNED + 1).stepId), true);
    assert.equal(pinnedIsFull(many, entry(0).stepId), false, 'an already pinned step is not "full"');
    const after = pin(many, entry(MAX_PINNED + 1));
    assert.deepEqual(ids(after), ids(many), 'no pinned entry was dropped to make room');
  });

  it('a reopened pinned step gets fresh details but keeps its place and pin time', () => {
    const list = [entry(1), entry(2), entry(3)];
    const updated = updateEntry(list, { ...entry(2), openedAt: 99, model: 'claude-sonnet-4-5', totalTokens: 1234 });
    assert.deepEqual(ids(updated), ids(list));
    assert.deepEqual(updated[1], { ...entry(2), model: 'claude-sonnet-4-5', totalTokens: 1234 });
  });

  it('reading state back drops malformed, duplicate and over-limit entries and odd fields', () => {
    const stored = [entry(1), { stepId: 'step-bad' }, null, 'x', entry(1), { ...entry(2), model: 'm'.repeat(500), totalTokens: Number.NaN }, entry(3)];
    const read = readEntries(stored, 2);
    assert.deepEqual(ids(read), [entry(1).stepId, entry(2).stepId]);
    assert.equal(read[1].model, undefined, 'an oversized field is dropped');
    assert.equal(read[1].totalTokens, undefined, 'a non-finite count is dropped');
    assert.deepEqual(readEntries({ not: 'a list' }, 5), []);
    assert.deepEqual(readEntries(undefined, 5), []);
  });

  it('only the known summary fields survive a round trip through storage (a stray secret is not read back)', () => {
    const stored = [{ ...entry(1, { origin: 'https://api.letta.com', status: 'success', totalTokens: 10, createdAt: '2026-03-14T09:00:00Z' }), apiKey: 'sk-secret', request_json: { a: 1 } }];
    const [read] = readEntries(stored, 5);
    assert.deepEqual(Object.keys(read).sort(), ['createdAt', 'model', 'openedAt', 'origin', 'status', 'stepId', 'totalTokens']);
    assert.ok(!JSON.stringify(read).includes('sk-secret'));
  });
});

describe('cursor paging', () => {
  it('asks for the first page without a cursor, then after the last step it got, newest first', async () => {
    const server = stepServer(60);
    const list = new PagedList<Step>();
    assert.equal(isUnloaded(list.state), true);
    await list.loadNext(server.fetch, 25);
    await list.loadNext(server.fetch, 25);
    assert.deepEqual(server.calls, [
      { after: undefined, limit: 25 },
      { after: server.steps[24].id, limit: 25 },
    ]);
    assert.deepEqual(list.state.items.map((s) => s.id), server.steps.slice(0, 50).map((s) => s.id), 'order kept, nothing repeated');
    assert.equal(list.state.cursor, server.steps[49].id);
  });

  it('Load more shows while a full page came back and goes once a short page ends the list', async () => {
    const server = stepServer(30);
    const list = new PagedList<Step>();
    await list.loadNext(server.fetch, 20);
    let rows = stepRows(list.state);
    assert.equal(rows.length, 21);
    assert.deepEqual(rows.at(-1), { kind: 'more', loaded: 20 });
    await list.loadNext(server.fetch, 20);
    rows = stepRows(list.state);
    assert.equal(rows.length, 30);
    assert.ok(rows.every((r) => r.kind === 'item'));
    await list.loadNext(server.fetch, 20);
    assert.equal(server.calls.length, 2, 'no request once the end is reached');
  });

  it('a list that is an exact multiple of the page size ends on the empty page', async () => {
    const server = stepServer(20);
    const list = new PagedList<Step>();
    await list.loadNext(server.fetch, 10);
    await list.loadNext(server.fetch, 10);
    assert.equal(list.state.hasMore, true);
    await list.loadNext(server.fetch, 10);
    assert.equal(list.state.hasMore, false);
    assert.equal(list.state.items.length, 20);
    assert.equal(stepRows(list.state).at(-1)?.kind, 'item');
  });

  it('a server with 100,000 steps is browsed a page at a time', async () => {
    const server = stepServer(100_000);
    const list = new PagedList<Step>();
    for (let i = 0; i < 3; i++) {
      await list.loadNext(server.fetch, 25);
    }
    assert.equal(server.calls.length, 3);
    assert.equal(list.state.items.length, 75);
    assert.equal(list.state.hasMore, true);
  });

  it('a second Load more while one is in flight joins it instead of asking again', async () => {
    const server = stepServer(100);
    const list = new PagedList<Step>();
    let started = 0;
    const a = list.loadNext(server.fetch, 10, () => started++);
    assert.equal(list.state.loading, true);
    assert.deepEqual(stepRows(list.state), [{ kind: 'loading' }]);
    const b = list.loadNext(server.fetch, 10, () => started++);
    await Promise.all([a, b]);
    assert.equal(server.calls.length, 1);
    assert.equal(started, 1);
    assert.equal(list.state.items.length, 10);
    assert.equal(new Set(list.state.items.map((s) => s.id)).size, 10);
  });

  it('a page that lands after a reset is dropped', async () => {
    const server = stepServer(100);
    const list = new PagedList<Step>();
    const late = list.loadNext(server.fetch, 10);
    list.reset();
    await late;
    assert.equal(list.state.items.length, 0);
    assert.equal(isUnloaded(list.state), true);
  });

  it('a failed page keeps what was loaded, says why, and the retry asks for the same page', async () => {
    const server = stepServer(100, { failOnCall: 2 });
    const list = new PagedList<Step>();
    await list.loadNext(server.fetch, 10);
    await list.loadNext(server.fetch, 10);
    assert.equal(list.state.items.length, 10);
    const rows = stepRows(list.state);
    assert.equal(rows.length, 11);
    const last = rows.at(-1);
    assert.equal(last?.kind, 'problem');
    assert.match(last?.kind === 'problem' ? last.problem.message : '', /connection refused/);
    await list.loadNext(server.fetch, 10);
    assert.equal(server.calls[2].after, server.steps[9].id);
    assert.equal(list.state.items.length, 20);
    assert.equal(list.state.error, undefined);
  });

  it('a server that ignores the cursor cannot make Load more loop or repeat steps', async () => {
    const server = stepServer(100, { ignoreCursor: true });
    const list = new PagedList<Step>();
    await list.loadNext(server.fetch, 10);
    await list.loadNext(server.fetch, 10);
    assert.equal(list.state.items.length, 10);
    assert.equal(list.state.hasMore, false);
    assert.ok(!stepRows(list.state).some((r) => r.kind === 'more'));
  });

  it('appendPage and failPage are plain functions over the state', () => {
    const start: PageState<Step> = emptyPage();
    const page = appendPage(start, [{ id: 'a' }, { id: 'b' }, { id: 'a' }], 3);
    assert.deepEqual(page.items.map((s) => s.id), ['a', 'b']);
    assert.equal(page.hasMore, true, 'a full page (3 rows, one a repeat) may have more');
    const failed = failPage(page, new LettaApiError('server-error', 'The server failed (500).'));
    assert.equal(failed.items.length, 2);
    assert.equal(failed.error?.fix?.command, 'letta.refreshTree');
  });

  it('the steps query: newest first, the cursor, the page size, and only the model and feedback filters go to the server', () => {
    assert.deepEqual(stepsQuery('agent-1', undefined, 25, undefined), { agentId: 'agent-1', limit: 25, order: 'desc' });
    assert.deepEqual(stepsQuery('agent-1', 'step-x', 25, { model: 'gpt-4o', status: 'failed', text: 'x' }), { agentId: 'agent-1', after: 'step-x', limit: 25, order: 'desc', model: 'gpt-4o' });
    assert.deepEqual(stepsQuery('agent-1', undefined, 25, { feedback: 'negative' }), { agentId: 'agent-1', limit: 25, order: 'desc', feedback: 'negative' });
    assert.deepEqual(stepsQuery('agent-1', undefined, 25, { feedback: 'any' }), { agentId: 'agent-1', limit: 25, order: 'desc', hasFeedback: true });
  });

  it('a feedback filter is active, reloads from the server when it changes, and is checked again on the loaded steps', () => {
    assert.equal(isFilterActive({ feedback: 'positive' }), true);
    assert.equal(filtersLocally({ feedback: 'positive' }), false, 'the server applies it');
    assert.equal(serverFilterChanged({ feedback: 'positive' }, { feedback: 'positive', status: 'failed' }), false);
    assert.equal(serverFilterChanged({ feedback: 'positive' }, { feedback: 'any' }), true);
    assert.equal(serverFilterChanged(undefined, { model: 'm' }), true);
    assert.equal(matchesFilter({ id: 's', feedback: 'positive' }, { feedback: 'positive' }), true);
    assert.equal(matchesFilter({ id: 's', feedback: null }, { feedback: 'positive' }), false, 'cleared after the page loaded');
    assert.equal(matchesFilter({ id: 's', feedback: 'negative' }, { feedback: 'any' }), true);
    assert.equal(matchesFilter({ id: 's' }, { feedback: 'any' }), false);
    assert.equal(describeFilter({ feedback: 'any', model: 'gpt-4o' }), 'model gpt-4o · any feedback');
  });
});

describe('filters and rows', () => {
  it('a status or text filter applies to the loaded steps and Load more says how many match', async () => {
    const server = stepServer(100);
    const list = new PagedList<Step>();
    await list.loadNext(server.fetch, 21);
    const rows = stepRows(list.state, { status: 'failed' });
    const failed = server.steps.slice(0, 21).filter((s) => s.status === 'failed');
    assert.deepEqual(rows.filter((r) => r.kind === 'item').map((r) => (r.kind === 'item' ? r.item.id : '')), failed.map((s) => s.id));
    assert.deepEqual(rows.at(-1), { kind: 'more', loaded: 21, matching: failed.length });
    const byText = stepRows(list.state, { text: server.steps[5].id.slice(-12).toUpperCase() });
    assert.deepEqual(byText.map((r) => (r.kind === 'item' ? r.item.id : r.kind)), [server.steps[5].id, 'more']);
  });

  it('an exhausted list says when nothing matches, or that there are no steps', () => {
    const done: PageState<Step> = { items: [{ id: 'a', status: 'success' }], hasMore: false, loading: false };
    assert.deepEqual(stepRows(done, { status: 'failed' }), [{ kind: 'empty', message: 'No steps match the filter.' }]);
    assert.deepEqual(stepRows({ items: [], hasMore: false, loading: false }), [{ kind: 'empty', message: 'No steps yet.' }]);
  });

  it('agent rows: agents, then Load more agents, or one problem, or "no agents"', () => {
    const agents = [{ id: 'agent-1' }, { id: 'agent-2' }];
    assert.deepEqual(agentRows({ items: agents, hasMore: true, loading: false }).map((r) => r.kind), ['item', 'item', 'more']);
    assert.deepEqual(agentRows({ items: agents, hasMore: false, loading: false }).map((r) => r.kind), ['item', 'item']);
    assert.deepEqual(agentRows({ items: [], hasMore: false, loading: false }), [{ kind: 'empty', message: 'No agents on this server.' }]);
    const failed = agentRows(failPage(emptyPage(), new LettaApiError('unauthorized', 'HTTP 401')));
    assert.equal(failed.length, 1);
    assert.deepEqual(failed[0], { kind: 'problem', problem: { message: 'The server rejected the API key.', fix: { command: 'letta.setApiKey', title: 'Set API Key' } } });
  });
});

describe('problems and icons', () => {
  it('each failure gets one item with its fix', () => {
    assert.equal(problemFor(new LettaApiError('unauthorized', 'rejected')).fix?.command, 'letta.setApiKey');
    const down = problemFor(new LettaApiError('network', 'Could not reach x: connection refused.'));
    assert.equal(down.fix?.command, 'letta.changeServer');
    assert.equal(down.unreachable, true);
    assert.equal(problemFor(new LettaApiError('timeout', 'slow')).unreachable, true);
    assert.equal(problemFor(new LettaApiError('server-error', '500')).fix?.command, 'letta.refreshTree');
    assert.equal(problemFor(new LettaApiError('server-error', '500')).unreachable, undefined);
    assert.equal(problemFor(new Error('odd')).message, 'odd');
    assert.deepEqual(problemFor(new ProblemError(noKeyProblem())), noKeyProblem());
  });

  it('status icons', () => {
    assert.equal(statusIcon('success'), 'pass');
    assert.equal(statusIcon('failed'), 'error');
    assert.equal(statusIcon('cancelled'), 'circle-slash');
    assert.equal(statusIcon('pending'), 'clock');
    assert.equal(statusIcon('running'), 'loading~spin');
    assert.equal(statusIcon('completed'), 'pass');
    assert.equal(statusIcon('toString'), 'circle-outline');
    assert.equal(statusLabel('failed'), 'failed');
    assert.equal(statusLabel('exotic'), 'exotic');
    assert.equal(statusIcon(undefined), 'circle-outline');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LettaApiError, type CallOptions, type LettaApi } from '../../src/core/lettaApi';
import type { Run, RunMetrics } from '../../src/core/lettaTypes';
import { RunSummaryCache, formatRunSummary, runDurationMs, summaryFromRun } from '../../src/core/runs/runSummary';
import { runDescription, runLabel, runRows, runTooltip } from '../../src/core/sidebar/runLabels';
import { appendPage, emptyPage, failPage, startLoading } from '../../src/core/sidebar/treeModel';
import { runHtml } from '../../src/core/runs/runHtml';
import { traceHtml } from '../../src/core/viewer/traceHtml';

const RUN_ID = 'run-3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b';

const run: Run = {
  id: RUN_ID,
  agent_id: 'agent-00000000-0000-4000-8000-000000000000',
  status: 'completed',
  stop_reason: 'end_turn',
  created_at: '2026-03-14T08:20:00Z',
  completed_at: '2026-03-14T08:20:08.100Z',
};

/** A LettaApi that answers getRun / getRunMetrics from the given functions, counting the calls. */
function runApi(getRun: (id: string, o?: CallOptions) => Promise<Run>, getRunMetrics: (id: string) => Promise<RunMetrics>): LettaApi & { calls: string[] } {
  const calls: string[] = [];
  const unused = () => Promise.reject(new Error('a run hover reads only the run and its metrics'));
  return {
    origin: 'http://localhost:8283',
    calls,
    getRun: (id, o) => (calls.push(`run ${id} ${o?.maxRetries}`), getRun(id, o)),
    getRunMetrics: (id) => (calls.push(`metrics ${id}`), getRunMetrics(id)),
    getTrace: unused,
    getStep: unused,
    listSteps: unused,
    listAgents: unused,
    getAgent: unused,
    setFeedback: unused,
    listRunSteps: unused,
    getRunUsage: unused,
    listRuns: unused,
    getRunTrace: unused,
  };
}

describe('run summary', () => {
  it('takes the duration from the run, else its metrics, else its times; none while it runs', () => {
    assert.equal(runDurationMs({ ...run, total_duration_ns: 5_000_000_000 }), 5000);
    assert.equal(runDurationMs(run, { id: RUN_ID, run_ns: 7_000_000_000 }), 7000);
    assert.equal(runDurationMs(run), 8100);
    assert.equal(runDurationMs({ id: RUN_ID, status: 'running', created_at: run.created_at }), undefined);
  });

  it('says status (in words), stop reason, steps, duration and time, only what is known', () => {
    const summary = summaryFromRun(run, { id: RUN_ID, num_steps: 4 });
    assert.deepEqual(formatRunSummary(summary), ['completed (end_turn)', '4 steps', '8.1 s', '2026-03-14 08:20:00 UTC']);
    assert.deepEqual(formatRunSummary(summaryFromRun({ id: RUN_ID, status: 'failed' }, { id: RUN_ID, num_steps: 1 })), ['failed', '1 step']);
    assert.deepEqual(formatRunSummary(summaryFromRun({ id: RUN_ID })), []);
  });

  it('the hover cache asks once with no retries, keeps a finished run and looks at a running one again soon', async () => {
    let now = 0;
    let status = 'running';
    const api = runApi(
      (id) => Promise.resolve({ ...run, id, status }),
      (id) => Promise.resolve({ id, num_steps: 2 }),
    );
    const cache = new RunSummaryCache({ getApi: () => Promise.resolve(api), now: () => now, failureTtlMs: 1000, okTtlMs: 60_000 });
    const first = await cache.get(RUN_ID);
    assert.equal(first?.kind === 'ok' && first.summary.status, 'running');
    assert.deepEqual(api.calls, [`run ${RUN_ID} 0`, `metrics ${RUN_ID}`]);
    await cache.get(RUN_ID);
    assert.equal(api.calls.length, 2, 'cached');
    now = 1500;
    status = 'completed';
    const later = await cache.get(RUN_ID);
    assert.equal(later?.kind === 'ok' && later.summary.status, 'completed', 'a running run is looked at again');
    now = 50_000;
    await cache.get(RUN_ID);
    assert.equal(api.calls.length, 4, 'a finished run is kept');
  });

  it('a run without metrics still has a summary; an unknown run says so in the run’s words', async () => {
    const api = runApi(
      (id) => (id === RUN_ID ? Promise.resolve(run) : Promise.reject(new LettaApiError('not-found', 'Not found.', { status: 404 }))),
      () => Promise.reject(new LettaApiError('server-error', 'Boom.', { status: 500 })),
    );
    const cache = new RunSummaryCache({ getApi: () => Promise.resolve(api) });
    const ok = await cache.get(RUN_ID);
    assert.deepEqual(ok?.kind === 'ok' && formatRunSummary(ok.summary), ['completed (end_turn)', '8.1 s', '2026-03-14 08:20:00 UTC']);
    const missing = await cache.get('run-00000000-0000-4000-8000-000000000000');
    assert.deepEqual(missing, { kind: 'error', message: 'The server has no run with this ID.' });
  });
});

describe('sidebar run labels', () => {
  const now = new Date('2026-03-14T12:00:00Z');
  it('label: time then short ID; description: status, stop reason, steps once counted, duration', () => {
    assert.match(runLabel(run, now), /^\d\d:\d\d · run-3f2b1c9e…$/);
    assert.equal(runDescription(run), 'completed · end_turn · 8.1 s');
    assert.equal(runDescription(run, 4), 'completed · end_turn · 4 steps · 8.1 s');
    assert.equal(runDescription({ id: RUN_ID, status: 'failed', stop_reason: 'llm_api_error' }, 1), 'failed · llm_api_error · 1 step');
    assert.equal(runTooltip(run, 4).split('\n')[0], RUN_ID);
    assert.match(runTooltip(run, 4), /^Status: completed \(end_turn\)$/m);
    assert.match(runTooltip(run, 4), /^Steps: 4$/m);
  });

  it('rows: the runs, then loading, the failure, Load more, or "No runs yet."', () => {
    assert.deepEqual(runRows(appendPage(emptyPage(), [], 10)), [{ kind: 'empty', message: 'No runs yet.' }]);
    const page = appendPage(emptyPage(), Array.from({ length: 10 }, (_, i) => ({ ...run, id: `${RUN_ID.slice(0, -1)}${i}` })), 10);
    const rows = runRows(page);
    assert.equal(rows.length, 11);
    assert.deepEqual(rows.at(-1), { kind: 'more', loaded: 10 });
    assert.equal(runRows(startLoading(page)).at(-1)?.kind, 'loading');
    assert.equal(runRows(failPage(page, new LettaApiError('network', 'Could not reach it.'))).at(-1)?.kind, 'problem');
  });
});

describe('webview HTML shells', () => {
  const common = { cspSource: 'https://x.test', nonce: 'bm9uY2U=', scriptUri: 'https://x.test/run.js', styleUri: 'https://x.test/run.css', codiconsUri: 'https://x.test/c.css' };
  it('the run view gets the same strict CSP as the viewer, with its run ID as its only data', () => {
    const html = runHtml({ ...common, runId: RUN_ID });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    assert.equal(csp, "default-src &#39;none&#39;; style-src https://x.test; font-src https://x.test; img-src https://x.test data:; script-src &#39;nonce-bm9uY2U=&#39;");
    assert.match(html, /<script nonce="bm9uY2U=" src="https:\/\/x.test\/run.js"><\/script>/);
    assert.match(html, new RegExp(`data-state="\\{&#34;runId&#34;:&#34;${RUN_ID}&#34;\\}"`));
    assert.match(html, /<title>run-3f2b1c9e…<\/title>/);
    const trace = traceHtml({ ...common, stepId: 'step-3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b' });
    assert.equal(/http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(trace)?.[1], csp);
  });

  it('escapes what it is given', () => {
    const html = runHtml({ ...common, scriptUri: 'https://x.test/"><script>alert(1)</script>', runId: RUN_ID });
    assert.ok(!html.includes('<script>alert(1)'));
  });
});

/**
 * The run view in Chromium, as a person sees it: the fake server's 4-step memory-edit run with the
 * edited block's old and new text inline, a run whose middle step has no trace, a failed run, rows
 * filling in as traces arrive, and keyboard navigation. Needs `node esbuild.js` first (dist/run.js).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { calcPrice } from '@pydantic/genai-prices';
import { PRICE_TABLE } from '../../src/core/context/cost';
import { RunTracker, type RunModel } from '../../src/core/runs/runModel';
import { buildFakeData, runAndSteps, type FakeData } from '../fakeLetta/data';
import { trackedRun } from './fakeRuns';
import { buildTraceData } from '../../src/core/viewer/tracePayload';
import { launchBrowser, openRunView, openViewer, repoRoot } from './page';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const data: FakeData = buildFakeData({ agents: 3, stepsPerAgent: 12 });
const named = data.named!;

const runOf = (runId: string) => runAndSteps(data, runId);
const trackerFor = (runId: string) => trackedRun(data, runId);

describe('run view', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('shows the memory-edit run: header, 4 rows on one time axis, the edited block inline, the transcript', async () => {
    const model: RunModel = trackerFor(named.memoryEdit).model();
    const edited = model.rows.find((r) => (r.changes?.system?.blocks ?? []).some((b) => b.kind === 'changed' && b.value));
    assert.ok(edited, 'the fake run has a memory edit between steps');
    const block = edited.changes!.system!.blocks.find((b) => b.value)!;
    const added = block.value!.parts.filter((p) => p.kind === 'added').map((p) => p.text).join('');
    const removed = block.value!.parts.filter((p) => p.kind === 'removed').map((p) => p.text).join('');
    assert.ok(added.length > 0);

    const view = await openRunView(browser, { runId: named.memoryEdit, width: 1100, height: 900 });
    await view.send({ type: 'run', model });
    const page = view.page;
    await page.waitForSelector('li.step-row');
    assert.equal(await page.locator('li.step-row').count(), 4);
    assert.equal(await page.locator('h1.run-id').textContent(), named.memoryEdit);
    const header = await page.locator('.run-header').innerText();
    assert.match(header, /completed/);
    assert.match(header, new RegExp(`Steps\\s*${model.totals.steps}`));

    const row = page.locator(`li.step-row[data-index="${edited.index}"]`);
    const memory = row.locator('.change-memory');
    assert.match(await memory.innerText(), new RegExp(`Memory block\\s+${block.label}\\s+changed`));
    const ins = await memory.locator('ins.diff-added').allTextContents();
    assert.equal(ins.join(''), added);
    assert.ok(await memory.locator('ins.diff-added').first().isVisible(), 'the new text is on screen without a click');
    if (removed) {
      assert.equal((await memory.locator('del.diff-removed').allTextContents()).join(''), removed);
    }
    // The first step compares with nothing; every bar sits on the shared axis.
    assert.match(await page.locator('li.step-row[data-index="0"]').innerText(), /First step/);
    assert.equal(await page.locator('li.step-row .bar').count(), 4);
    // Transcript: the user's message and what the agent said.
    const transcript = await page.locator('.transcript').innerText();
    const said = model.transcript.find((t) => t.who === 'agent');
    assert.ok(said);
    assert.ok(transcript.includes(said.text.slice(0, 40)));
    assert.deepEqual(view.foreignRequests, []);

    // Keyboard: j and ↓ move, k back, Enter opens the focused step in the trace viewer.
    await page.locator('li.step-row[data-index="0"] .row-index').click();
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('k');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-index')), '1');
    await page.keyboard.press('Enter');
    const posted = await view.posted();
    const opened = posted.filter((m) => m.type === 'openStep').map((m) => (m as { stepId: string }).stepId);
    assert.deepEqual(opened.slice(-1), [model.rows[1].stepId]);

    // The README's screenshot is refreshed on request only (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
    const shots = process.env.UPDATE_SCREENSHOTS ? path.join(repoRoot(), 'media') : path.join(repoRoot(), '.test-work', 'screenshots');
    fs.mkdirSync(shots, { recursive: true });
    const file = path.join(shots, process.env.UPDATE_SCREENSHOTS ? 'screenshot-run.png' : 'run-view.png');
    await page.screenshot({ path: file, fullPage: false });
    assert.ok(fs.statSync(file).size < 300 * 1024, 'the README screenshot stays small');
    await page.close();
  });

  it('shows a step without a trace in its own row and renders the rest', async () => {
    const model = trackerFor(named.nullTrace).model();
    const view = await openRunView(browser, { runId: named.nullTrace });
    await view.send({ type: 'run', model });
    const page = view.page;
    await page.waitForSelector('li.step-row');
    const rows = page.locator('li.step-row');
    assert.equal(await rows.count(), model.rows.length);
    const missing = page.locator(`li.step-row[data-step-id="${named.nullTraceStepId}"]`);
    assert.match(await missing.innerText(), /no trace recorded/);
    // The others have their calls drawn and their changes listed.
    const others = model.rows.filter((r) => r.stepId !== named.nullTraceStepId);
    for (const r of others) {
      const text = await page.locator(`li.step-row[data-index="${r.index}"]`).innerText();
      assert.doesNotMatch(text, /no trace recorded|loading trace/);
      assert.equal(await page.locator(`li.step-row[data-index="${r.index}"] .bar`).count(), 1);
    }
    await page.close();
  });

  it('shows a failed run with its status in words and the failed step’s error', async () => {
    const model = trackerFor(named.failed).model();
    const failedRow = model.rows.find((r) => r.status === 'failed');
    assert.ok(failedRow?.error);
    const view = await openRunView(browser, { runId: named.failed, theme: 'light' });
    await view.send({ type: 'run', model });
    const page = view.page;
    await page.waitForSelector('li.step-row');
    const status = page.locator('.run-header .status');
    assert.match(await status.innerText(), /failed/);
    assert.equal(await status.locator('.codicon-error').count(), 1);
    const row = page.locator(`li.step-row[data-index="${failedRow.index}"]`);
    assert.match(await row.locator('.status').innerText(), /failed/);
    assert.equal(await row.locator('.row-error').innerText().then((t) => t.trim()), failedRow.error);
    await page.close();
  });

  it('fills rows in as their traces arrive, and marks a trace that failed to load', async () => {
    const { run, steps } = runOf(named.memoryEdit);
    const tracker = new RunTracker(run, steps);
    const view = await openRunView(browser, { runId: named.memoryEdit });
    await view.send({ type: 'run', model: tracker.model() });
    const page = view.page;
    await page.waitForSelector('li.step-row');
    assert.equal(await page.locator('li.step-row.trace-pending').count(), 4);
    const changed = tracker.setTrace(steps[0].id, { kind: 'loaded', trace: data.traces.get(steps[0].id)! });
    tracker.setTrace(steps[1].id, { kind: 'error', message: 'The server is rate-limiting requests.' });
    const model = tracker.model();
    await view.send({ type: 'rows', rows: [...new Set([...changed, 1, 2])].map((i) => model.rows[i]), totals: model.totals, transcript: model.transcript });
    await page.waitForFunction(() => document.querySelectorAll('li.step-row.trace-pending').length === 2);
    // The row is rebuilt with its new state: read once it is (under load, a frame after the count).
    const failed = page.locator('li.step-row[data-index="1"]');
    await failed.filter({ hasText: 'trace not loaded' }).waitFor({ timeout: 10_000 });
    assert.match(await failed.innerText(), /trace not loaded: The server is rate-limiting requests\./);
    assert.match(await page.locator('li.step-row[data-index="0"]').innerText(), /First step/);
    await page.close();
  });

  it('shows each step’s cost and the run’s total with the price table’s date; an unknown model is “cost unknown” and the total says so', async () => {
    const { run, steps } = runOf(named.memoryEdit);
    // The last step's model is one the table cannot know: its record and its trace both name it.
    const last = steps[steps.length - 1];
    const lastTrace = data.traces.get(last.id)!;
    const unknownTrace = { ...lastTrace, llm_config: { ...lastTrace.llm_config, model: 'my-local-model' }, request_json: { ...(lastTrace.request_json as object), model: 'my-local-model' } };
    const tracker = new RunTracker(run, steps.map((s) => (s === last ? { ...s, model: 'my-local-model' } : s)));
    for (const s of steps) {
      tracker.setTrace(s.id, { kind: 'loaded', trace: s === last ? unknownTrace : data.traces.get(s.id)! });
    }
    const view = await openRunView(browser, { runId: named.memoryEdit, width: 1100 });
    // First without prices (the table is still loading), then the rows and totals the prices changed.
    await view.send({ type: 'run', model: tracker.model() });
    const page = view.page;
    await page.waitForSelector('li.step-row');
    assert.equal(await page.locator('[data-part="run-cost"]').count(), 0, 'no cost shown before the table is in');
    assert.deepEqual(await page.locator('[data-part="step-cost"]').allInnerTexts(), ['', '', '', '']);
    const changed = tracker.setPrices(calcPrice);
    const model = tracker.model();
    await view.send({ type: 'rows', rows: changed.map((i) => model.rows[i]), totals: model.totals, transcript: model.transcript });
    await page.waitForSelector('[data-part="run-cost"]');
    const costs = model.rows.map((r) => r.cost!);
    assert.ok(costs.slice(0, 3).every((c) => c.known) && !costs[3].known);
    const shown = await page.locator('[data-part="step-cost"]').allInnerTexts();
    assert.deepEqual(shown.slice(3), ['cost unknown']);
    for (const [i, text] of shown.slice(0, 3).entries()) {
      const c = costs[i];
      assert.ok(c.known);
      assert.match(text, /^\$0\.\d+$/, `step ${i + 1}`);
      assert.ok(Math.abs(Number(text.slice(1)) - c.total) / c.total < 0.01, `${text} is ${c.total}`);
    }
    const total = costs.reduce((n, c) => n + (c.known ? c.total : 0), 0);
    const header = await page.locator('[data-part="run-cost"]').innerText();
    assert.match(header, /Cost\s*≥ \$0\.\d+, 1 step unpriced/);
    assert.ok(Math.abs(Number(/\$([\d.]+)/.exec(header)![1]) - total) / total < 0.01, `${header} is ${total}`);
    assert.ok(header.includes(`${PRICE_TABLE.date} prices`), header);
    assert.match(await page.locator('li.step-row[data-index="3"] [data-part="step-cost"]').getAttribute('title') ?? '', /does not know "my-local-model"/);
    // The header's Markdown button asks the host for the run's Markdown.
    await page.locator('.run-header button[aria-label="Copy run as Markdown"]').click();
    assert.ok((await view.posted()).some((m) => m.type === 'copyMarkdown'));
    await page.close();
  });

  it('the trace viewer’s Run field opens the step’s run', async () => {
    const [first] = runOf(named.memoryEdit).steps;
    const trace = data.traces.get(first.id)!;
    assert.equal(trace.run_id, named.memoryEdit);
    const viewer = await openViewer(browser, { stepId: first.id });
    await viewer.send({ type: 'trace', data: buildTraceData({ stepId: first.id, trace, source: { kind: 'server', origin: 'https://api.letta.com' }, loadedAt: 0 }) });
    const button = viewer.page.locator('[data-fact="runId"] button[aria-label^="Open the run"]');
    await button.click();
    assert.ok((await viewer.posted()).some((m) => m.type === 'action' && m.action === 'openRun'));
    await viewer.page.close();
  });
});

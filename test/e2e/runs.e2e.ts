/**
 * End-to-end flows of runs in the packaged extension (.vsix) in code-server, against the fake Letta
 * server: a Letta Code workspace (its `.letta/settings.local.json` names the agent that holds the
 * fake's 4-step memory-edit run) opened in the workbench; the run opened from This Workspace, from
 * a run ID in a log (Ctrl+click) and from the Server view (agent → Runs → run). Each time the run
 * view must show the run's four steps with the memory edit between them. (From the palette: see
 * flows.e2e.ts.) The flows share one workbench and run in order: the first sets the key.
 */
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RUN_IDS } from '../../src/core/lettaIds';
import {
  SCREENSHOTS,
  closeAllEditors,
  flow,
  quickInputText,
  runCommand,
  shot,
  startSession,
  stopSession,
  tabTitles,
  textPoint,
  describeAt,
  typeIntoQuickInput,
  viewPane,
  waitFor,
  waitForQuickInput,
  waitForRunView,
  type Session,
} from './ui';

const KEY = 'fake-key';
const LOG = 'agent.log';
/** The run view of the memory-edit run: the `human` block's edit shows between two steps. */
const MEMORY_EDIT = [/Memory block\s+human\s+changed/, /completed/, /Steps\s*4/];

let session: Session | undefined;
let runId = '';
let agentId = '';
const T = { timeout: 180000 };

before(
  async () => {
    session = await startSession({
      waitForFile: LOG,
      files: async (fake) => {
        runId = fake.info.runs?.memoryEdit ?? '';
        assert.ok(runId, 'the fake names its memory-edit run');
        // The run's agent as the server itself says (the workspace file names it, as Letta Code would).
        const res = await fetch(`${fake.url}/v1/runs/${runId}`, { headers: { authorization: `Bearer ${KEY}` } });
        agentId = String(((await res.json()) as { agent_id?: string }).agent_id ?? '');
        assert.match(agentId, /^agent-/);
        return {
          [LOG]: [
            `2026-03-14T08:20:00Z INFO  letta.server  run started  run_id=${runId}`,
            '2026-03-14T08:20:08Z INFO  letta.server  a plain line without an id',
            '',
          ].join('\n'),
          '.letta/settings.local.json': `${JSON.stringify({ lastAgent: agentId }, null, 2)}\n`,
        };
      },
    });
  },
  { timeout: 240000 },
);

after(async () => {
  await stopSession(session);
  console.log(`screenshots: ${SCREENSHOTS}`);
});

/** The agent's name, as the fake serves it. */
const agentName = () => session?.agents.find((a) => a.id === agentId)?.name ?? '';

async function openLettaSidebar(page: Session['page']): Promise<void> {
  await page.locator('.activitybar .action-item [aria-label^="Letta"]').first().click();
  await viewPane(page, 'This Workspace').waitFor({ timeout: 30000 });
}

/** Expands a collapsed view pane (the side bar can start with one folded). */
async function expandPane(page: Session['page'], title: string) {
  const pane = viewPane(page, title);
  const header = pane.locator('.pane-header').first();
  if ((await header.getAttribute('aria-expanded')) === 'false') {
    await header.click();
  }
  return pane;
}

test('key: Letta: Set API Key stores the key the fake wants', T, () =>
  flow(session, 'runs-key', async (page) => {
    await runCommand(page, 'Letta: Set API Key');
    await waitForQuickInput(page, /API key/i);
    await typeIntoQuickInput(page, KEY);
    await waitFor('the key box to close', () => quickInputText(page), (t) => t === '');
  }),
);

test('Letta Code: This Workspace shows the agent the workspace file names; its newest run opens with its steps', T, () =>
  flow(session, 'runs-workspace', async (page) => {
    await closeAllEditors(page);
    await openLettaSidebar(page);
    const pane = await expandPane(page, 'This Workspace');
    const name = agentName();
    assert.ok(name, `the fake knows agent ${agentId}`);
    const agent = pane.locator('.monaco-list-row', { hasText: name }).first();
    await agent.waitFor({ timeout: 30000 });
    // Its runs below it, newest first: the memory edit, with its step count from the run's metrics.
    const runs = pane.locator('.monaco-list-row[aria-level="2"]');
    const newest = await waitFor(
      'the newest run row with its step count',
      () => runs.first().innerText().catch(() => ''),
      (t) => t.includes(RUN_IDS.short(runId)) && /4 steps/.test(t),
      30000,
    );
    assert.match(newest, /completed/);
    await shot(page, 'runs-workspace');
    await runs.first().click();
    await waitFor('the run tab', () => tabTitles(page), (t) => t.some((x) => x.includes(RUN_IDS.short(runId))));
    await waitForRunView(page, runId, { steps: 4, expect: MEMORY_EDIT });
    await shot(page, 'runs-workspace-run');
  }),
);

test('log: Ctrl+click on a run ID in a .log file opens the run view with its steps', T, () =>
  flow(session, 'runs-log-link', async (page) => {
    await closeAllEditors(page);
    await page.locator('.activitybar .action-item [aria-label^="Explorer"]').first().click();
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: LOG }).first().click();
    const lineSelector = '.editor-group-container.active .monaco-editor .view-line';
    // The run ID becomes a link once the extension has provided the document's links.
    await page.locator(lineSelector, { hasText: runId }).locator('.detected-link').first().waitFor({ timeout: 90000 });
    const point = await textPoint(page, lineSelector, runId);
    assert.ok(point, 'the run ID is on screen');
    await page.mouse.move(point.x, point.y);
    await page.keyboard.down('Control');
    try {
      await page.mouse.click(point.x, point.y);
    } finally {
      await page.keyboard.up('Control');
    }
    await waitFor(
      'the run tab',
      () => tabTitles(page),
      (t) => t.some((x) => x.includes(RUN_IDS.short(runId))),
      30000,
    ).catch(async (e: Error) => {
      e.message += `; under the mouse: ${await describeAt(page, point)}`;
      throw e;
    });
    await waitForRunView(page, runId, { steps: 4, expect: MEMORY_EDIT });
    await shot(page, 'runs-log-link');
  }),
);

test('sidebar: the Server view\'s agent → Runs → the run opens the run view with its steps', T, () =>
  flow(session, 'runs-sidebar', async (page) => {
    await closeAllEditors(page);
    await openLettaSidebar(page);
    const pane = await expandPane(page, 'Server');
    const agent = pane.locator('.monaco-list-row', { hasText: agentName() }).first();
    await agent.waitFor({ timeout: 30000 });
    if ((await agent.getAttribute('aria-expanded')) !== 'true') {
      await agent.click();
    }
    const level = Number(await agent.getAttribute('aria-level'));
    // Under the agent: its Runs group first, then its steps.
    const group = pane.locator(`.monaco-list-row[aria-level="${level + 1}"]`, { hasText: /^\s*Runs\s*$/ }).first();
    await group.waitFor({ timeout: 20000 });
    if ((await group.getAttribute('aria-expanded')) !== 'true') {
      await group.click();
    }
    const run = pane.locator(`.monaco-list-row[aria-level="${level + 2}"]`, { hasText: RUN_IDS.short(runId) }).first();
    await run.waitFor({ timeout: 20000 });
    const row = await waitFor('the run row with its step count', () => run.innerText().catch(() => ''), (t) => /4 steps/.test(t));
    assert.match(row, /completed/);
    await shot(page, 'runs-sidebar');
    await run.click();
    await waitFor('the run tab', () => tabTitles(page), (t) => t.some((x) => x.includes(RUN_IDS.short(runId))));
    await waitForRunView(page, runId, { steps: 4, expect: MEMORY_EDIT });
    await shot(page, 'runs-sidebar-run');
  }),
);

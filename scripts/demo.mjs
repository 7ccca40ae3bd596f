#!/usr/bin/env node
// `npm run demo`: the packaged extension in code-server (VS Code in the browser) against the fake
// Letta server, with a workspace holding a log of step IDs. Open the printed URL: the walkthrough
// shows, and the sidebar lists the demo agents at once (the demo server needs no key, and the
// extension sees that by itself). Ctrl+C stops everything.
//
//   node scripts/demo.mjs [--port 8080] [--auth] [--screenshot]
//     --auth         the fake server wants the demo key (printed), to try the key prompt
//     --screenshot   open a trace in Chromium, save media/screenshot-trace.png and exit
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VSIX = path.join(ROOT, 'letta-step-trace.vsix');
const HARNESS = path.join(ROOT, 'out/test/codeServer/codeServer.js');
const DEMO_KEY = 'letta-demo-key';

const argv = process.argv.slice(2);
const portArg = argv.indexOf('--port');
const screenshotOnly = argv.includes('--screenshot');
const port = portArg >= 0 ? Number(argv[portArg + 1]) : screenshotOnly ? undefined : 8080;
// The screenshot drives the key prompt, so it keeps the key; the interactive demo needs none.
const noAuth = !argv.includes('--auth') && !screenshotOnly;

function npm(...args) {
  const r = spawnSync('npm', args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed`);
}

function newest(...dirs) {
  return Math.max(0, ...dirs.map((dir) => {
    if (!fs.existsSync(dir)) return 0;
    if (fs.statSync(dir).isFile()) return fs.statSync(dir).mtimeMs;
    return newest(...fs.readdirSync(dir).map((e) => path.join(dir, e)));
  }));
}
const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);
const at = (...p) => path.join(ROOT, ...p);

// Rebuild only what is stale: the .vsix from src/media/package.json, the fake server and harness from test/.
if (mtime(VSIX) < newest(at('src'), at('media/icon.png'), at('media/letta.svg'), at('package.json'))) {
  console.log('Packaging the extension…');
  npm('run', 'package');
}
if (mtime(at('out/test/fakeLetta/cli.js')) < newest(at('test/fakeLetta'), at('test/fixtures'), at('src/core')) || mtime(HARNESS) < newest(at('test/codeServer'))) {
  console.log('Compiling the fake server and the harness…');
  npm('run', 'compile-tests');
}
const install = spawnSync('bash', [at('scripts/install-code-server.sh')], { stdio: 'inherit' });
if (install.status !== 0) process.exit(install.status ?? 1);

const { installVsix, launchBrowser, makeRunDir, removeRunDir, sleep, startCodeServer, startFake, workbenchUrl } = createRequire(import.meta.url)(HARNESS);

const base = makeRunDir('demo');
let fake;
let server;
let browser;
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  if (!screenshotOnly) console.log('\nStopping…');
  await browser?.context.close().catch(() => {});
  await server?.stop();
  await fake?.stop();
  removeRunDir(base);
  process.exit(code);
}
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/** Drives the workbench: palette → Open Step Trace → key → step ID, then a screenshot of the viewer. */
async function screenshot(stepId) {
  const ui = createRequire(import.meta.url)(at('out/test/e2e/ui.js'));
  browser = await launchBrowser(base, { viewport: { width: 1280, height: 760 } });
  const { page, context } = browser;
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.goto(workbenchUrl(server, server.folder));
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await ui.runCommand(page, 'Letta: Open Step Trace');
    for (let i = 0; i < 2; i++) {
      const t = await ui.waitForQuickInput(page, /API key|ID of a step/i);
      await ui.typeIntoQuickInput(page, /API key/i.test(t) ? DEMO_KEY : stepId);
      await sleep(800);
      if (!(await ui.quickInputText(page))) break;
    }
    await ui.waitFor('the trace viewer', async () => (await ui.framesText(page)).some((t) => t.includes('claude-sonnet')), Boolean, 90000);
    await ui.clearNotifications(page);
    await sleep(1500); // fonts and codicons
    await page.mouse.move(5, 700);
    const file = at('media/screenshot-trace.png');
    // Only the editor area: the trace viewer, not the whole workbench.
    await page.locator('.editor-group-container.active').first().screenshot({ path: file });
    const kb = Math.round(fs.statSync(file).size / 1024);
    console.log(`Saved ${path.relative(ROOT, file)} (${kb} KB)`);
    if (kb > 300) throw new Error(`${path.relative(ROOT, file)} is ${kb} KB: over 300 KB`);
  } catch (e) {
    console.error(`screenshot of what was on screen: ${await ui.shot(page, 'demo-failure')}`);
    throw e;
  }
}

try {
  fake = await startFake(noAuth ? { noAuth: true } : { key: DEMO_KEY });
  const data = await fake.data();
  const folder = path.join(base, 'ws');
  const ids = data.traceStepIds;
  fs.writeFileSync(path.join(folder, 'agent.log'), [
    '# A Letta server log. Hover a step ID, Ctrl+click it, or right-click → Letta: Open Step Trace.',
    ...ids.slice(0, 8).map((id, i) => `2026-03-14T09:0${i}:00Z INFO  letta.agent  step finished  step_id=${id}`),
    '2026-03-14T09:09:00Z WARN  letta.agent  no trace recorded  step_id=step-00000000-0000-4000-8000-000000000000',
    '',
  ].join('\n'));
  // As Letta Code leaves it after `letta` ran in this folder: the "This Workspace" view shows this agent and its runs.
  const demoAgent = data.agents.find((a) => a.name === 'Memory Tester') ?? data.agents[0];
  fs.mkdirSync(path.join(folder, '.letta'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.letta', 'settings.local.json'), JSON.stringify({ lastAgent: demoAgent.id }, null, 2) + '\n');
  fs.writeFileSync(path.join(folder, 'README.md'), [
    '# Letta Step Trace demo',
    '',
    `The fake Letta server at ${fake.url} serves ${ids.length} traces for ${data.agents.length} agents (${data.agents.map((a) => a.name).join(', ')}).`,
    noAuth ? 'It needs no API key: the extension notices and uses it without one.' : `When asked for the API key, paste \`${DEMO_KEY}\`.`,
    '',
    '- F1 → **Letta: Open Step Trace** and paste a step ID from `agent.log`.',
    '- Hover a step ID in `agent.log`, or Ctrl+click it.',
    '- The Letta icon in the activity bar: your recent traces, and the server\'s agents and their steps.',
    `- **This Workspace** (same sidebar): \`.letta/settings.local.json\` names ${demoAgent.name}, as Letta Code would; its latest runs show below it, live.`,
    '',
  ].join('\n'));
  installVsix(base);
  server = await startCodeServer({ base, folder, port, settings: { 'letta.baseUrl': fake.url, 'workbench.startupEditor': 'welcomePageInEmptyWorkbench' } });
  server.child.once('exit', (code) => { if (!stopping) { console.error(`code-server exited (${code})`); void stop(1); } });
  const anthropic = JSON.parse(fs.readFileSync(at('test/fixtures/traces/anthropic.json'), 'utf8')).step_id;
  if (screenshotOnly) {
    await screenshot(anthropic);
    await stop(0);
  } else {
    console.log(`
Letta Step Trace demo
  Open in a browser:  ${workbenchUrl(server, folder)}
  API key:            ${noAuth ? '(none needed: the sidebar lists the demo agents at once)' : `${DEMO_KEY}   ← paste this when the extension asks for the key`}
  Fake Letta server:  ${fake.url}
  Workspace:          ${folder} (agent.log has step IDs to hover)
  A step ID to try:   ${anthropic}
Press Ctrl+C to stop.`);
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  await stop(1);
}

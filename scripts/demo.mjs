#!/usr/bin/env node
// `npm run demo`: the packaged extension in code-server (VS Code in the browser) against the fake
// Letta server, with a workspace holding a log of step IDs. Open the printed URL; Ctrl+C stops all.
//
//   node scripts/demo.mjs [--port 8080] [--auth]   (--auth: the fake server wants the key `fake-key`)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, VSIX, installVsix, makeRunDir, removeRunDir, startCodeServer, startFake,
} from '../test/codeServer/codeServer.mjs';

const argv = process.argv.slice(2);
const portArg = argv.indexOf('--port');
const port = portArg >= 0 ? Number(argv[portArg + 1]) : 8080;
const withAuth = argv.includes('--auth');

function npm(...args) {
  const r = spawnSync('npm', args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed`);
}

function newest(dir) {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = path.join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }, 0);
}

// Rebuild only what is stale: the .vsix against src/media/package.json, the fake server against test/.
const vsixTime = fs.existsSync(VSIX) ? fs.statSync(VSIX).mtimeMs : 0;
if (vsixTime < Math.max(newest(path.join(ROOT, 'src')), newest(path.join(ROOT, 'media')), fs.statSync(path.join(ROOT, 'package.json')).mtimeMs)) {
  console.log('Packaging the extension…');
  npm('run', 'package');
}
if (!fs.existsSync(path.join(ROOT, 'out/test/fakeLetta/cli.js')) || fs.statSync(path.join(ROOT, 'out/test/fakeLetta/cli.js')).mtimeMs < newest(path.join(ROOT, 'test/fakeLetta'))) {
  console.log('Compiling the fake server…');
  npm('run', 'compile-tests');
}
const install = spawnSync('bash', [path.join(ROOT, 'scripts/install-code-server.sh')], { stdio: 'inherit' });
if (install.status !== 0) process.exit(install.status ?? 1);

const base = makeRunDir('demo');
let fake;
let server;
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await server?.stop();
  await fake?.stop();
  removeRunDir(base);
  process.exit(code);
}
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  fake = await startFake(withAuth ? { key: 'fake-key' } : { noAuth: true });
  const data = await fake.data();
  const folder = path.join(base, 'ws');
  const ids = data.traceStepIds;
  fs.writeFileSync(path.join(folder, 'agent.log'), [
    '# A Letta server log. Hover a step ID, Ctrl+click it, or right-click → Letta: Open Step Trace.',
    ...ids.slice(0, 8).map((id, i) => `2026-03-14T09:0${i}:00Z INFO  letta.agent  step finished  step_id=${id}`),
    `2026-03-14T09:09:00Z WARN  letta.agent  no trace recorded  step_id=step-00000000-0000-4000-8000-000000000000`,
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(folder, 'README.md'), [
    '# Letta Step Trace demo',
    '',
    `The fake Letta server at ${fake.url} serves ${ids.length} traces for ${data.agents.length} agents (${data.agents.map((a) => a.name).join(', ')}).`,
    withAuth ? 'It wants the API key `fake-key`: the first trace asks for it.' : 'It needs no API key: when asked, choose "Continue without a key" (the plug icon) in the key box.',
    '',
    '- F1 → **Letta: Open Step Trace** and paste a step ID from `agent.log`.',
    '- Hover a step ID in `agent.log`.',
    '- The Letta icon in the activity bar: agents and their steps.',
    '',
  ].join('\n'));
  installVsix(base);
  server = await startCodeServer({ base, folder, port, settings: { 'letta.baseUrl': fake.url } });
  console.log(`
Letta Step Trace demo
  VS Code:          ${server.url}/?folder=${encodeURIComponent(folder)}
  Fake Letta:       ${fake.url} (${withAuth ? 'API key: fake-key' : 'no auth: continue without a key when asked'})
  Workspace:        ${folder} (agent.log has step IDs)
  A step ID:        ${ids[0]}
Press Ctrl+C to stop.`);
  server.child.once('exit', (code) => { if (!stopping) { console.error(`code-server exited (${code})`); void stop(1); } });
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  await stop(1);
}

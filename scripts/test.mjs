#!/usr/bin/env node
// `npm test`: build, package, install code-server, then every test layer in turn — unit (node:test),
// webview (Chromium), integration (mocha in code-server's extension host), e2e (the packaged .vsix
// driven in code-server). Prints a per-layer summary and a closing `N passed, N failed` line; exits
// non-zero on any failure, a failed step, or a layer that ran no tests.
//
//   node scripts/test.mjs [--no-build] [--only unit,webview,integration,e2e]
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './lib/chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const noBuild = argv.includes('--no-build');
const onlyArg = argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set(argv[onlyArg + 1].split(',')) : undefined;
const wants = (layer) => !only || only.has(layer.split(' ')[0]);

const rows = [];
const t = () => performance.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

function banner(text) {
  console.log(`\n━━━ ${text} ${'━'.repeat(Math.max(0, 70 - text.length))}`);
}

/** Runs a command in its own process group (so a timeout kills all of it), streaming its output. */
function run(cmd, args, { timeoutMs = 20 * 60_000, env = {}, buffer = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: buffer ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'], detached: true, env: { ...process.env, ...env } });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const kill = (sig) => { try { process.kill(-child.pid, sig); } catch { /* gone */ } };
    const onSignal = () => { kill('SIGTERM'); process.exit(130); };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; kill('SIGTERM'); setTimeout(() => kill('SIGKILL'), 5000); }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      kill('SIGKILL'); // anything the command left in its group
      resolve({ code: timedOut ? 'timeout' : code ?? signal, ok: !timedOut && code === 0, output });
    });
  });
}

function findFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? findFiles(p, suffix) : e.name.endsWith(suffix) ? [p] : [];
  }).sort();
}

/** node:test with the spec reporter on screen and TAP in a file, for the counts. */
async function nodeTest(layer, files, { concurrency, timeoutMs } = {}) {
  const tap = path.join(os.tmpdir(), `letta-${layer}-${process.pid}.tap`);
  const args = ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`];
  if (concurrency) args.push(`--test-concurrency=${concurrency}`);
  const res = await run(process.execPath, [...args, ...files.map((f) => path.relative(ROOT, f))], { timeoutMs });
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  fs.rmSync(tap, { force: true });
  const count = (name) => Number((text.match(new RegExp(`^# ${name} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  const skipped = count('skipped') + count('todo');
  const note = res.ok ? '' : res.code === 'timeout' ? 'timed out' : failed ? '' : `exit ${res.code}`;
  return { passed, failed: failed || (res.ok ? 0 : 1), skipped, note };
}

async function layer(name, fn, { optional = false } = {}) {
  if (!wants(name)) return;
  banner(name);
  const start = t();
  let r;
  try {
    r = await fn();
  } catch (e) {
    console.error(e);
    r = { passed: 0, failed: 1, note: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
  if (r.absent && optional) {
    rows.push({ name, passed: 0, failed: 0, skipped: 0, time: t() - start, note: r.note, ok: true });
    return;
  }
  const ok = r.failed === 0 && r.passed > 0 && !r.error;
  const note = r.note || (r.passed === 0 && r.failed === 0 ? 'no tests ran' : '');
  rows.push({ name, passed: r.passed, failed: r.failed, skipped: r.skipped ?? 0, time: t() - start, note, ok });
}

async function step(name, cmd, args) {
  banner(name);
  const start = t();
  const res = await run(cmd, args);
  rows.push({ name, step: true, time: t() - start, ok: res.ok, note: res.ok ? '' : `failed (${res.code})` });
  return res.ok;
}

/** Independent steps at once (two cores: tsc for the tests beside the production build); output in turn. */
async function steps(list) {
  const start = t();
  const results = await Promise.all(list.map(async ([name, cmd, args]) => {
    const res = await run(cmd, args, { buffer: true });
    return { name, res, time: t() - start };
  }));
  for (const { name, res, time } of results) {
    banner(`${name} (in parallel)`);
    process.stdout.write(res.output);
    rows.push({ name, step: true, time, ok: res.ok, note: res.ok ? '' : `failed (${res.code})` });
  }
  return results.every((r) => r.res.ok);
}

function summary() {
  banner('summary');
  const pad = (s, n) => String(s).padEnd(n);
  const lpad = (s, n) => String(s).padStart(n);
  console.log(`${pad('layer', 26)}${lpad('passed', 8)}${lpad('failed', 8)}${lpad('skipped', 9)}${lpad('time', 10)}  status`);
  let passed = 0;
  let failed = 0;
  for (const r of rows) {
    if (r.step) {
      if (!r.ok) failed += 1; // a failed build step is a failure even though no test ran
      console.log(`${pad(r.name, 26)}${lpad('', 25)}${lpad(secs(r.time), 10)}  ${r.ok ? 'ok' : `FAILED ${r.note}`}`);
      continue;
    }
    passed += r.passed;
    failed += r.failed;
    console.log(`${pad(r.name, 26)}${lpad(r.passed, 8)}${lpad(r.failed, 8)}${lpad(r.skipped, 9)}${lpad(secs(r.time), 10)}  ${r.ok ? 'ok' : 'FAILED'}${r.note ? ` (${r.note})` : ''}`);
  }
  console.log(`${pad('total', 26)}${lpad('', 25)}${lpad(secs(t() - began), 10)}`);
  const shots = path.join(ROOT, '.test-work/screenshots');
  if (fs.existsSync(shots)) console.log(`screenshots: ${shots}`);
  console.log(`${passed} passed, ${failed} failed`);
  return rows.every((r) => r.ok);
}

const began = t();
let built = true;
if (!noBuild) {
  built = (await step('build', 'npm', ['run', 'build']))
    && (await steps([['compile-tests', 'npm', ['run', 'compile-tests']], ['package', 'npm', ['run', 'package']]]))
    && (await step('install code-server', 'bash', ['scripts/install-code-server.sh']));
}

/**
 * The compiled tests of the sources in `dir` (test/DIR/…/NAME.SUFFIX.ts → out/test/DIR/…/NAME.SUFFIX.js): a
 * stale file in out/ whose source is gone never runs, and a source that did not compile is missing.
 */
function compiledTests(dir, suffix) {
  const sources = findFiles(path.join(ROOT, 'test', dir), `${suffix}.ts`);
  const files = sources.map((f) => path.join(ROOT, 'out', path.relative(ROOT, f)).replace(/\.ts$/, '.js'));
  const missing = files.filter((f) => !fs.existsSync(f)).map((f) => path.relative(ROOT, f));
  return { files, missing };
}

async function testFiles(layerName, dir, suffix, options) {
  const { files, missing } = compiledTests(dir, suffix);
  if (missing.length) return { passed: 0, failed: missing.length, note: `not compiled: ${missing.join(', ')}` };
  if (!files.length) return { passed: 0, failed: 0, note: `no test/${dir}/**/*${suffix}.ts` };
  return nodeTest(layerName, files, options);
}

if (built) {
  await layer('unit', () => testFiles('unit', 'unit', '.unit.test', { timeoutMs: 10 * 60_000 }));

  // Chromium rendering tests of the webview bundle (one browser at a time).
  await layer('webview', async () => {
    if (!compiledTests('webview', '.webview.test').files.length) return { absent: true, note: 'none (test/webview/**/*.webview.test.ts)' };
    // Installed with code-server in a full run; `--no-build --only webview` on a fresh machine gets it here.
    const chromium = ensureChromium();
    if (!chromium.ok) return { passed: 0, failed: 1, note: chromium.why };
    return testFiles('webview', 'webview', '.webview.test', { concurrency: 1, timeoutMs: 15 * 60_000 });
  }, { optional: true });

  await layer('integration (code-server)', async () => {
    const harness = path.join(ROOT, 'out/test/codeServer/codeServer.js');
    if (!fs.existsSync(harness)) return { passed: 0, failed: 1, note: 'out/test/codeServer/codeServer.js is missing (npm run compile-tests)' };
    const { runIntegration } = createRequire(import.meta.url)(harness);
    const r = await runIntegration({ timeoutMs: 10 * 60_000 });
    for (const f of r.failures ?? []) console.log(`  ✗ ${f.title}\n    ${String(f.error).split('\n').slice(0, 4).join('\n    ')}`);
    if (r.error) console.log(`  error: ${r.error}`);
    const failed = r.failed || (r.ok ? 0 : 1);
    return { passed: r.passed, failed, note: r.error ?? (r.exitCode !== 0 && !r.failed ? `exit ${r.exitCode}` : '') };
  });

  // One workbench at a time: each file runs its own code-server and Chromium on 2 cores.
  await layer('e2e (code-server UI)', () => testFiles('e2e', 'e2e', '.e2e', { concurrency: 1, timeoutMs: 15 * 60_000 }));
}

process.exit(summary() ? 0 : 1);

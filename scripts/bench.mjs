#!/usr/bin/env node
// `npm run bench`: builds what it measures, runs each measure in its own Node process (bench/*.ts,
// compiled to out/bench/), and prints one table — measure, value, floor, ratio, target, verdict —
// with the machine it ran on. Medians over several runs; every ratio is against a floor timed in
// the same run. A measure that cannot run prints "not measured: <why>" in its row. Not a test:
// the exit code is non-zero only when the harness itself breaks.
//
//   node scripts/bench.mjs [--no-build] [--only size,activation,scan,normalize,fetch,memory,reopen,render,firstScreen,firstScreenCode,tokens,runs,runmemory,runview,polling,find] [--quick]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumVersion, ensureChromium } from './lib/chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = path.join(ROOT, '.bench');
const ROW_MARK = '@@BENCH-ROW ';
const argv = process.argv.slice(2);
const noBuild = argv.includes('--no-build');
const quick = argv.includes('--quick');
const onlyArg = argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set(argv[onlyArg + 1].split(',')) : undefined;

/** Each measure: its compiled script, the Node flags it needs, and what it needs installed. */
const MEASURES = [
  { name: 'size', script: 'size.js', flags: [] },
  { name: 'activation', script: 'activation.js', flags: [] },
  { name: 'scan', script: 'scan.js', flags: ['--expose-gc', '--max-old-space-size=8192'] },
  { name: 'normalize', script: 'normalize.js', flags: ['--expose-gc', '--max-old-space-size=8192'] },
  { name: 'fetch', script: 'fetchParse.js', flags: ['--expose-gc', '--max-old-space-size=8192'] },
  { name: 'memory', script: 'memory.js', flags: [] },
  { name: 'reopen', script: 'reopen.js', flags: ['--max-old-space-size=8192'] },
  { name: 'render', script: 'render.js', flags: ['--expose-gc', '--max-old-space-size=8192'], needs: 'chromium' },
  { name: 'firstScreen', script: 'firstScreen.js', flags: ['--max-old-space-size=8192'], needs: 'chromium' },
  // In code-server, as a user feels it: the extension from this tree, in production bundles.
  { name: 'firstScreenCode', script: 'firstScreenCode.js', flags: ['--max-old-space-size=8192'], needs: 'code-server', timeoutMs: 30 * 60_000 },
  { name: 'tokens', script: 'tokens.js', flags: ['--max-old-space-size=8192'] },
  { name: 'runs', script: 'runs.js', flags: ['--expose-gc'] },
  { name: 'runmemory', script: 'runMemory.js', flags: ['--expose-gc'] },
  { name: 'runview', script: 'runView.js', flags: ['--expose-gc'], needs: 'chromium' },
  { name: 'polling', script: 'livePolling.js', flags: [] },
  { name: 'find', script: 'find.js', flags: ['--expose-gc', '--max-old-space-size=8192'] },
].filter((m) => !only || only.has(m.name));

fs.mkdirSync(CACHE, { recursive: true });
const logFile = path.join(CACHE, 'bench.log');
fs.writeFileSync(logFile, '');
const log = (text) => fs.appendFileSync(logFile, text);
const started = Date.now();
const loadAtStart = os.loadavg();

/** Runs a command, output to the log; resolves with its exit code and the tail of its output. */
function run(cmd, args, { timeoutMs = 10 * 60_000, env = {}, onStdout } = {}) {
  return new Promise((resolve) => {
    log(`\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { cwd: ROOT, detached: true, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    let pending = '';
    const keep = (text) => {
      log(text);
      tail = (tail + text).slice(-4000);
    };
    child.stdout.on('data', (c) => {
      pending += c.toString();
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (onStdout && line.startsWith(ROW_MARK)) {
          onStdout(line);
        }
        keep(`${line}\n`);
      }
    });
    child.stderr.on('data', (c) => keep(c.toString()));
    let timedOut = false;
    const kill = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        /* gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      kill('SIGKILL'); // anything it left in its group (a fake server, a browser)
      resolve({ code: timedOut ? 'timeout' : (code ?? signal), ok: !timedOut && code === 0, tail });
    });
  });
}

const lastLine = (text) =>
  text
    .trim()
    .split('\n')
    .filter((l) => /error|ERR|fail|✘/i.test(l))
    .pop()
    ?.slice(0, 160) ?? text.trim().split('\n').pop()?.slice(0, 160) ?? '';

const buildNotes = [];
if (noBuild) {
  // Measure dist/ as it is, not a production copy left by an earlier run.
  fs.rmSync(path.join(CACHE, 'dist'), { recursive: true, force: true });
} else {
  process.stderr.write('bench: building (tsc, vsce package)…\n');
  const vsix = path.join(CACHE, 'letta-step-trace.vsix');
  fs.rmSync(vsix, { force: true });
  // What `npm run package` does (its prepublish runs build:prod: typecheck + production bundles),
  // written to .bench/ instead of the work tree; in parallel with the test compile.
  const [tsc, pkg] = await Promise.all([
    run('npx', ['tsc', '-p', '.', '--outDir', 'out']),
    only && !only.has('size') ? Promise.resolve({ ok: true }) : run('npx', ['vsce', 'package', '--no-dependencies', '--out', vsix]),
  ]);
  if (!tsc.ok) {
    // tsc emits despite type errors (other parts in progress); a measure whose module broke says so itself.
    buildNotes.push(`tsc reported type errors (emitted anyway): ${lastLine(tsc.tail)}`);
  }
  if (!pkg.ok) {
    process.env.BENCH_VSIX_ERROR = `vsce package failed: ${lastLine(pkg.tail)}`;
    buildNotes.push(process.env.BENCH_VSIX_ERROR);
  }
}

/** Builds the production bundles and copies them to .bench/dist/ (size and activation read them there). */
async function productionCopy() {
  const r = await run('node', ['esbuild.js', '--production']);
  if (!r.ok) {
    buildNotes.push(`node esbuild.js --production failed: ${lastLine(r.tail)}`);
  }
  const to = path.join(CACHE, 'dist');
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(to, { recursive: true });
  for (const f of ['extension.js', 'client.js', 'prices.js', 'tokenizer.js', 'chat.js', 'runs.js', 'find.js', 'webview.js', 'webview.css', 'run.js', 'run.css']) {
    const from = path.join(ROOT, 'dist', f);
    if (r.ok && fs.existsSync(from)) {
      fs.copyFileSync(from, path.join(to, f));
    }
  }
}

const rows = [];
const durations = [];
for (const m of MEASURES) {
  const script = path.join(ROOT, 'out', 'bench', m.script);
  process.stderr.write(`bench: ${m.name}…\n`);
  if (!fs.existsSync(script)) {
    rows.push({ measure: m.name, value: '—', floor: '—', ratio: '—', target: '—', verdict: `not measured: out/bench/${m.script} is missing (tsc failed?)` });
    continue;
  }
  if (m.needs === 'chromium') {
    // As `npm test` does (install-code-server.sh): Debian's chromium, installed on first need.
    const chromium = ensureChromium(log);
    if (!chromium.ok) {
      rows.push({ measure: m.name, value: '—', floor: '—', ratio: '—', target: '—', verdict: `not measured: ${chromium.why}` });
      continue;
    }
  }
  if (m.needs === 'code-server') {
    // As `npm test` does: installed on first need (minutes once, seconds after), Chromium with it.
    process.stderr.write('bench: installing code-server if missing…\n');
    const install = await run('bash', ['scripts/install-code-server.sh']);
    if (!install.ok) {
      rows.push({ measure: m.name, value: '—', floor: '—', ratio: '—', target: '—', verdict: `not measured: scripts/install-code-server.sh failed: ${lastLine(install.tail)}` });
      continue;
    }
  }
  if ((m.name === 'size' || m.name === 'activation' || m.needs === 'code-server') && !noBuild) {
    // Others may rebuild dist/ for development at any time: these two measure a production bundle,
    // copied to .bench/dist/ the moment it is built.
    await productionCopy();
  }
  const before = rows.length;
  const t0 = Date.now();
  const r = await run(process.execPath, [...m.flags, script], {
    timeoutMs: m.timeoutMs,
    env: quick ? { BENCH_QUICK: '1' } : {},
    onStdout: (line) => rows.push(JSON.parse(line.slice(ROW_MARK.length))),
  });
  durations.push(`${m.name} ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (!r.ok) {
    const why = r.code === 'timeout' ? 'timed out' : `exited ${r.code}: ${lastLine(r.tail)}`;
    rows.push({ measure: `${m.name}${rows.length > before ? ' (rest)' : ''}`, value: '—', floor: '—', ratio: '—', target: '—', verdict: `not measured: ${why}` });
  }
}

// --- the report ---
const chromium = chromiumVersion();
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() || '?';
const dirty = spawnSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ? ' + uncommitted changes' : '';
const cpus = os.cpus();
const fmtLoad = (l) => l.map((x) => x.toFixed(1)).join(' ');
const cols = ['measure', 'value', 'floor', 'ratio', 'target', 'verdict'];
const cell = (s) => String(s ?? '').replace(/\|/g, '\\|');
const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
const line = (vals) => `| ${vals.map((v, i) => cell(v).padEnd(widths[i])).join(' | ')} |`;
const out = [];
out.push('');
out.push(`Letta Step Trace benchmark — ${new Date().toISOString()} — commit ${commit}${dirty}${quick ? ' — QUICK (2 runs each, not for comparison)' : ''}`);
out.push(
  `Machine: ${cpus[0]?.model ?? '?'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ${chromium}; ` +
    `load average ${fmtLoad(loadAtStart)} at start, ${fmtLoad(os.loadavg())} at end`,
);
out.push('');
out.push(line(cols));
out.push(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) {
  out.push(line(cols.map((c) => r[c])));
}
out.push('');
const notes = [...buildNotes.map((n) => `build: ${n}`), ...rows.filter((r) => r.note).map((r) => r.note), `time per measure: ${durations.join(', ')}.`];
if (notes.length) {
  out.push('Notes:');
  for (const n of notes) {
    out.push(`- ${n}`);
  }
  out.push('');
}
const count = (pred) => rows.filter((r) => pred(String(r.verdict))).length;
out.push(
  `${count((v) => v === 'ok')} ok, ${count((v) => v === 'MISSED')} MISSED, ${count((v) => v.startsWith('not measured'))} not measured, ` +
    `${count((v) => v === 'info')} for information; ${((Date.now() - started) / 1000).toFixed(0)} s. Full output: .bench/bench.log`,
);
if (os.loadavg()[0] > cpus.length * 1.5 || loadAtStart[0] > cpus.length * 1.5) {
  out.push(`Warning: the machine was busy (load above ${cpus.length * 1.5} on ${cpus.length} cores): absolute times are inflated; the ratios, timed alternately, less so.`);
}
const text = out.join('\n');
console.log(text);
fs.writeFileSync(path.join(CACHE, 'last.md'), `${text}\n`);

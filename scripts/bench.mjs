#!/usr/bin/env node
// `npm run bench`: builds the production bundles and the .vsix, runs each measure in a fresh
// process, and prints one table — our time against the floor (the bare operation) as a ratio.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

console.error('bench: building (production bundles, tests, .vsix)…');
run('npm', ['run', 'package', '--silent']);
run('npx', ['tsc', '-p', '.', '--outDir', 'out']);

/** Runs `node out/bench/measures.js name arg` in a fresh process and returns its JSON line. */
function measure(name, arg = '', nodeArgs = []) {
  const result = spawnSync(process.execPath, [...nodeArgs, path.join(root, 'out/bench/measures.js'), name, String(arg)], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) {
    return { error: (result.stderr || result.stdout).trim().split('\n').slice(-1)[0] };
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (file) => (fs.existsSync(path.join(root, file)) ? fs.statSync(path.join(root, file)).size / 1024 : NaN);
const rows = [];
const row = (what, value, floor, target, ok, unit = 'ms') =>
  rows.push({ what, value: fmt(value, unit), floor: floor === undefined ? '' : fmt(floor, unit), ratio: floor ? `${(value / floor).toFixed(2)}×` : '', target, verdict: Number.isNaN(value) ? 'not measured' : ok ? 'ok' : 'MISSED' });
const fmt = (v, unit) => (Number.isNaN(v) || v === undefined ? '–' : `${v < 10 ? v.toFixed(2) : Math.round(v).toLocaleString('en-US')} ${unit}`);

// 1. Size
const ext = kb('dist/extension.js');
row('extension bundle (minified)', ext, undefined, '≤ 200 KB', ext <= 200, 'KB');
const web = kb('dist/webview.js') + (fs.existsSync(path.join(root, 'dist/webview.css')) ? kb('dist/webview.css') : 0);
row('webview bundle (js + css)', web, undefined, 'small', true, 'KB');
row('.vsix', kb('letta-step-trace.vsix'), undefined, '–', true, 'KB');

// 2. Activation, fresh process per run
const activations = Array.from({ length: 7 }, () => measure('activation'));
const act = median(activations.map((a) => a.totalMs ?? NaN));
row('activation: load bundle + activate()', act, undefined, '≤ 20 ms', act <= 20);

// 3. Fetch and parse through our client against bare fetch + JSON.parse
for (const mb of [1, 10, 50]) {
  const r = measure('fetchParse', mb);
  row(`fetch + parse ${mb} MB trace`, r.oursMs ?? NaN, r.floorMs, '≤ 1.5× floor', r.oursMs / r.floorMs <= 1.5);
}

// 4. First render in headless Chromium against JSON.parse in the page
const harness = path.join(root, 'out/test/webview/renderHarness.js');
if (fs.existsSync(harness)) {
  const { measureRender } = await import(harness);
  for (const mb of [1, 10, 50]) {
    const r = await measureRender(mb * 1024 * 1024);
    row(`first render ${mb} MB trace (after data arrives)`, r.firstRenderMs, r.jsonParseMs, mb === 10 ? '≤ 300 ms' : mb === 50 ? 'no long task > 200 ms' : '–', mb === 10 ? r.firstRenderMs <= 300 : mb === 50 ? r.longestTaskMs <= 200 : true);
    if (mb === 50) {
      row('longest task while rendering 50 MB', r.longestTaskMs, undefined, '≤ 200 ms', r.longestTaskMs <= 200);
    }
  }
} else {
  row('first render (webview)', NaN, undefined, '≤ 300 ms', false);
}

// 5. Step-ID scanning against a bare regex scan
const hover = measure('hover');
row('hover lookup, 10,000-char line', hover.oursUs ?? NaN, hover.floorUs, '≤ 2× floor', hover.oursUs / hover.floorUs <= 2, 'µs');
for (const mb of [1, 10, 100]) {
  const r = measure('scan', mb);
  row(`link scan ${mb} MB log`, r.oursMs ?? NaN, r.floorMs, '≤ 2× floor', r.oursMs / r.floorMs <= 2);
}
for (const mb of [10, 50]) {
  const r = measure('normalize', mb);
  row(`normalise ${mb} MB trace (vs JSON.parse)`, r.oursMs ?? NaN, r.floorMs, '–', true);
}

// 6. Peak memory for the 50 MB trace
const mem = measure('memory', '', ['--expose-gc']);
row('host peak RSS, 50 MB trace (incl. fake server)', mem.peakRssMb ?? NaN, undefined, '–', true, 'MB');
row('host heap growth, 50 MB trace', mem.heapDeltaMb ?? NaN, undefined, '–', true, 'MB');

const chromium = spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? 'chromium: not found';
console.log(`\nLetta Step Trace benchmarks — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${chromium}\n`);
const head = ['measure', 'value', 'floor', 'ratio', 'target', 'verdict'];
const table = [head, head.map(() => '---'), ...rows.map((r) => [r.what, r.value, r.floor, r.ratio, r.target, r.verdict])];
for (const line of table) {
  console.log(`| ${line.join(' | ')} |`);
}

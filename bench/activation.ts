/**
 * Activation: `require('dist/extension.js')` + `activate()` with a stand-in `vscode`, each run in a
 * fresh Node process (a warm module cache would hide the real cost). The floor is compiling the same
 * bundle (`new vm.Script`): what any extension of this size pays before running a line of it.
 *
 *   node out/bench/activation.js            → rows
 *   node out/bench/activation.js --child    → one run, one JSON line
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { errorMessage } from '../src/core/errorMessage';
import { atMost, emit, ms, notMeasured, ratio } from './lib/report';
import { BUNDLES, ROOT } from './lib/paths';
import { median, runs } from './lib/stats';
import { calls, createExtensionContext, createVscodeStub, installVscodeStub } from './lib/vscodeStub';

const BUNDLE = path.join(BUNDLES, 'extension.js');
const MEASURE = 'activation: require + activate() (dist/extension.js)';
const TARGET_MS = 20;

async function child(): Promise<void> {
  if (process.argv.includes('--compile-only')) {
    const source = fs.readFileSync(BUNDLE, 'utf8');
    const t0 = performance.now();
    new vm.Script(source, { filename: BUNDLE });
    console.log(JSON.stringify({ compileMs: performance.now() - t0 }));
    return;
  }
  installVscodeStub(createVscodeStub());
  const errors: string[] = [];
  process.on('unhandledRejection', (e) => errors.push(`unhandled rejection: ${errorMessage(e)}`));
  const context = createExtensionContext(ROOT);
  const loadList = (process as unknown as { moduleLoadList: string[] }).moduleLoadList;
  const builtinsBefore = new Set(loadList);
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(BUNDLE) as { activate(context: unknown): unknown };
  const t1 = performance.now();
  const builtins = loadList.filter((m) => !builtinsBefore.has(m) && m.startsWith('NativeModule ') && !m.includes('internal/')).map((m) => m.slice('NativeModule '.length));
  let result: unknown;
  try {
    result = extension.activate(context);
    if (result instanceof Promise) {
      result = await (result as Promise<unknown>);
    }
  } catch (e) {
    errors.push(`activate threw: ${errorMessage(e)}`);
  }
  const t2 = performance.now();
  // What activation started in the background (secrets, tree loads) runs on; give it a moment to fail loudly.
  await new Promise((r) => setTimeout(r, 50));
  console.log(
    JSON.stringify({
      requireMs: t1 - t0,
      activateMs: t2 - t1,
      subscriptions: (context.subscriptions as unknown[]).length,
      builtins,
      minified: !/sourceMappingURL=/.test(fs.readFileSync(BUNDLE, 'utf8').slice(-300)),
      calls: Object.fromEntries(calls),
      errors,
    }),
  );
  for (const d of context.subscriptions as { dispose(): unknown }[]) {
    try {
      d.dispose();
    } catch {
      /* a stub's dispose */
    }
  }
  process.exit(0);
}

function runChild(args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, [__filename, '--child', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`child failed (${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  }
}

function main(): void {
  if (!fs.existsSync(BUNDLE)) {
    emit(notMeasured(MEASURE, 'dist/extension.js is missing (node esbuild.js --production failed?)', `≤ ${TARGET_MS} ms`));
    return;
  }
  const n = runs(7);
  const totals: number[] = [];
  const requires: number[] = [];
  const activates: number[] = [];
  const compiles: number[] = [];
  let last: Record<string, unknown> = {};
  try {
    runChild([]); // warm the disk cache
    for (let i = 0; i < n; i++) {
      last = runChild([]);
      requires.push(last.requireMs as number);
      activates.push(last.activateMs as number);
      totals.push((last.requireMs as number) + (last.activateMs as number));
      compiles.push(runChild(['--compile-only']).compileMs as number);
    }
  } catch (e) {
    emit(notMeasured(MEASURE, errorMessage(e), `≤ ${TARGET_MS} ms`));
    return;
  }
  const errors = last.errors as string[];
  const total = median(totals);
  const floor = median(compiles);
  const registered = Object.entries(last.calls as Record<string, number>)
    .filter(([k]) => /register|create/.test(k))
    .map(([k, v]) => `${k.replace(/^\w+\./, '')}×${v}`)
    .join(', ');
  emit({
    measure: MEASURE,
    value: ms(total),
    floor: `${ms(floor)} (compile only)`,
    ratio: ratio(total, floor),
    target: `≤ ${TARGET_MS} ms`,
    verdict: errors.length > 0 ? `not measured: ${errors[0]}` : atMost(total, TARGET_MS),
    note:
      `activation, median of ${n} fresh processes: require ${ms(median(requires))} + activate() ${ms(median(activates))}; ${last.subscriptions as number} subscriptions (${registered}); ` +
      `require loaded Node built-ins: ${(last.builtins as string[]).join(', ') || 'none'}${last.minified ? '' : '; WARNING: dist/extension.js is not a production build'}.`,
  });
}

if (process.argv.includes('--child')) {
  void child();
} else {
  main();
}

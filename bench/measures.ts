/**
 * The benchmark measures that run in Node. Each is called in a fresh process by scripts/bench.mjs
 * (`node out/bench/measures.js <measure>`) and prints one JSON line of results.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';
import { performance } from 'node:perf_hooks';
import { createLettaClient } from '../src/core/lettaClient';
import { nodeFetch } from '../src/core/httpTransport';
import { findStepIds, scanStepIds, stepIdAt, STEP_ID_IN_TEXT } from '../src/core/stepIds';
import { normalizeTrace } from '../src/core/conversation/normalize';
import { prettyJson } from '../src/core/traceJson';
import { buildLargeTrace } from '../test/fixtures/builders';
import { fakeId } from '../test/fakeLetta/data';
import { startFakeLetta } from '../test/fakeLetta/server';
import { vscodeStandIn } from './vscodeStandIn';

const MB = 1024 * 1024;
const root = path.resolve(__dirname, '..', '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(run: () => unknown): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** Loads dist/extension.js with the stand-in `vscode` module and runs activate(): one sample. */
async function activation(): Promise<Record<string, number>> {
  const resolve = (Module as unknown as { _resolveFilename: (r: string, ...rest: unknown[]) => string })._resolveFilename;
  (Module as unknown as { _resolveFilename: (r: string, ...rest: unknown[]) => string })._resolveFilename = (request, ...rest) => (request === 'vscode' ? 'vscode' : resolve(request, ...rest));
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscodeStandIn() } as unknown as NodeJS.Module;
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(path.join(root, 'dist', 'extension.js')) as { activate: (c: unknown) => unknown };
  const loaded = performance.now();
  await extension.activate(standInContext());
  const activated = performance.now();
  return { loadMs: loaded - started, activateMs: activated - loaded, totalMs: activated - started };
}

function standInContext(): unknown {
  const memento = () => {
    const data = new Map<string, unknown>();
    return { get: (k: string, d?: unknown) => (data.has(k) ? data.get(k) : d), update: (k: string, v: unknown) => Promise.resolve(void data.set(k, v)), keys: () => [...data.keys()] };
  };
  const none = { dispose() {} };
  return {
    subscriptions: [],
    globalState: memento(),
    workspaceState: memento(),
    secrets: { get: () => Promise.resolve(undefined), store: () => Promise.resolve(), delete: () => Promise.resolve(), onDidChange: () => none },
    extensionUri: { fsPath: root, path: root, scheme: 'file' },
    extensionPath: root,
  };
}

/** Our client against a bare fetch + JSON.parse of the same bytes, from the fake server on loopback. */
async function fetchParse(sizeMb: number): Promise<Record<string, number>> {
  const fake = await startFakeLetta({ apiKey: 'bench' });
  const trace = buildLargeTrace(sizeMb * MB);
  const stepId = fakeId('step', `bench-${sizeMb}`);
  fake.addTrace({ ...trace, step_id: stepId });
  const url = `${fake.url}/v1/steps/${stepId}/trace`;
  const client = createLettaClient({ baseUrl: fake.url, apiKey: 'bench', fetch: nodeFetch, maxBodyBytes: 200 * MB });
  const runs = sizeMb >= 50 ? 3 : 5;
  const ours: number[] = [];
  const floor: number[] = [];
  await client.getTrace(stepId); // warm up both paths once
  await (await fetch(url, { headers: { authorization: 'Bearer bench' } })).json();
  for (let i = 0; i < runs; i++) {
    floor.push(await time(async () => JSON.parse(await (await fetch(url, { headers: { authorization: 'Bearer bench' } })).text())));
    ours.push(await time(() => client.getTrace(stepId)));
  }
  await fake.close();
  return { oursMs: median(ours), floorMs: median(floor), bytes: Buffer.byteLength(JSON.stringify(trace)) };
}

/** The normaliser on a big trace against JSON.parse of it. */
async function normalize(sizeMb: number): Promise<Record<string, number>> {
  const text = JSON.stringify(buildLargeTrace(sizeMb * MB));
  const parse: number[] = [];
  const norm: number[] = [];
  for (let i = 0; i < 5; i++) {
    let parsed: unknown;
    parse.push(await time(() => (parsed = JSON.parse(text))));
    norm.push(await time(() => normalizeTrace(parsed as { request_json: unknown; response_json: unknown })));
  }
  return { oursMs: median(norm), floorMs: median(parse) };
}

/** A realistic log of `sizeMb` with a step ID on one line in five, and look-alikes. */
function buildLog(sizeMb: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < sizeMb * MB; i++) {
    const id = fakeId('step', `log-${i % 5000}`);
    const line =
      i % 5 === 0
        ? `2026-03-14T11:40:${String(i % 60).padStart(2, '0')}Z INFO agent step finished step_id=${id} status=success tokens=3261`
        : i % 7 === 0
          ? `2026-03-14T11:40:00Z DEBUG not an ID: step-${id.slice(5).toUpperCase()} or xstep-1234`
          : `2026-03-14T11:40:00Z INFO request served in ${i % 900} ms path=/v1/agents/agent-${i} bytes=${i * 13}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

/** Link scanning and hover lookup against a bare regex scan of the same text. */
async function scan(sizeMb: number): Promise<Record<string, number>> {
  const text = buildLog(sizeMb);
  const ours: number[] = [];
  const floor: number[] = [];
  let found = 0;
  for (let i = 0; i < 5; i++) {
    floor.push(await time(() => {
      let n = 0;
      for (const _ of text.matchAll(new RegExp(STEP_ID_IN_TEXT.source, 'g'))) {
        n++;
      }
      return n;
    }));
    ours.push(await time(() => (found = scanStepIds(text).matches.length)));
  }
  return { oursMs: median(ours), floorMs: median(floor), found };
}

async function hover(): Promise<Record<string, number>> {
  const id = fakeId('step', 'hover');
  const line = `${'x'.repeat(5000)} step_id=${id} ${'y'.repeat(10_000 - 5051)}`;
  const offset = line.indexOf(id) + 10;
  const rounds = 10_000;
  const ours = await time(() => {
    for (let i = 0; i < rounds; i++) {
      stepIdAt(line, offset);
    }
  });
  const floor = await time(() => {
    for (let i = 0; i < rounds; i++) {
      findStepIds(line);
    }
  });
  return { oursUs: (ours / rounds) * 1000, floorUs: (floor / rounds) * 1000 };
}

/** Peak memory of the host side for one 50 MB trace: fetch, parse, normalise, pretty-print. */
async function memory(): Promise<Record<string, number>> {
  const fake = await startFakeLetta({ apiKey: 'bench' });
  const stepId = fakeId('step', 'bench-mem');
  fake.addTrace({ ...buildLargeTrace(50 * MB), step_id: stepId });
  global.gc?.();
  const before = process.memoryUsage();
  const client = createLettaClient({ baseUrl: fake.url, apiKey: 'bench', fetch: nodeFetch, maxBodyBytes: 200 * MB });
  // The server's own copy is part of this process too: measured before, so the delta is ours.
  const trace = await client.getTrace(stepId);
  normalizeTrace(trace);
  const text = prettyJson(trace.request_json);
  const after = process.memoryUsage();
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  await fake.close();
  return { peakRssMb: hwmKb / 1024, heapDeltaMb: (after.heapUsed - before.heapUsed) / MB, baseRssMb: before.rss / MB, documentMb: text.length / MB };
}

const measures: Record<string, (arg: number) => Promise<Record<string, number>>> = { activation, fetchParse, normalize, scan, hover, memory };

async function main(): Promise<void> {
  const [name, arg] = process.argv.slice(2);
  const measure = measures[name];
  if (!measure) {
    throw new Error(`unknown measure ${name}; one of ${Object.keys(measures).join(', ')}`);
  }
  console.log(JSON.stringify(await measure(Number(arg ?? 0))));
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

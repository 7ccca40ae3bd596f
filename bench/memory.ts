/**
 * Memory on the extension-host side for the 50 MB trace, each variant in a fresh Node process
 * (`--expose-gc`), the fake server in another: peak RSS (VmHWM, reset through /proc/self/clear_refs
 * after warm-up) and what stays on the heap afterwards, held by the extension's own holders under
 * its one memory budget: the trace in the `TraceCache` (held, as on screen), the rendered documents
 * in `RenderedDocuments` after VS Code's stat + read, the viewer's pieces in `PanelPosts` after the
 * webview said ready.
 *   floor      bare fetch + JSON.parse
 *   documents  getTrace + the request/response/metadata documents rendered and read
 *   webview    getTrace + the viewer payload built and posted (the default `letta.openTraceIn`)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { errorMessage } from '../src/core/errorMessage';
import type * as ClientModule from '../src/core/lettaClient';
import type * as TransportModule from '../src/core/httpTransport';
import type * as Normalize from '../src/core/conversation/normalize';
import type * as TraceJson from '../src/core/traceJson';
import type * as Payload from '../src/core/viewer/tracePayload';
import type * as Budget from '../src/core/memoryBudget';
import type * as Cache from '../src/core/traceCache';
import type * as Documents from '../src/core/renderedDocuments';
import type * as Posts from '../src/core/viewer/panelPosts';
import type { LoadedTrace } from '../src/core/lettaTypes';
import { MB } from './lib/data';
import { atMost, emit, mb, notMeasured, ratio } from './lib/report';
import { ROOT, need } from './lib/paths';
import { startBenchServer } from './lib/serverProcess';
import { median, runs } from './lib/stats';

type Variant = 'floor' | 'documents' | 'webview';

interface Sample {
  baselineRss: number;
  peakRss: number;
  retained: number;
  resetWorked: boolean;
}

function status(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) {
    throw new Error('run with --expose-gc');
  }
  g();
  g();
}

function heap(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

interface WorkDeps {
  url: string;
  key: string;
  stepId: string;
  client: ReturnType<typeof ClientModule.createLettaClient>;
  normalizeTrace: typeof Normalize.normalizeTrace;
  prettyJson: typeof TraceJson.prettyJson;
  tracePartValue: typeof TraceJson.tracePartValue;
  buildTraceData: typeof Payload.buildTraceData;
  splitTraceData: typeof Payload.splitTraceData;
  MemoryBudget: typeof Budget.MemoryBudget;
  TraceCache: typeof Cache.TraceCache;
  RenderedDocuments: typeof Documents.RenderedDocuments;
  PanelPosts: typeof Posts.PanelPosts;
}

/** The retention target for the default view: at most this many times the parsed trace. */
const RETAINED_TARGET = 1.5;

async function work(variant: Variant, d: WorkDeps): Promise<unknown[]> {
  const { url, key, stepId, client } = d;
  const held: unknown[] = [];
  if (variant === 'floor') {
    const res = await fetch(`${url}/v1/steps/${stepId}/trace`, { headers: { authorization: `Bearer ${key}` } });
    held.push(JSON.parse(await res.text()));
  } else {
    const trace = await client.getTrace(stepId);
    const loaded: LoadedTrace = { stepId, trace, source: { kind: 'server', origin: url }, loadedAt: 1 };
    const budget = new d.MemoryBudget();
    const cache = new d.TraceCache({}, budget);
    cache.set(loaded);
    cache.hold(loaded);
    held.push(budget, cache);
    if (variant === 'documents') {
      const documents = new d.RenderedDocuments(budget);
      held.push(documents);
      for (const part of ['request', 'response', 'metadata'] as const) {
        // VS Code's stat renders, its readFile takes the bytes (the editor keeps its own copy).
        const key = `/${stepId}/${part}.json`;
        documents.put(key, Buffer.from(d.prettyJson(d.tracePartValue(trace, part)), 'utf8'), loaded.loadedAt, true);
        documents.take(key);
      }
    } else {
      let sent = 0;
      // postMessage serialises a message to the webview and keeps nothing.
      const posts = new d.PanelPosts(budget, 'panel', (messages) => {
        for (const m of messages) {
          sent += JSON.stringify(m).length;
        }
      });
      const build = () => d.splitTraceData(d.buildTraceData(loaded));
      posts.show({ messages: build(), rebuild: build });
      posts.onReady();
      held.push(posts, sent);
    }
  }
  return held;
}

async function child(variant: Variant, url: string, key: string, stepId: string): Promise<void> {
  const { createLettaClient } = need<typeof ClientModule>('src/core/lettaClient');
  const { nodeFetch } = need<typeof TransportModule>('src/core/httpTransport');
  const { normalizeTrace } = need<typeof Normalize>('src/core/conversation/normalize');
  const { prettyJson, tracePartValue } = need<typeof TraceJson>('src/core/traceJson');
  const { buildTraceData, splitTraceData } = need<typeof Payload>('src/core/viewer/tracePayload');
  const { MemoryBudget } = need<typeof Budget>('src/core/memoryBudget');
  const { TraceCache } = need<typeof Cache>('src/core/traceCache');
  const { RenderedDocuments } = need<typeof Documents>('src/core/renderedDocuments');
  const { PanelPosts } = need<typeof Posts>('src/core/viewer/panelPosts');
  const client = createLettaClient({ baseUrl: url, apiKey: key, timeoutMs: 60_000, maxBodyBytes: 100 * MB, fetch: nodeFetch });
  // Warm both HTTP stacks with a small request, so module loading is not counted.
  await client.listAgents({ limit: 1 });
  await (await fetch(`${url}/v1/agents?limit=1`, { headers: { authorization: `Bearer ${key}` } })).text();
  gc();
  const baselineRss = process.memoryUsage().rss;
  const baseHeap = heap();
  let resetWorked = true;
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    resetWorked = false;
  }
  // In its own function, so no temporary (the response text) stays alive in this frame.
  const held = await work(variant, {
    url,
    key,
    stepId,
    client,
    normalizeTrace,
    prettyJson,
    tracePartValue,
    buildTraceData,
    splitTraceData,
    MemoryBudget,
    TraceCache,
    RenderedDocuments,
    PanelPosts,
  });
  await new Promise((r) => setImmediate(r));
  const peakRss = status('VmHWM');
  gc();
  const sample: Sample = { baselineRss, peakRss, retained: heap() - baseHeap, resetWorked };
  console.log(JSON.stringify(sample));
  held.length = 0;
  process.exit(0);
}

function runChild(variant: Variant, url: string, key: string, stepId: string): Sample {
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, '--child', variant, url, key, stepId], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Sample;
  } catch {
    throw new Error(`${variant} child failed (${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`);
  }
}

const NAMES: Record<Exclude<Variant, 'floor'>, string> = {
  documents: 'memory 50 MB: fetch + JSON documents rendered and read',
  webview: 'memory 50 MB: fetch + open in the viewer',
};

async function main(): Promise<void> {
  let server;
  try {
    for (const m of [
      'src/core/lettaClient',
      'src/core/httpTransport',
      'src/core/conversation/normalize',
      'src/core/traceJson',
      'src/core/viewer/tracePayload',
      'src/core/memoryBudget',
      'src/core/traceCache',
      'src/core/renderedDocuments',
      'src/core/viewer/panelPosts',
    ]) {
      need(m);
    }
    server = await startBenchServer([50]);
  } catch (e) {
    for (const name of Object.values(NAMES)) {
      emit(notMeasured(name, errorMessage(e)));
    }
    return;
  }
  try {
    const n = runs(3);
    const samples: Record<Variant, Sample[]> = { floor: [], documents: [], webview: [] };
    for (let i = 0; i < n; i++) {
      for (const v of ['floor', 'documents', 'webview'] as Variant[]) {
        samples[v].push(runChild(v, server.url, server.apiKey, server.steps[50]));
      }
    }
    const peakDelta = (v: Variant) => median(samples[v].map((s) => s.peakRss - s.baselineRss));
    const retained = (v: Variant) => median(samples[v].map((s) => s.retained));
    const floorPeak = peakDelta('floor');
    const floorKept = retained('floor');
    const resetOk = Object.values(samples).every((s) => s.every((x) => x.resetWorked));
    for (const v of ['documents', 'webview'] as const) {
      emit({
        measure: `${NAMES[v]} (peak RSS over baseline)`,
        value: `+${mb(peakDelta(v))}`,
        floor: `+${mb(floorPeak)} (fetch + JSON.parse)`,
        ratio: ratio(peakDelta(v), floorPeak),
        target: '—',
        verdict: resetOk ? 'info' : 'not measured: /proc/self/clear_refs could not reset the peak',
        note:
          v === 'documents'
            ? `memory: median of ${n} fresh processes per variant; baseline RSS ~${mb(median(samples.documents.map((s) => s.baselineRss)))}; the fake server runs in its own process.`
            : undefined,
      });
      // What the host keeps once the trace is on screen, against the parsed trace alone.
      const kept = floorKept > 0 ? retained(v) / floorKept : Number.NaN;
      emit({
        measure: `${NAMES[v]} (host memory retained)`,
        value: `+${mb(retained(v))}`,
        floor: `+${mb(floorKept)} (parsed trace)`,
        ratio: ratio(retained(v), floorKept),
        target: v === 'webview' ? `≤ ${RETAINED_TARGET}×` : '—',
        verdict: v === 'webview' ? (Number.isFinite(kept) ? atMost(kept, RETAINED_TARGET) : 'not measured: no floor') : 'info',
        note: v === 'webview' ? 'retained: trace held in the TraceCache, pieces let go by PanelPosts once posted; all under one MemoryBudget (DEFAULT_MEMORY_BUDGET).' : undefined,
      });
    }
  } catch (e) {
    for (const name of Object.values(NAMES)) {
      emit(notMeasured(name, errorMessage(e)));
    }
  } finally {
    server.stop();
  }
}

if (process.argv.includes('--child')) {
  const [variant, url, key, stepId] = process.argv.slice(process.argv.indexOf('--child') + 1);
  void child(variant as Variant, url, key, stepId).catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  });
} else {
  void main().then(() => setTimeout(() => process.exit(0), 100));
}

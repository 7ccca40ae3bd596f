/**
 * Run memory (issue 15, "host memory stays within the trace cache's budget"): the host's real
 * `RunLoad` (the run view's loader: RunTracker, LoadQueue, the CachedTraceStore over a
 * MemoryBudget) under a stand-in `vscode` loads the fake server's 200-step run (12 MB of traces)
 * from its own process. The budget is set to a third of that, so the cache must drop traces while
 * the run is open: what the host still holds once every trace is in and the model is built (heap
 * after GC, over the baseline) must stay within the budget. The floor is the budget itself.
 */
import type * as Budget from '../src/core/memoryBudget';
import type * as ClientModule from '../src/core/lettaClient';
import type * as TransportModule from '../src/core/httpTransport';
import type * as Store from '../src/host/traces/traceStore';
import type * as Load from '../src/host/runs/runLoad';
import type * as Prices from '../src/core/context/pricesModule';
import type { RunModel } from '../src/core/runs/runModel';
import { errorMessage } from '../src/core/errorMessage';
import { atMost, emit, mb, notMeasured, ratio } from './lib/report';
import { need } from './lib/paths';
import { startFakeLettaProcess, type FakeLettaProcess } from './lib/serverProcess';
import { createVscodeStub, installVscodeStub } from './lib/vscodeStub';

const MEASURE = 'run: host memory of an open 200-step run (RunLoad + trace cache, heap retained)';
const KEY = 'bench-key';
/** What the run view may hold beyond the cached traces themselves: its model (rows, diffs) and bookkeeping. */
const TARGET = 1.5;

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) {
    throw new Error('run with --expose-gc');
  }
  for (let i = 0; i < 4; i++) {
    collect();
  }
}
const heap = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

async function main(): Promise<void> {
  const stub = createVscodeStub();
  installVscodeStub(stub);
  let fake: FakeLettaProcess | undefined;
  try {
    const { createLettaClient } = need<typeof ClientModule>('src/core/lettaClient');
    const { nodeFetch } = need<typeof TransportModule>('src/core/httpTransport');
    const { MemoryBudget } = need<typeof Budget>('src/core/memoryBudget');
    const { CachedTraceStore } = need<typeof Store>('src/host/traces/traceStore');
    const { RunLoad } = need<typeof Load>('src/host/runs/runLoad');
    const { calcPrice } = need<typeof Prices>('src/core/context/pricesModule');
    fake = await startFakeLettaProcess(KEY);
    const runId = fake.runs?.long;
    if (!runId) {
      throw new Error('the fake server has no 200-step run');
    }
    const client = createLettaClient({ baseUrl: fake.url, apiKey: KEY, timeoutMs: 30_000, maxBodyBytes: 100 * 1024 * 1024, fetch: nodeFetch });
    const api = { origin: client.origin, onDidChange: () => ({ dispose: () => undefined }), getApi: () => Promise.resolve(client), access: () => Promise.resolve({ kind: 'ready' as const }) };
    const log = stub.window.createOutputChannel('Letta', { log: true });
    // Warm every module (client, queue, model, prices) on a first load, so the baseline holds their code.
    const warm = new RunLoad(runId, { log, store: new CachedTraceStore(api as never, log, new MemoryBudget()), api: api as never, prices: () => Promise.resolve(calcPrice) }, { onRun: () => undefined, onRows: () => undefined, onError: (m) => console.error(m) }, false);
    await warm.start();
    const warmRows = await warm.settled.then((t) => {
      if (!t) {
        throw new Error('the warm-up load did not settle');
      }
      return t.rows.length;
    });
    gc();
    const base = heap();
    // A third of the run's 12 MB of traces: the cache has to drop some while the run is open.
    const budget = new MemoryBudget(4 * 1024 * 1024);
    const store = new CachedTraceStore(api as never, log, budget);
    let rows = 0;
    const load = new RunLoad(runId, { log, store, api: api as never, prices: () => Promise.resolve(calcPrice) }, { onRun: () => undefined, onRows: (i) => (rows += i.length), onError: (m) => console.error(m) }, false);
    const t0 = Date.now();
    await load.start();
    const tracker = await load.settled;
    const took = Date.now() - t0;
    const modelBytes = tracker ? JSON.stringify(tracker.model()).length : 0;
    if (!tracker) {
      throw new Error('the run did not load');
    }
    let model: RunModel | undefined = tracker.model();
    const loaded = model.rows.filter((r) => r.trace === 'loaded').length;
    const counted = budget.totalSize;
    const held = tracker.heldTraces;
    const rowCount = model.rows.length;
    gc();
    const retained = heap() - base;
    // The floor: the traces the cache holds now, parsed afresh and held alone (what the budget is for).
    const texts = store.cached().map((t) => JSON.stringify(t.trace));
    model = undefined;
    gc();
    const base2 = heap();
    const parsed = texts.map((t) => JSON.parse(t) as unknown);
    gc();
    const floor = heap() - base2;
    // Held until here: the run (store, tracker) was measured alive, the parsed copies after it.
    void [parsed.length, tracker, store, load];
    emit({
      measure: MEASURE,
      value: mb(retained),
      floor: `${mb(floor)} (the ${texts.length} traces the cache keeps, parsed and held alone)`,
      ratio: ratio(retained, floor),
      target: `≤ ${TARGET}× floor, cache within its budget`,
      verdict:
        loaded === 200 && rowCount === 200 && warmRows === 200 ? (counted <= budget.maxSize && held === 0 ? atMost(retained / floor, TARGET) : 'MISSED') : `not measured: ${loaded} of 200 traces loaded`,
      note: `run memory: the 200-step run (12 MB of traces) loaded through the host's RunLoad in ${took} ms (${rows} row updates) with the trace cache's budget set to ${mb(budget.maxSize)}; the cache counts ${mb(counted)}, the run model holds ${held} traces of its own; what is retained over the floor is the run model (rows, changes, diffs, transcript, cost: ${mb(modelBytes)} as JSON).`,
    });
  } catch (e) {
    emit(notMeasured(MEASURE, errorMessage(e), '≤ 1× budget'));
  } finally {
    fake?.stop();
  }
}

void main().then(
  () => setTimeout(() => process.exit(0), 100),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

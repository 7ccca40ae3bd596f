/**
 * Runs: the fake server's 200-step run (its requests grow step by step, 12 MB of traces in all).
 * 1. The changes of all 200 steps (`RunTracker` fed every trace: normalise, compare with the step
 *    before, memory blocks, inline diffs), against `JSON.parse` of the same traces' text — what the
 *    host has already paid to hold them.
 * 2. Fetching all 200 traces through a `LoadQueue` of 4 and `lettaClient.getTrace` (its transport:
 *    node-fetch, size cap, nesting pre-scan, deadline, origin check, retries and error mapping), as
 *    the run view does, against a bare client doing the same requests: node-fetch + `JSON.parse`,
 *    4 at a time, each parsed trace held until the last arrives (as the run view holds them), on
 *    the same server (its own process, loopback), alternated run by run. Node's own `fetch`
 *    (undici) is timed too, for the notes.
 */
import type * as ClientModule from '../src/core/lettaClient';
import type * as TransportModule from '../src/core/httpTransport';
import type * as RunModel from '../src/core/runs/runModel';
import type * as Queue from '../src/core/runs/loadQueue';
import type * as FakeData from '../test/fakeLetta/data';
import type { ProviderTrace, Run, Step } from '../src/core/lettaTypes';
import { errorMessage } from '../src/core/errorMessage';
import { atMost, emit, mb, ms, notMeasured, ratio } from './lib/report';
import { need } from './lib/paths';
import { startFakeLettaProcess, type FakeLettaProcess } from './lib/serverProcess';
import { median, runs, timePaired } from './lib/stats';

const CHANGES = 'run: changes of all 200 steps (RunTracker)';
const FETCH = 'run: fetch 200 traces, 4 at a time (lettaClient)';
const CHANGES_TARGET = 2;
const FETCH_TARGET = 1.2;
const CONCURRENCY = 4;
const KEY = 'bench-key';

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      await work(items[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function changes(): Promise<void> {
  let data: FakeData.FakeData;
  let tracker: typeof RunModel.RunTracker;
  try {
    data = need<typeof FakeData>('test/fakeLetta/data').buildFakeData({ agents: 3, stepsPerAgent: 12 });
    tracker = need<typeof RunModel>('src/core/runs/runModel').RunTracker;
  } catch (e) {
    emit(notMeasured(CHANGES, errorMessage(e), `≤ ${CHANGES_TARGET}× floor`));
    return;
  }
  const runId = data.named?.long ?? '';
  const run = data.runs.find((r) => r.run.id === runId)?.run as Run;
  const steps = data.steps.filter((s) => s.run_id === runId).reverse();
  const texts = steps.map((s) => JSON.stringify(data.traces.get(s.id)));
  const bytes = texts.reduce((n, t) => n + t.length, 0);
  const parsed = texts.map((t) => JSON.parse(t) as ProviderTrace);
  let blockChanges = 0;
  let appended = 0;
  const compute = () => {
    const t = new tracker(run, steps);
    for (let i = 0; i < steps.length; i++) {
      t.setTrace(steps[i].id, { kind: 'loaded', trace: parsed[i] });
    }
    const rows = t.rows;
    blockChanges = rows.reduce((n, r) => n + (r.changes?.system?.blocks.length ?? 0), 0);
    appended = rows.reduce((n, r) => n + (r.changes?.appended.length ?? 0), 0);
    return rows;
  };
  const floor = () => texts.map((t) => JSON.parse(t) as unknown);
  const n = runs(9);
  const t = await timePaired(compute, floor, n);
  {
    const value = median(t.a);
    const base = median(t.b);
    const correct = appended === 2 * (steps.length - 1) && steps.length === 200;
    emit({
      measure: CHANGES,
      value: ms(value),
      floor: `${ms(base)} (JSON.parse of the 200 traces)`,
      ratio: ratio(value, base),
      target: `≤ ${CHANGES_TARGET}× floor`,
      verdict: correct ? atMost(value / base, CHANGES_TARGET) : `not measured: ${appended} messages appended over ${steps.length} steps, expected 2 a step`,
      note: `run changes: ${steps.length} steps, ${mb(bytes)} of traces, ${appended} appended messages and ${blockChanges} memory-block changes found; median of ${n} alternated runs.`,
    });
  }
}

async function fetching(): Promise<void> {
  let fake: FakeLettaProcess | undefined;
  try {
    const { createLettaClient } = need<typeof ClientModule>('src/core/lettaClient');
    const { nodeFetch } = need<typeof TransportModule>('src/core/httpTransport');
    const { LoadQueue } = need<typeof Queue>('src/core/runs/loadQueue');
    fake = await startFakeLettaProcess(KEY);
    const runId = fake.runs?.long;
    if (!runId) {
      throw new Error('the fake server has no 200-step run');
    }
    const client = createLettaClient({ baseUrl: fake.url, apiKey: KEY, timeoutMs: 30_000, maxBodyBytes: 100 * 1024 * 1024, fetch: nodeFetch });
    const { steps } = await client.listRunSteps(runId);
    const ids = steps.map((s: Step) => s.id);
    const headers = { authorization: `Bearer ${KEY}` };
    const base = fake.url;
    let got = 0;
    let bytes = 0;
    // As the run view loads them: a LoadQueue of 4 (one shared backoff), the client's own retries off.
    const ours = async () => {
      got = 0;
      const queue = new LoadQueue({ concurrency: CONCURRENCY, load: (id, signal) => client.getTrace(id, { signal, maxRetries: 0 }) });
      const traces = await Promise.all(ids.map((id) => queue.request(id)));
      got = traces.filter((t, i) => t.step_id === ids[i]).length;
    };
    // The floor: a bare client on the same HTTP stack (node-fetch), the same requests, 4 at a time.
    // It keeps the 200 parsed traces until the last arrives, as `ours` and the run view do: parsing
    // and dropping each one leaves the garbage collector far less to do (about 35 ms a run here).
    const bare = async () => {
      bytes = 0;
      const traces: unknown[] = [];
      await pool(ids, CONCURRENCY, async (id) => {
        const res = (await nodeFetch(`${base}/v1/steps/${id}/trace`, { headers })) as Response;
        const text = await res.text();
        bytes += text.length;
        traces.push(JSON.parse(text));
      });
      return traces;
    };
    // For the notes: the same pool over Node's own fetch (undici), another HTTP stack.
    const bareUndici = async () => {
      const traces: unknown[] = [];
      await pool(ids, CONCURRENCY, async (id) => {
        const res = await fetch(`${base}/v1/steps/${id}/trace`, { headers });
        traces.push(JSON.parse(await res.text()));
      });
      return traces;
    };
    const n = runs(9);
    const t = await timePaired(ours, bare, n);
    const stack = await timePaired(bareUndici, bare, runs(3));
    const value = median(t.a);
    const floor = median(t.b);
    emit({
      measure: FETCH,
      value: ms(value),
      floor: `${ms(floor)} (node-fetch + JSON.parse, 4 at a time, traces held)`,
      ratio: ratio(value, floor),
      target: `≤ ${FETCH_TARGET}× floor`,
      verdict: got === ids.length && ids.length === 200 ? atMost(value / floor, FETCH_TARGET) : `not measured: ${got} of ${ids.length} traces came back`,
      note:
        `run fetch: ${ids.length} traces, ${mb(bytes)} on the wire, from the fake server in its own process (it serialises each answer, for both sides alike); median of ${n} alternated runs; ` +
        `Node's own fetch (undici) in the same pool: ${ms(median(stack.a))} against node-fetch's ${ms(median(stack.b))} (${ratio(median(stack.a), median(stack.b))}).`,
    });
  } catch (e) {
    emit(notMeasured(FETCH, errorMessage(e), `≤ ${FETCH_TARGET}× floor`));
  } finally {
    fake?.stop();
  }
}

async function main(): Promise<void> {
  await changes();
  await fetching();
}

void main().then(
  () => setTimeout(() => process.exit(0), 100),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

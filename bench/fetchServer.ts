/**
 * The fake Letta server in its own process, serving generated traces of the sizes given
 * (`node out/bench/fetchServer.js 1 10 50`). Prints one JSON line — URL, key, the step ID of each
 * size and how long the server takes to serialise each trace — then serves until its stdin closes.
 * A separate process, so the server's work does not share the client's event loop.
 */
import type * as FakeServer from '../test/fakeLetta/server';
import type { ProviderTrace } from '../src/core/lettaTypes';
import { largeTraceText } from './lib/data';
import { need } from './lib/paths';

export const BENCH_KEY = 'bench-key';

/** A distinct, valid step ID per size (the builder's seed gives every size the same one). */
export function benchStepId(mb: number): string {
  return `step-${String(mb).padStart(8, '0')}-0000-4000-8000-${'b'.repeat(12)}`;
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const { startFakeLetta } = need<typeof FakeServer>('test/fakeLetta/server');
  const fake = await startFakeLetta({ apiKey: BENCH_KEY, agents: 1, stepsPerAgent: 1 });
  const steps: Record<string, string> = {};
  // The fake server serialises its answer on every request; a real server streams bytes it already
  // has. Memoising the big traces' text keeps the server's CPU out of what the client is timed on.
  const memo = new Map<unknown, string>();
  const stringify = JSON.stringify;
  JSON.stringify = ((value: unknown, ...rest: never[]) => memo.get(value) ?? stringify(value, ...rest)) as typeof JSON.stringify;
  const serializeMs: Record<string, number> = {};
  const bytes: Record<string, number> = {};
  for (const mb of sizes) {
    const trace = JSON.parse(largeTraceText(mb).text) as ProviderTrace;
    trace.step_id = benchStepId(mb);
    fake.addTrace(trace);
    steps[mb] = trace.step_id;
    const t0 = performance.now();
    const text = stringify(trace);
    serializeMs[mb] = performance.now() - t0;
    memo.set(trace, text);
    bytes[mb] = Buffer.byteLength(text);
  }
  console.log(JSON.stringify({ url: fake.url, apiKey: BENCH_KEY, steps, serializeMs, bytes }));
  process.stdin.resume();
  process.stdin.on('end', () => void fake.close().then(() => process.exit(0)));
  process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
}

if (require.main === module) {
  void main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  });
}

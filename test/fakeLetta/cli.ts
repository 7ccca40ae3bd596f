/**
 * `node out/test/fakeLetta/cli.js [--port 8283] [--key KEY | --no-auth] [--agents N] [--steps N]`:
 * runs the fake Letta server until SIGINT/SIGTERM, printing one JSON line when ready:
 * `{"url", "apiKey", "agents", "traces", "runs"}` (runs: the named runs' IDs) (the demo and e2e tests read it).
 */
import { DEFAULT_FAKE_KEY, startFakeLetta } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function numberArg(name: string): number | undefined {
  const value = arg(name);
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${name} takes a whole number, not "${value}"`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const apiKey = process.argv.includes('--no-auth') ? null : (arg('--key') ?? DEFAULT_FAKE_KEY);
  const fake = await startFakeLetta({ apiKey, port: numberArg('--port') ?? 0, agents: numberArg('--agents'), stepsPerAgent: numberArg('--steps') });
  console.log(JSON.stringify({ url: fake.url, apiKey, agents: fake.agents.length, traces: fake.traces.size, runs: fake.named ?? null }));
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

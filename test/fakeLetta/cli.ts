/**
 * `node out/test/fakeLetta/cli.js [--port 8283] [--key KEY | --no-auth]`: runs the fake Letta server
 * until stopped, printing one JSON line `{"url": …}` when ready (the demo and e2e tests read it).
 */
import { DEFAULT_FAKE_KEY, startFakeLetta } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const apiKey = process.argv.includes('--no-auth') ? null : (arg('--key') ?? DEFAULT_FAKE_KEY);
  const fake = await startFakeLetta({ apiKey, port: Number(arg('--port') ?? 0) });
  console.log(JSON.stringify({ url: fake.url, apiKey, agents: fake.agents.length, traces: fake.traces.size }));
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();

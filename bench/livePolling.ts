/**
 * Live polling of a workspace agent's runs ("This Workspace"): requests per minute while the view is
 * visible and while it is hidden, on real timers, with the default interval (5 s). The loop is the
 * follower's: `PollScheduler` decides when, `pollCursor` and `mergeRuns` what, `lettaClient.listRuns`
 * asks the fake server (its own process is not needed: only requests are counted). A new run is
 * added every 2 s throughout, so the hidden window has something it could have fetched.
 * The floor is the ceiling the interval allows (60 / 5 s = 12 per minute); target while hidden: none.
 */
import type * as ClientModule from '../src/core/lettaClient';
import type * as TransportModule from '../src/core/httpTransport';
import type * as Runs from '../src/core/workspace/agentRuns';
import type * as Scheduler from '../src/core/workspace/pollScheduler';
import type * as Fake from '../test/fakeLetta/server';
import type { Run } from '../src/core/lettaTypes';
import { errorMessage } from '../src/core/errorMessage';
import { emit, notMeasured } from './lib/report';
import { need } from './lib/paths';

const VISIBLE = 'live polling: runs requests per minute, view visible';
const HIDDEN = 'live polling: runs requests per minute, view hidden';
const INTERVAL_MS = 5000;
const WINDOW_MS = process.env.BENCH_QUICK ? 10_000 : 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  let fakeModule: typeof Fake;
  let client: typeof ClientModule;
  let transport: typeof TransportModule;
  let runs: typeof Runs;
  let scheduler: typeof Scheduler;
  try {
    fakeModule = need<typeof Fake>('test/fakeLetta/server');
    client = need<typeof ClientModule>('src/core/lettaClient');
    transport = need<typeof TransportModule>('src/core/httpTransport');
    runs = need<typeof Runs>('src/core/workspace/agentRuns');
    scheduler = need<typeof Scheduler>('src/core/workspace/pollScheduler');
  } catch (e) {
    emit(notMeasured(VISIBLE, errorMessage(e), '≤ 12 / min'));
    emit(notMeasured(HIDDEN, errorMessage(e), '0'));
    return;
  }
  const fake = await fakeModule.startFakeLetta({ stepsPerAgent: 12 });
  try {
    const api = client.createLettaClient({ baseUrl: fake.url, apiKey: 'fake-key', timeoutMs: 10_000, maxBodyBytes: 1e8, fetch: transport.nodeFetch });
    const agentId = fake.agents[0].id;
    let shown: Run[] = runs.mergeRuns([], await api.listRuns({ agentId, limit: 10 }), 10, true).runs;
    const poller = new scheduler.PollScheduler({
      clock: { now: () => Date.now(), setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
      intervalMs: INTERVAL_MS,
      poll: async () => {
        const after = runs.pollCursor(shown);
        try {
          const fresh = await api.listRuns(after ? { agentId, after, order: 'asc', limit: 50 } : { agentId, limit: 10 }, { maxRetries: 0 });
          shown = runs.mergeRuns(shown, fresh, 10).runs;
          return { ok: true };
        } catch {
          return { ok: false };
        }
      },
    });
    poller.noteFetched();
    const adder = setInterval(() => fake.addRun(agentId), 2000);
    const count = () => fake.requests.filter((r) => r.path.replace(/\/$/, '') === '/v1/runs').length;
    try {
      let before = count();
      poller.setActive(true);
      await sleep(WINDOW_MS);
      const visible = ((count() - before) * 60_000) / WINDOW_MS;
      poller.setActive(false);
      before = count();
      await sleep(WINDOW_MS);
      const hidden = ((count() - before) * 60_000) / WINDOW_MS;
      const ceiling = 60_000 / INTERVAL_MS;
      emit({
        measure: VISIBLE,
        value: `${visible.toFixed(1)} / min`,
        floor: `${ceiling} / min (interval ceiling)`,
        ratio: `${(visible / ceiling).toFixed(2)}×`,
        target: '≤ 1.00× ceiling',
        verdict: visible <= ceiling ? 'ok' : 'MISSED',
        note: `Live polling: one GET /v1/runs/?after=… per ${INTERVAL_MS / 1000} s while visible and focused, over ${WINDOW_MS / 1000} s with a run added every 2 s.`,
      });
      emit({
        measure: HIDDEN,
        value: `${hidden.toFixed(1)} / min`,
        floor: '0',
        ratio: '—',
        target: '0',
        verdict: hidden === 0 ? 'ok' : 'MISSED',
        note: 'While the view is hidden (or the window unfocused) the scheduler holds no timer at all.',
      });
    } finally {
      clearInterval(adder);
      poller.dispose();
    }
  } finally {
    await fake.close();
  }
}

main().catch((e: unknown) => {
  emit(notMeasured(VISIBLE, errorMessage(e), '≤ 12 / min'));
  process.exitCode = 1;
});

/** The fake server's runs as the run view is sent them, for the Chromium tests of the run page. */
import { RunTracker } from '../../src/core/runs/runModel';
import { runAndSteps, type FakeData } from '../fakeLetta/data';

/** The run as the host posts it once every trace has come (a missing trace is the server's `null`). */
export function trackedRun(data: FakeData, runId: string): RunTracker {
  const { run, steps } = runAndSteps(data, runId);
  const tracker = new RunTracker(run, steps);
  for (const s of steps) {
    const trace = data.traces.get(s.id);
    tracker.setTrace(s.id, trace ? { kind: 'loaded', trace } : { kind: 'none' });
  }
  return tracker;
}

/**
 * The step counts of the sidebar's run rows (the Server view's and This Workspace's), read from
 * each run's metrics with the user's key, never prompting for one.
 */
import type * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { isLettaApiError } from '../../core/lettaApi';
import { RunStepCounts } from '../../core/runs/runStepCounts';
import type { ApiProvider } from '../contracts';

export function metricsStepCounts(api: ApiProvider, log: vscode.LogOutputChannel, onCounted: (runIds: string[]) => void): RunStepCounts {
  return new RunStepCounts({
    load: async (runId, signal) => {
      const client = await api.getApi({ prompt: false });
      if (!client) {
        return undefined;
      }
      try {
        const metrics = await client.getRunMetrics(runId, { signal, maxRetries: 0 });
        return typeof metrics.num_steps === 'number' ? metrics.num_steps : undefined;
      } catch (e) {
        log.debug(`No step count for ${runId}: ${errorMessage(e)}`);
        throw e;
      }
    },
    onCounted,
    retryAfterMs: (e) => (isLettaApiError(e) ? e.details.retryAfterMs : undefined),
  });
}

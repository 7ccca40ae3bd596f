/**
 * Copy Run as Markdown: the run's header and totals (with cost), each step with its tool calls and
 * what changed since the step before, and the transcript, ready to paste into an issue or a chat.
 * From the run view's toolbar, the sidebar's run items and the palette. An open run view's load is
 * reused (and waited for); otherwise the run is read on its own, through the same trace cache.
 */
import * as vscode from 'vscode';
import { RUN_IDS } from '../../core/lettaIds';
import type { RunModel } from '../../core/runs/runModel';
import type { RunPanel } from './runPanel';
import { RunLoad, type RunLoadDeps } from './runLoad';
import { runsModule } from './runsBundle';

/** The run ID a command was given: a string, `{ runId }` (the sidebar's run node, the run view) or `{ run: { id } }` (This Workspace's run node). */
export function runIdOfArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') {
    return RUN_IDS.parseInput(arg);
  }
  if (typeof arg !== 'object' || arg === null) {
    return undefined;
  }
  const { runId, run } = arg as { runId?: unknown; run?: { id?: unknown } };
  const id = typeof runId === 'string' ? runId : typeof run?.id === 'string' ? run.id : undefined;
  return id === undefined ? undefined : RUN_IDS.parseInput(id);
}

/** Reads the run (or waits for its open panel) and writes its Markdown to the clipboard; false when it could not. */
export async function copyRunMarkdown(runId: string, panel: RunPanel | undefined, deps: RunLoadDeps): Promise<boolean> {
  const short = RUN_IDS.short(runId);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading run {0} for Markdown…', short), cancellable: true },
    async (_progress, token): Promise<{ model?: RunModel; failure?: string }> => {
      if (panel) {
        const model = await Promise.race([panel.settled(), new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined)))]);
        const state = panel.state;
        return { model, failure: state.type === 'error' ? state.message : undefined };
      }
      let failure: string | undefined;
      const load = new RunLoad(runId, deps, { onRun: () => undefined, onRows: () => undefined, onError: (message) => (failure = message) });
      const cancel = token.onCancellationRequested(() => load.cancel());
      try {
        await load.start();
        const tracker = await load.settled;
        return { model: tracker?.model(), failure };
      } finally {
        cancel.dispose();
      }
    },
  );
  if (!result.model) {
    if (result.failure) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not copy run {0} as Markdown: {1}', short, result.failure));
    }
    return false;
  }
  const { runMarkdown } = await runsModule();
  await vscode.env.clipboard.writeText(runMarkdown(result.model));
  vscode.window.setStatusBarMessage(vscode.l10n.t('{0} copied as Markdown', short), 3000);
  return true;
}

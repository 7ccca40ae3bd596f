/** Failures shown to the user: one short notification with the next step, and the details in the log. */
import * as vscode from 'vscode';
import { errorMessage } from '../core/errorMessage';
import { isLettaApiError } from '../core/lettaApi';

/**
 * Shows a failure to load `stepId`, with the buttons that fix it. Cancellations show nothing.
 * "Retry" (and "Set API Key", once a key is saved) runs `retry`: the action that failed (opening a
 * document, refreshing a viewer, a diff), not always Open Step Trace.
 */
export async function showTraceError(e: unknown, stepId: string, log: vscode.LogOutputChannel, retry: () => unknown): Promise<void> {
  if (isLettaApiError(e, 'cancelled')) {
    log.info(`Cancelled loading ${stepId}.`);
    return;
  }
  const message = isLettaApiError(e) ? e.message : vscode.l10n.t('Could not load {0}: {1}', stepId, errorMessage(e));
  log.warn(`Could not load ${stepId}: ${errorMessage(e)}`);
  const setKey = vscode.l10n.t('Set API Key');
  const retryLabel = vscode.l10n.t('Retry');
  const changeServer = vscode.l10n.t('Change Server');
  const openSettings = vscode.l10n.t('Open Settings');
  const showLog = vscode.l10n.t('Show Log');
  // Anything else is a bug of ours, not the network's: the log is the only useful next step.
  const kind = isLettaApiError(e) ? e.kind : 'unexpected';
  const actions: Record<string, string[]> = {
    unauthorized: [setKey, showLog],
    'no-trace': [retryLabel, showLog],
    network: [retryLabel, changeServer, showLog],
    timeout: [retryLabel, changeServer, showLog],
    'too-large': [openSettings, showLog],
    'rate-limited': [retryLabel, showLog],
    'server-error': [retryLabel, showLog],
  };
  const buttons = actions[kind] ?? [showLog];
  const choice = kind === 'no-trace' ? await vscode.window.showWarningMessage(message, ...buttons) : await vscode.window.showErrorMessage(message, ...buttons);
  if (choice === setKey) {
    const saved = await vscode.commands.executeCommand<boolean>('letta.setApiKey');
    if (saved) {
      await retry();
    }
  } else if (choice === retryLabel) {
    await retry();
  } else if (choice === changeServer) {
    await vscode.commands.executeCommand('letta.changeServer');
  } else if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'letta.maxTraceSizeMB');
  } else if (choice === showLog) {
    log.show(true);
  }
}

/** What the trace viewer's and the run view's panels do alike with their page's messages. */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';

/** A page's `copy`: the text on the clipboard and a short note in the status bar (the label is the page's, already translated). */
export async function copyFromPage(message: { text?: unknown; label?: unknown }): Promise<void> {
  if (typeof message.text === 'string') {
    await vscode.env.clipboard.writeText(message.text);
    const label = typeof message.label === 'string' && message.label !== '' ? message.label : vscode.l10n.t('Text');
    vscode.window.setStatusBarMessage(vscode.l10n.t('{0} copied', label), 3000);
  }
}

/** Runs what a page asked for; a failure is logged and said, with a way to the log (nothing fails silently). */
export async function handlePageRequest(log: vscode.LogOutputChannel, what: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (e) {
    const text = errorMessage(e);
    log.error(`${what} failed: ${text}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('That did not work: {0}', text), vscode.l10n.t('Show Log')).then((choice) => {
      if (choice) {
        log.show();
      }
    });
  }
}

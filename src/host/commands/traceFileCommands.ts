/**
 * Save Step Trace As…, Open as Letta Trace and Open Sample Trace: traces as `.letta-trace.json` files
 * (which open in the viewer, the `letta.traceFile` custom editor), read back offline; any `.json`
 * file holding a trace opens with Open as Letta Trace.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { serializeTraceFile, TRACE_FILE_SUFFIX } from '../../core/traceFile';
import { readTraceFile } from '../traces/traceFiles';
import type { CommandDeps } from './traceCommands';
import { withTrace } from './stepPicker';

export function registerTraceFileCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const { log, store, opener } = deps;
  const register = (id: string, run: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, run));

  register('letta.saveTraceAs', (arg: unknown) =>
    withTrace(store, arg, vscode.l10n.t('Save Step Trace As…'), async (trace) => {
      const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri ?? vscode.Uri.file(os.homedir());
      const target = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Save trace of {0}', trace.stepId),
        // The custom editor's ending, so the saved file opens in the viewer again.
        defaultUri: vscode.Uri.joinPath(folder, `${trace.stepId}${TRACE_FILE_SUFFIX}`),
        filters: { [vscode.l10n.t('Letta traces')]: ['json'] },
      });
      if (!target) {
        return;
      }
      try {
        await vscode.workspace.fs.writeFile(target, Buffer.from(serializeTraceFile(trace), 'utf8'));
        log.info(`Saved ${trace.stepId} to ${target.fsPath}.`);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Saved trace to {0}', target.fsPath), 4000);
      } catch (e) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not save the trace: {0}', errorMessage(e)));
      }
    }),
  );

  /** Reads `uri` as a saved trace and shows it; a file that is not one says why and changes nothing. */
  const openFile = async (uri: vscode.Uri): Promise<void> => {
    const read = await readTraceFile(uri);
    if (!read.ok) {
      void vscode.window.showErrorMessage(read.error);
      return;
    }
    await opener.show(read.trace);
  };

  register('letta.openTraceFile', async (arg: unknown) => {
    const uri =
      arg instanceof vscode.Uri
        ? arg
        : (await vscode.window.showOpenDialog({ title: vscode.l10n.t('Open a saved Letta trace'), canSelectMany: false, filters: { [vscode.l10n.t('Letta traces')]: ['json'] } }))?.[0];
    if (uri) {
      await openFile(uri);
    }
  });

  // The walkthrough's "try it": a trace shipped with the extension, so the viewer shows with no server or key.
  register('letta.openSampleTrace', () => openFile(vscode.Uri.joinPath(context.extensionUri, 'media', 'sample-trace.json')));
}

/** `letta.setApiKey` and `letta.signOut`, for the server configured now. */
import * as vscode from 'vscode';
import { confirmModal } from '../confirm';
import type { ApiKeys } from './apiKeys';

/** `letta.setApiKey` and `letta.signOut`, for the server configured now (`currentOrigin()`). */
export function registerKeyCommands(context: vscode.ExtensionContext, keys: ApiKeys, currentOrigin: () => string, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    // Resolves to true when a key was saved (the error notifications retry after that).
    vscode.commands.registerCommand('letta.setApiKey', async (): Promise<boolean> => {
      const origin = currentOrigin();
      const key = await keys.prompt(origin);
      if (typeof key !== 'string') {
        return false;
      }
      log.info(`API key saved for ${origin}.`);
      void vscode.window.showInformationMessage(vscode.l10n.t('API key saved for {0}.', origin));
      return true;
    }),
    vscode.commands.registerCommand('letta.signOut', async (): Promise<boolean> => {
      const origin = currentOrigin();
      if (!(await keys.get(origin)) && !keys.isNoKey(origin)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No API key is stored for {0}.', origin));
        return false;
      }
      const forget = await confirmModal(
        vscode.l10n.t('Forget the API key for {0}?', origin),
        vscode.l10n.t('Keys of other servers stay. The next trace from this server asks for a key again.'),
        vscode.l10n.t('Forget Key'),
      );
      if (!forget) {
        return false;
      }
      await keys.delete(origin);
      log.info(`API key forgotten for ${origin}.`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of {0}.', origin));
      return true;
    }),
  );
}

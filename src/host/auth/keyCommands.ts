/** `letta.setApiKey`, `letta.signOut` and `letta.allowInsecureKey`, for the server configured now. */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { isLettaApiError } from '../../core/lettaApi';
import { confirmModal } from '../confirm';
import type { ApiProvider } from '../contracts';
import type { ApiKeys } from './apiKeys';

export function registerKeyCommands(context: vscode.ExtensionContext, keys: ApiKeys, api: ApiProvider, log: vscode.LogOutputChannel): void {
  const currentOrigin = () => api.origin;
  context.subscriptions.push(
    // Resolves to true when a key was saved (the error notifications retry after that).
    vscode.commands.registerCommand('letta.setApiKey', async (): Promise<boolean> => {
      const origin = currentOrigin();
      const key = await keys.prompt(origin);
      if (typeof key !== 'string') {
        return false;
      }
      log.info(`API key saved for ${origin}.`);
      const check = await checkKey(api, origin, log);
      if (check.refused) {
        void vscode.window.showWarningMessage(check.message);
      } else {
        void vscode.window.showInformationMessage(check.message);
      }
      return true;
    }),
    vscode.commands.registerCommand('letta.allowInsecureKey', async (): Promise<boolean> => {
      const origin = currentOrigin();
      return keys.confirmInsecure(origin);
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

/** One cheap authenticated call (the first agent) tells whether the server takes the key just saved. */
async function checkKey(api: ApiProvider, origin: string, log: vscode.LogOutputChannel): Promise<{ message: string; refused?: boolean }> {
  try {
    const client = await api.getApi({ prompt: true });
    if (!client) {
      return { message: vscode.l10n.t('API key saved for {0}. It was not checked: the key goes to this server only once you agree.', origin) };
    }
    await client.listAgents({ limit: 1 }, { maxRetries: 0, timeoutMs: 10_000 });
    return { message: vscode.l10n.t('API key saved for {0}, and the server accepted it.', origin) };
  } catch (e) {
    log.info(`Checking the key of ${origin}: ${errorMessage(e)}`);
    if (isLettaApiError(e, 'unauthorized')) {
      return { refused: true, message: vscode.l10n.t('API key saved for {0}, but the server refused it. Run "Letta: Set API Key" again with the right key.', origin) };
    }
    return { message: vscode.l10n.t('API key saved for {0}. It could not be checked: {1}', origin, errorMessage(e)) };
  }
}

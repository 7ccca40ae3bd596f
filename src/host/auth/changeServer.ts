/** `letta.changeServer`: the one way the extension writes `letta.baseUrl` (user settings only). */
import * as vscode from 'vscode';
import { normalizeBaseUrl } from '../../core/baseUrl';
import { confirmModal } from '../confirm';
import { readBaseUrl } from '../settings';
import type { ApiKeys } from './apiKeys';

/**
 * `letta.changeServer [url]`: asks for the URL (validated while typing) unless given, confirms a
 * move to another host, and writes the user (global) setting: the only one the extension reads.
 */
export function registerChangeServerCommand(context: vscode.ExtensionContext, keys: ApiKeys, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('letta.changeServer', async (arg?: unknown): Promise<boolean> => {
      const current = normalizeBaseUrl(readBaseUrl());
      const typed =
        typeof arg === 'string'
          ? arg
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Letta: Change Server'),
              prompt: vscode.l10n.t('Letta Cloud is https://api.letta.com; a self-hosted server is usually http://localhost:8283. Keys are kept per server.'),
              value: current.ok ? current.apiBase : readBaseUrl(),
              ignoreFocusOut: true,
              validateInput: (value) => {
                const base = normalizeBaseUrl(value);
                return base.ok ? undefined : base.error;
              },
            });
      if (typed === undefined) {
        return false;
      }
      const next = normalizeBaseUrl(typed);
      if (!next.ok) {
        void vscode.window.showErrorMessage(next.error);
        return false;
      }
      if (current.ok && current.apiBase === next.apiBase) {
        return true;
      }
      // Another host is another party: say so before traces (and, later, a key) go there.
      if (!current.ok || current.host !== next.host) {
        const move = await confirmModal(
          vscode.l10n.t('Read traces from {0} from now on?', next.origin),
          vscode.l10n.t('Each server has its own API key: the key of {0} is never sent to {1}.', current.ok ? current.host : vscode.l10n.t('the current server'), next.host),
          vscode.l10n.t('Use {0}', next.host),
        );
        if (!move) {
          return false;
        }
      }
      await vscode.workspace.getConfiguration('letta').update('baseUrl', next.apiBase, vscode.ConfigurationTarget.Global);
      log.info(`Server changed to ${next.origin}.`);
      if (!(await keys.get(next.origin)) && !keys.isNoKey(next.origin)) {
        const setKey = vscode.l10n.t('Set API Key');
        void vscode.window.showInformationMessage(vscode.l10n.t('Now reading {0}. Keys are kept per server: set the key for this one.', next.origin), setKey).then((c) => {
          if (c === setKey) {
            void vscode.commands.executeCommand('letta.setApiKey');
          }
        });
      }
      return true;
    }),
  );
}

/** Keys per server origin, the client of the configured server, and the commands that change either. */
import type * as vscode from 'vscode';
import { ApiKeys } from './apiKeys';
import { SettingsApiProvider } from './apiProvider';
import { registerChangeServerCommand } from './changeServer';
import { registerKeyCommands } from './keyCommands';

export function registerAuth(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): { keys: ApiKeys; api: SettingsApiProvider } {
  const keys = new ApiKeys(context);
  const api = new SettingsApiProvider(keys, log);
  context.subscriptions.push(keys, api);
  registerKeyCommands(context, keys, api, log);
  registerChangeServerCommand(context, keys, log);
  return { keys, api };
}

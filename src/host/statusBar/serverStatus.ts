/**
 * The status-bar item: which Letta server the extension reads and whether a key is set for it.
 * A click runs Change Server. It reads only whether a key exists, never the key.
 */
import * as vscode from 'vscode';
import { normalizeBaseUrl } from '../../core/baseUrl';
import type { ApiKeys } from '../auth/apiKeys';
import type { ApiProvider } from '../contracts';
import { readBaseUrl } from '../settings';

export const SERVER_STATUS_ID = 'letta.serverStatus';

/** What the item says, as text for the tests and as the item's own fields. */
export interface ServerStatusView {
  text: string;
  tooltip: string;
  /** `warning` when the server cannot be used as it is. */
  severity: 'ok' | 'warning';
}

export async function describeServerStatus(keys: ApiKeys): Promise<ServerStatusView> {
  const base = normalizeBaseUrl(readBaseUrl());
  if (!base.ok) {
    return { text: `$(warning) ${vscode.l10n.t('Letta: invalid server')}`, tooltip: vscode.l10n.t('The setting "letta.baseUrl" is not valid: {0}. Click to change the server.', base.error), severity: 'warning' };
  }
  const hasKey = Boolean(await keys.get(base.origin));
  if (hasKey) {
    return { text: `$(server) ${base.host}`, tooltip: vscode.l10n.t('Letta server {0}, API key set. Click to change the server.', base.origin), severity: 'ok' };
  }
  if (keys.isNoKey(base.origin)) {
    return { text: `$(server) ${base.host}`, tooltip: vscode.l10n.t('Letta server {0}, used without a key. Click to change the server.', base.origin), severity: 'ok' };
  }
  return { text: `$(key) ${base.host}`, tooltip: vscode.l10n.t('Letta server {0}: no API key set. Click to change the server; "Letta: Set API Key" stores a key.', base.origin), severity: 'warning' };
}

export function registerServerStatus(
  context: vscode.ExtensionContext,
  deps: { api: ApiProvider; keys: ApiKeys },
): { item: vscode.StatusBarItem; refresh(): Promise<void>; setWorkspaceAgent(label: string | undefined): void } {
  const item = vscode.window.createStatusBarItem(SERVER_STATUS_ID, vscode.StatusBarAlignment.Left, 0);
  item.name = vscode.l10n.t('Letta Server');
  item.command = 'letta.changeServer';
  let generation = 0;
  /** The Letta Code agent of this workspace, named after the server (see src/host/workspace). */
  let workspaceAgent: string | undefined;
  const refresh = async () => {
    const mine = ++generation;
    const view = await describeServerStatus(deps.keys);
    if (mine !== generation) {
      return; // a later change already drew the item
    }
    item.text = workspaceAgent ? `${view.text} · $(hubot) ${workspaceAgent.replace(/\$\(/g, '$\u200b(')}` : view.text;
    item.tooltip = workspaceAgent ? `${view.tooltip}\n${vscode.l10n.t('This workspace\'s Letta Code agent: {0}', workspaceAgent)}` : view.tooltip;
    item.accessibilityInformation = { label: view.tooltip };
    item.backgroundColor = view.severity === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  context.subscriptions.push(item, deps.api.onDidChange(() => void refresh()), deps.keys.onDidChange(() => void refresh()));
  void refresh();
  const setWorkspaceAgent = (label: string | undefined) => {
    if (label !== workspaceAgent) {
      workspaceAgent = label;
      void refresh();
    }
  };
  return { item, refresh, setWorkspaceAgent };
}

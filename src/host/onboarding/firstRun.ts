/**
 * The first time the extension runs in a profile with nothing set up (no key for the server, and it
 * is not known to need none), the walkthrough opens once: choose the server, set the key, open a
 * step, try the sample. Never in the extension's own tests, never a second time, and never for a
 * user who turned start-up pages off (`workbench.startupEditor: none`), as VS Code's own do.
 */
import * as vscode from 'vscode';
import { normalizeBaseUrl } from '../../core/baseUrl';
import type { ApiKeys } from '../auth/apiKeys';
import { readBaseUrl } from '../settings';

const SHOWN_KEY = 'letta.walkthroughShown';
export const WALKTHROUGH_ID = 'letta-step-trace.letta-step-trace#letta.gettingStarted';

export async function openWalkthroughOnFirstRun(context: vscode.ExtensionContext, keys: ApiKeys): Promise<boolean> {
  if (context.extensionMode === vscode.ExtensionMode.Test || context.globalState.get(SHOWN_KEY)) {
    return false;
  }
  if (vscode.workspace.getConfiguration('workbench').get<string>('startupEditor') === 'none') {
    return false;
  }
  await context.globalState.update(SHOWN_KEY, true);
  const base = normalizeBaseUrl(readBaseUrl());
  if (base.ok && ((await keys.get(base.origin)) || keys.isNoKey(base.origin))) {
    return false; // already set up: nothing to walk through
  }
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
  return true;
}

/**
 * The one place the Letta language-model tools are registered (each declared in package.json under
 * `contributes.languageModelTools` with the same name). They only read, so none asks for confirmation.
 */
import * as vscode from 'vscode';
import type { ChatData } from './chatData';
import { GetRunTool } from './getRunTool';
import { GetStepTraceTool } from './getStepTraceTool';
import { ListStepsTool } from './listStepsTool';

export const LETTA_TOOL_IDS = [GetStepTraceTool.toolId, GetRunTool.toolId, ListStepsTool.toolId] as const;

export function registerChatTools(context: vscode.ExtensionContext, data: ChatData, log: vscode.LogOutputChannel): void {
  try {
    context.subscriptions.push(
      vscode.lm.registerTool(GetStepTraceTool.toolId, new GetStepTraceTool(data)),
      vscode.lm.registerTool(GetRunTool.toolId, new GetRunTool(data)),
      vscode.lm.registerTool(ListStepsTool.toolId, new ListStepsTool(data)),
    );
  } catch (e) {
    // An editor without language-model tools: everything else still works.
    log.warn(`Chat tools not registered: ${String(e)}`);
  }
}

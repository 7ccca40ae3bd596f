/** `letta_get_run`: a run's steps in order, tool calls, what changed between steps, totals. Read-only. */
import * as vscode from 'vscode';
import { RUN_IDS } from '../../core/lettaIds';
import type { ChatData } from './chatData';
import { textResult } from './toolResult';

export interface RunInput {
  runId: string;
}

export class GetRunTool implements vscode.LanguageModelTool<RunInput> {
  static readonly toolId = 'letta_get_run';

  constructor(private readonly data: ChatData) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<RunInput>): vscode.PreparedToolInvocation {
    const id = typeof options.input.runId === 'string' ? RUN_IDS.short(options.input.runId) : '?';
    return { invocationMessage: vscode.l10n.t('Reading Letta run {0} and its steps from {1}', id, this.data.host) };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<RunInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    return textResult((await this.data.run(options.input.runId, token)).text);
  }
}

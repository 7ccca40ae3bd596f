/** `letta_list_steps`: an agent's recent steps (or a run's), optionally by feedback, with summaries. Read-only. */
import * as vscode from 'vscode';
import { AGENT_IDS } from '../../core/lettaIds';
import type { ChatData } from './chatData';
import { textResult } from './toolResult';

export interface ListStepsInput {
  agentId: string;
  limit?: number;
  runId?: string;
  feedback?: 'positive' | 'negative';
}

export class ListStepsTool implements vscode.LanguageModelTool<ListStepsInput> {
  static readonly toolId = 'letta_list_steps';

  constructor(private readonly data: ChatData) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<ListStepsInput>): vscode.PreparedToolInvocation {
    const id = typeof options.input.agentId === 'string' ? AGENT_IDS.short(options.input.agentId) : '?';
    return { invocationMessage: vscode.l10n.t('Listing steps of Letta agent {0} from {1}', id, this.data.host) };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<ListStepsInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    return textResult((await this.data.steps(options.input, token)).text);
  }
}

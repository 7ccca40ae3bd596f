/** `letta_get_step_trace`: one step's trace as a bounded Markdown account. Read-only: no confirmation. */
import * as vscode from 'vscode';
import { shortStepId } from '../../core/stepIds';
import type { ChatData } from './chatData';
import { textResult } from './toolResult';

export interface StepTraceInput {
  stepId: string;
}

export class GetStepTraceTool implements vscode.LanguageModelTool<StepTraceInput> {
  static readonly toolId = 'letta_get_step_trace';

  constructor(private readonly data: ChatData) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<StepTraceInput>): vscode.PreparedToolInvocation {
    const id = typeof options.input.stepId === 'string' ? shortStepId(options.input.stepId) : '?';
    return { invocationMessage: vscode.l10n.t('Reading the trace of Letta step {0} from {1}', id, this.data.host) };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<StepTraceInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    return textResult((await this.data.step(options.input.stepId, token)).text);
  }
}

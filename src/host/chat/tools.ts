/**
 * The Letta language-model tools, each declared in package.json under
 * `contributes.languageModelTools` with the same name. They only read, so none asks for
 * confirmation; each says what it reads, and answers with one text part (an account, or a failure
 * the model can act on).
 */
import * as vscode from 'vscode';
import { AGENT_IDS, RUN_IDS } from '../../core/lettaIds';
import { shortStepId } from '../../core/stepIds';
import type { ChatData } from './chatData';

export interface StepTraceInput {
  stepId: string;
}
export interface RunInput {
  runId: string;
}
export interface ListStepsInput {
  agentId: string;
  limit?: number;
  runId?: string;
  feedback?: 'positive' | 'negative';
}

/** `short` of the ID the model passed, or `?` when it passed none. */
const shortOf = (value: unknown, short: (id: string) => string) => (typeof value === 'string' ? short(value) : '?');

/** One read-only tool: what it says while it reads, and what it reads. */
function readOnlyTool<I>(data: ChatData, says: (input: I, host: string) => string, read: (input: I, token: vscode.CancellationToken) => Promise<{ text: string }>): vscode.LanguageModelTool<I> {
  return {
    prepareInvocation: (options) => ({ invocationMessage: says(options.input, data.host) }),
    invoke: async (options, token) => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart((await read(options.input, token)).text)]),
  };
}

export const LETTA_TOOL_IDS = ['letta_get_step_trace', 'letta_get_run', 'letta_list_steps'] as const;

export function registerChatTools(context: vscode.ExtensionContext, data: ChatData, log: vscode.LogOutputChannel): void {
  // `letta_get_step_trace`: one step's trace as a bounded Markdown account.
  const stepTrace = readOnlyTool<StepTraceInput>(
    data,
    (input, host) => vscode.l10n.t('Reading the trace of Letta step {0} from {1}', shortOf(input.stepId, shortStepId), host),
    (input, token) => data.step(input.stepId, token),
  );
  // `letta_get_run`: a run's steps in order, tool calls, what changed between steps, totals.
  const run = readOnlyTool<RunInput>(
    data,
    (input, host) => vscode.l10n.t('Reading Letta run {0} and its steps from {1}', shortOf(input.runId, RUN_IDS.short), host),
    (input, token) => data.run(input.runId, token),
  );
  // `letta_list_steps`: an agent's recent steps (or a run's), optionally by feedback, with summaries.
  const listSteps = readOnlyTool<ListStepsInput>(
    data,
    (input, host) => vscode.l10n.t('Listing steps of Letta agent {0} from {1}', shortOf(input.agentId, AGENT_IDS.short), host),
    (input, token) => data.steps(input, token),
  );
  try {
    context.subscriptions.push(
      vscode.lm.registerTool(LETTA_TOOL_IDS[0], stepTrace),
      vscode.lm.registerTool(LETTA_TOOL_IDS[1], run),
      vscode.lm.registerTool(LETTA_TOOL_IDS[2], listSteps),
    );
  } catch (e) {
    // An editor without language-model tools: everything else still works.
    log.warn(`Chat tools not registered: ${String(e)}`);
  }
}

/** The list tool's result: recent steps, one line each with its summary. Pure: no `vscode`. */
import type { Step } from '../lettaTypes';
import { inlineCode } from '../markdown/markdownSafe';
import { formatStepSummary, summaryFromStep } from '../stepSummary';
import { MAX_RESULT_CHARS, account } from './accountText';

export interface StepListQuery {
  agentId: string;
  runId?: string;
  feedback?: 'positive' | 'negative';
  limit: number;
}

/** Steps newest first (or a run's in order), each with its status, model, tokens, feedback and run. */
export function stepListAccount(steps: readonly Step[], query: StepListQuery, origin: string, maxChars = MAX_RESULT_CHARS): string {
  const filters = [`agent ${inlineCode(query.agentId)}`, query.runId ? `run ${inlineCode(query.runId)}` : undefined, query.feedback ? `feedback ${query.feedback}` : undefined].filter(Boolean).join(', ');
  const order = query.runId ? 'in the order they ran' : 'newest first';
  const head = `# Letta steps of ${filters}\n\n${steps.length} step${steps.length === 1 ? '' : 's'} (at most ${query.limit}), ${order}.`;
  if (steps.length === 0) {
    return account(origin, `${head}\n\nNo steps match. Check the agent ID${query.runId ? ' and the run ID' : ''}, or drop the feedback filter.`, maxChars);
  }
  const lines = steps.map((step, i) => {
    const summary = formatStepSummary(summaryFromStep(step)).join(' · ');
    const run = step.run_id && !query.runId ? ` (run ${inlineCode(step.run_id)})` : '';
    return `${i + 1}. ${inlineCode(step.id)}${run}: ${inlineCode(summary || 'no details', 300)}`;
  });
  return account(origin, `${head}\n\n${lines.join('\n')}\n\nUse letta_get_step_trace with a step ID for the whole trace.`, maxChars);
}

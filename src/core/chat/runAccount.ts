/**
 * The run tool's result: a run's steps in order with their tool calls and what changed between them,
 * the totals, and what the user and the agent said — from the run model (`RunTracker`), under 32 KB,
 * steps kept from the start with a note for the rest. Pure: no `vscode`.
 */
import { runMarkdown } from '../markdown/runMarkdown';
import type { RunModel } from '../runs/runModel';
import { MAX_RESULT_CHARS, account, dataNote } from './accountText';

/** The run as Markdown under `maxChars`, steps in order; `origin` names the server in the data note. */
export function runAccount(model: RunModel, origin: string, maxChars = MAX_RESULT_CHARS): string {
  const body = runMarkdown(model, {
    // The data note goes first, inside the same bound.
    maxChars: maxChars - dataNote(origin).length - 2,
    pendingNote: "Its trace was not read (only the first steps' traces are read); ask letta_get_step_trace for it.",
    moreHint: 'ask letta_get_step_trace for one, or letta_list_steps with this runId for their summaries',
  });
  return account(origin, body, maxChars);
}

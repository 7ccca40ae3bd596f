/**
 * The run tool's result: a run's steps in order with their tool calls and what changed between them,
 * the totals, and what the user and the agent said — from the run model (`RunTracker`), under 32 KB,
 * steps kept from the start with a note for the rest. Pure: no `vscode`.
 */
import { formatLatency, groupDigits } from '../conversation/format';
import { fencedCut, inlineCode } from '../markdown/markdownSafe';
import type { RunModel, RunStepRow } from '../runs/runModel';
import { MAX_RESULT_CHARS, account, dataNote } from './accountText';
import { changesMarkdown } from './changesMarkdown';

/** How many characters of each transcript line are quoted. */
const SAID_CHARS = 500;

function rowMarkdown(row: RunStepRow): string {
  const facts = [row.status, row.model ? inlineCode(row.model) : undefined, row.stopReason ? `stop ${inlineCode(row.stopReason)}` : undefined, row.tokens.total !== undefined ? `${groupDigits(row.tokens.total)} tokens` : undefined, row.durationMs !== undefined ? formatLatency(row.durationMs) : undefined].filter(Boolean);
  const lines = [`## ${row.index + 1}. ${inlineCode(row.stepId)}`, '', `- ${facts.join(' · ')}`];
  if (row.error) {
    lines.push(`- Error: ${inlineCode(row.error, 300)}`);
  }
  if (row.trace === 'none') {
    lines.push('- No trace recorded for this step (the server answered null).');
  } else if (row.trace === 'error') {
    lines.push(`- Its trace could not be read: ${inlineCode(row.traceError ?? 'error')}`);
  } else if (row.trace === 'pending') {
    lines.push('- Its trace was not read (only the first steps\' traces are read); ask letta_get_step_trace for it.');
  }
  for (const call of row.toolCalls) {
    lines.push(`- Tool call ${inlineCode(call.name)}(${inlineCode(call.args, 120)})`);
  }
  if (row.said) {
    lines.push('- Said to the user:', '', fencedCut(row.said, SAID_CHARS, 'text'));
  }
  if (row.changes && !row.changes.first) {
    lines.push(`- Changed since step ${(row.comparedWith ?? row.index - 1) + 1}:`, '', changesMarkdown(row.changes).replace(/^/gm, '  '));
  }
  return lines.join('\n');
}

/** The run as Markdown under `maxChars`, steps in order; `origin` names the server in the data note. */
export function runAccount(model: RunModel, origin: string, maxChars = MAX_RESULT_CHARS): string {
  const t = model.totals;
  const head = [
    `# Letta run ${inlineCode(model.runId)}`,
    '',
    `- Status: ${model.status ? inlineCode(model.status) : 'unknown'}${model.stopReason ? `, stop reason ${inlineCode(model.stopReason)}` : ''}`,
    model.agentId ? `- Agent: ${inlineCode(model.agentId)}` : undefined,
    model.startedAt ? `- Started: ${inlineCode(model.startedAt)}${model.durationMs !== undefined ? `, took ${formatLatency(model.durationMs)}` : ''}` : undefined,
    `- Totals: ${t.steps} step${t.steps === 1 ? '' : 's'}${model.truncated ? ' read (the run has more)' : ''}, ${groupDigits(t.totalTokens)} tokens (${groupDigits(t.promptTokens)} prompt, ${groupDigits(t.completionTokens)} completion, ${groupDigits(t.cachedTokens)} cached)`,
  ]
    .filter((l) => l !== undefined)
    .join('\n');
  const transcript = model.transcript.length > 0 ? ['# Transcript', '', ...model.transcript.map((e) => `- Step ${e.stepIndex + 1}, ${e.who}: ${inlineCode(e.text, 200)}`)].join('\n') : '';
  // The head and the transcript first; steps fill what is left, in order, the rest named in a note.
  let room = maxChars - dataNote(origin).length - head.length - Math.min(transcript.length, 4000) - 300;
  const parts = [head];
  let shown = 0;
  for (const row of model.rows) {
    const md = rowMarkdown(row);
    if (md.length + 2 > room) {
      break;
    }
    parts.push(md);
    room -= md.length + 2;
    shown++;
  }
  if (shown < model.rows.length) {
    parts.push(`_… steps ${shown + 1} to ${model.rows.length} not shown (limit ${Math.round(maxChars / 1024)} KB): ask letta_get_step_trace for one, or letta_list_steps with this runId for their summaries._`);
  }
  if (transcript) {
    parts.push(transcript);
  }
  return account(origin, parts.join('\n\n'), maxChars);
}

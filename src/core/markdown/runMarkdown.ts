/**
 * A run as Markdown, from the run model: the header (status, agent, times, totals, cost), then each
 * step in order (status, model, tokens, cost, tool calls, what it said, what changed since the step
 * before), then the transcript. Every recorded text is fenced or inline code, long texts are cut
 * with a note saying how much, and the whole stays under `maxChars` (steps are kept from the start;
 * a note names those left out). "Copy Run as Markdown" and the chat's run account both use it. Pure.
 */
import { changesMarkdown } from '../chat/changesMarkdown';
import { formatLatency, groupDigits } from '../conversation/format';
import { formatUsd } from '../context/cost';
import type { RunModel, RunStepRow } from '../runs/runModel';
import { describeRunCost, priceTableNote } from '../runs/runCostTotal';
import { fencedCut, inlineCode } from './markdownSafe';
import { DEFAULT_MAX_CHARS, boundMarkdown } from './stepMarkdown';

/** How many characters of what a step said, and of each transcript entry, are quoted. */
const SAID_CHARS = 500;
/** The most of the budget the transcript may take before the steps. */
const TRANSCRIPT_RESERVE = 4000;

export interface RunMarkdownOptions {
  /** The most characters of the whole (default 32 KB). */
  maxChars?: number;
  /** What a step whose trace was not read says. */
  pendingNote?: string;
  /** What the note naming the steps left out ends with (after "not shown (limit N KB)"). */
  moreHint?: string;
}

function rowMarkdown(row: RunStepRow, pendingNote: string): string {
  const cost = row.cost ? (row.cost.known ? formatUsd(row.cost.total) : 'cost unknown') : undefined;
  const facts = [
    row.status,
    row.model ? inlineCode(row.model) : undefined,
    row.stopReason ? `stop ${inlineCode(row.stopReason)}` : undefined,
    row.tokens.total !== undefined ? `${groupDigits(row.tokens.total)} tokens` : undefined,
    cost,
    row.durationMs !== undefined ? formatLatency(row.durationMs) : undefined,
  ].filter(Boolean);
  const lines = [`## ${row.index + 1}. ${inlineCode(row.stepId)}`, '', `- ${facts.join(' · ')}`];
  if (row.cost && !row.cost.known) {
    lines.push(`- Cost unknown: ${row.cost.reason}`);
  }
  if (row.error) {
    lines.push(`- Error: ${inlineCode(row.error, 300)}`);
  }
  if (row.trace === 'none') {
    lines.push('- No trace recorded for this step (the server answered null).');
  } else if (row.trace === 'error') {
    lines.push(`- Its trace could not be read: ${inlineCode(row.traceError ?? 'error')}`);
  } else if (row.trace === 'pending') {
    lines.push(`- ${pendingNote}`);
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

function headMarkdown(model: RunModel): string {
  const t = model.totals;
  return [
    `# Letta run ${inlineCode(model.runId)}`,
    '',
    `- Status: ${model.status ? inlineCode(model.status) : 'unknown'}${model.stopReason ? `, stop reason ${inlineCode(model.stopReason)}` : ''}`,
    model.agentId ? `- Agent: ${inlineCode(model.agentId)}` : undefined,
    model.startedAt ? `- Started: ${inlineCode(model.startedAt)}${model.durationMs !== undefined ? `, took ${formatLatency(model.durationMs)}` : ''}` : undefined,
    `- Totals: ${t.steps} step${t.steps === 1 ? '' : 's'}${model.truncated ? ' read (the run has more)' : ''}, ${groupDigits(t.totalTokens)} tokens (${groupDigits(t.promptTokens)} prompt, ${groupDigits(t.completionTokens)} completion, ${groupDigits(t.cachedTokens)} cached)`,
    t.cost ? `- Cost: ${describeRunCost(t.cost)} (${priceTableNote(t.cost.table)})` : undefined,
  ]
    .filter((l) => l !== undefined)
    .join('\n');
}

function transcriptMarkdown(model: RunModel): string {
  if (model.transcript.length === 0) {
    return '';
  }
  return ['# Transcript', '', ...model.transcript.map((e) => `- Step ${e.stepIndex + 1}, ${e.who}:\n\n${fencedCut(e.text, SAID_CHARS, 'text').replace(/^/gm, '  ')}`)].join('\n\n');
}

/** The run as Markdown under `maxChars`: the header and the transcript first, steps fill what is left, in order. */
export function runMarkdown(model: RunModel, options: RunMarkdownOptions = {}): string {
  const maxChars = Math.max(2048, options.maxChars ?? DEFAULT_MAX_CHARS);
  const pendingNote = options.pendingNote ?? 'Its trace was not read.';
  const head = headMarkdown(model);
  const transcript = transcriptMarkdown(model);
  let room = maxChars - head.length - Math.min(transcript.length, TRANSCRIPT_RESERVE) - 300;
  const parts = [head];
  let shown = 0;
  for (const row of model.rows) {
    const md = rowMarkdown(row, pendingNote);
    if (md.length + 2 > room) {
      break;
    }
    parts.push(md);
    room -= md.length + 2;
    shown++;
  }
  if (shown < model.rows.length) {
    parts.push(`_… steps ${shown + 1} to ${model.rows.length} not shown (limit ${Math.round(maxChars / 1024)} KB)${options.moreHint ? `: ${options.moreHint}` : ''}._`);
  }
  if (transcript) {
    parts.push(transcript);
  }
  return boundMarkdown(parts.join('\n\n'), maxChars);
}

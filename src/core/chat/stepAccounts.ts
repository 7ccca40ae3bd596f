/**
 * The accounts of single steps the chat tools and `@letta` hand a language model: a step's trace,
 * where its tokens went, and two steps side by side. Each starts with the data note and stays under
 * 32 KB. Pure: no `vscode`.
 */
import { groupDigits } from '../conversation/format';
import { normalizeTrace } from '../conversation/normalize';
import type { StepContextLater } from '../context/stepContext';
import { formatUsd } from '../context/cost';
import type { LoadedTrace } from '../lettaTypes';
import { inlineCode } from '../markdown/markdownSafe';
import { loadedStepToMarkdown } from '../markdown/stepMarkdown';
import { compareRequests } from '../runs/compare';
import { formatStepSummary, summarizeTrace } from '../stepSummary';
import { MAX_RESULT_CHARS, account, dataNote } from './accountText';
import { changesMarkdown } from './changesMarkdown';

function originOf(loaded: LoadedTrace): string {
  return loaded.source.kind === 'server' ? loaded.source.origin : `file ${loaded.source.path}`;
}

/** The step tool's result: the step as Markdown (conversation, tool calls, output, usage, cost) under `maxChars`. */
export function stepAccount(loaded: LoadedTrace, later?: StepContextLater, maxChars = MAX_RESULT_CHARS): string {
  const origin = originOf(loaded);
  // The step's Markdown gets what the note leaves, so its own notes on cuts survive the bound.
  const room = maxChars - dataNote(origin).length - 8;
  return account(origin, loadedStepToMarkdown(loaded, later, { maxChars: room }), maxChars);
}

/** Where the step's tokens went: the context window by section, the limit, the provider's count, the cost. */
export function contextAccount(loaded: LoadedTrace, later: StepContextLater, maxChars = MAX_RESULT_CHARS): string {
  const summary = summarizeTrace(loaded.trace, loaded.step);
  const lines = [`# Context window of Letta step ${inlineCode(loaded.stepId)}`, ''];
  lines.push(`- ${formatStepSummary(summary).map((p) => inlineCode(p)).join(' · ')}`);
  const w = later.window;
  if (!w) {
    lines.push(`- The tokens could not be counted${later.windowError ? `: ${inlineCode(later.windowError)}` : '.'}`);
  } else {
    const of = w.limit ? ` of a ${groupDigits(w.limit)}-token window (${Math.round((w.totalTokens / w.limit) * 100)} %, limit from ${w.limitSource === 'step' ? 'the step' : 'the LLM config'})` : ' (the window size is not known)';
    lines.push(`- Counted: ${groupDigits(w.totalTokens)} tokens${of}, with ${w.encoding}${w.estimated ? ' (an estimate: the model\'s tokenizer is not public)' : ''}.`);
    if (w.reportedPromptTokens !== undefined) {
      lines.push(`- The provider reported ${groupDigits(w.reportedPromptTokens)} prompt tokens${w.difference !== undefined ? ` (${w.difference >= 0 ? '+' : ''}${groupDigits(w.difference)} against the count: framing and what the count leaves out)` : ''}.`);
    }
    for (const note of w.notes) {
      lines.push(`- Note: ${note}`);
    }
    lines.push('', '| Section | Kind | Tokens | Share | Characters |', '| --- | --- | ---: | ---: | ---: |');
    const sorted = [...w.sections].sort((a, b) => b.tokens - a.tokens);
    for (const s of sorted) {
      const share = w.totalTokens > 0 ? `${((s.tokens / w.totalTokens) * 100).toFixed(1)} %` : '–';
      // Labels come from the trace (memory block names): inline code, pipes escaped for the table.
      lines.push(`| ${inlineCode(s.label, 80).replace(/\|/g, '\\|')} | ${s.kind} | ${groupDigits(s.tokens)} | ${share} | ${groupDigits(s.chars)} |`);
    }
  }
  const c = later.cost;
  lines.push('', c.known ? `- Cost: ${formatUsd(c.total)} (input ${formatUsd(c.inputTotal)}, output ${formatUsd(c.outputTotal)}; prices from ${c.table.package} ${c.table.version}).` : `- Cost unknown: ${inlineCode(c.reason)}`);
  return account(originOf(loaded), lines.join('\n'), maxChars);
}

/** Two steps: what changed from the first request to the second, then each step's account, half the budget each. */
export function compareAccount(a: LoadedTrace, b: LoadedTrace, maxChars = MAX_RESULT_CHARS * 2): string {
  const changes = compareRequests(normalizeTrace(a.trace), normalizeTrace(b.trace));
  const head = [`# Letta step ${inlineCode(a.stepId)} compared with ${inlineCode(b.stepId)}`, '', 'What changed from the first request to the second:', '', changesMarkdown(changes)].join('\n');
  const each = Math.floor((maxChars - head.length - 400) / 2);
  const body = [head, `## First: ${inlineCode(a.stepId)}`, loadedStepToMarkdown(a, undefined, { maxChars: each, level: 2 }), `## Second: ${inlineCode(b.stepId)}`, loadedStepToMarkdown(b, undefined, { maxChars: each, level: 2 })].join('\n\n');
  return account(originOf(b), body, maxChars);
}

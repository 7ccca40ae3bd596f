/**
 * A step as Markdown, to paste into an issue or a chat, or to hand a language model as quoted data:
 * the header facts, usage and cost, parameters, the request conversation (tool calls with their
 * arguments), and the response. Every trace text is fenced or inline code (markdownSafe.ts); long
 * texts are cut with a note, and the whole stays under `maxChars` (32 KB by default) with a note
 * saying what was left out. A run is its steps in order, under one budget. Pure: no `vscode`.
 */
import * as l10n from '@vscode/l10n';
import { formatLatency, formatUsage, groupDigits, roleLabel } from '../conversation/format';
import type { Conversation, Message, Part } from '../conversation/model';
import { normalizeTrace } from '../conversation/normalize';
import type { LoadedTrace } from '../lettaTypes';
import { summarizeTrace, type TraceSummary } from '../stepSummary';
import { stepContextNow, type StepContextLater } from '../context/stepContext';
import type { ContextWindow } from '../context/contextWindow';
import { formatUsd, type StepCost } from '../context/cost';
import type { GlanceParameter } from '../context/parameters';
import { cutText, describeChars, fencedCut, inlineCode } from './markdownSafe';

export interface StepMarkdownInput {
  stepId: string;
  summary: TraceSummary;
  conversation: Conversation;
  cost?: StepCost;
  parameters?: GlanceParameter[];
  context?: ContextWindow;
}

export interface MarkdownOptions {
  /** The most characters the whole Markdown may have (notes included). */
  maxChars?: number;
  /** The most characters of one text (a message part, a tool's arguments or result). */
  maxTextChars?: number;
  /** The heading level of the step's title (2 in a run, 1 alone). */
  level?: number;
}

export const DEFAULT_MAX_CHARS = 32 * 1024;
export const DEFAULT_MAX_TEXT_CHARS = 4000;

function safeJson(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

function partMarkdown(part: Part, maxText: number): string {
  switch (part.kind) {
    case 'text': {
      const text = fencedCut(part.text, maxText, 'text');
      const cites = (part.citations ?? []).map((c) => `- ${[c.title, c.url, c.source].filter(Boolean).map((t) => inlineCode(String(t))).join(' ')}`);
      return cites.length > 0 ? `${text}\n\n${l10n.t('Citations:')}\n${cites.join('\n')}` : text;
    }
    case 'thinking':
      return part.redacted ? `_${l10n.t('Redacted thinking.')}_` : `${l10n.t('Thinking:')}\n\n${fencedCut(part.text, maxText, 'text')}`;
    case 'tool-call':
      const head = part.id ? l10n.t('Tool call {0} ({1}):', inlineCode(part.name), inlineCode(part.id)) : l10n.t('Tool call {0}:', inlineCode(part.name));
      return `${head}\n\n${fencedCut(safeJson(part.arguments), maxText, 'json')}`;
    case 'tool-result': {
      const head = `${part.isError ? l10n.t('Tool error') : l10n.t('Tool result')}${part.name ? ` ${inlineCode(part.name)}` : ''}${part.toolCallId ? ` (${inlineCode(part.toolCallId)})` : ''}:`;
      return [head, ...part.content.map((p) => partMarkdown(p, maxText))].join('\n\n');
    }
    case 'image':
      return `_${part.mediaType ? l10n.t('Image {0}, not included.', inlineCode(part.mediaType)) : l10n.t('Image, not included.')}_`;
    case 'json':
      return `${inlineCode(part.label)}:\n\n${fencedCut(safeJson(part.value), maxText, 'json')}`;
    case 'sources': {
      const queries = part.queries?.length ? `${l10n.t('Queries: {0}', part.queries.map(inlineCode).join(', '))}\n\n` : '';
      const list = part.sources.map((s) => `- ${[s.title, s.url].filter(Boolean).map((t) => inlineCode(String(t))).join(' ') || `_${l10n.t('untitled')}_`}`).join('\n');
      return `${part.label}:\n\n${queries}${list}`;
    }
    case 'tool-list':
      return l10n.t('MCP server {0} listed: {1}', inlineCode(part.server), part.tools.map((t) => inlineCode(t.name)).join(', ') || `_${l10n.t('no tools')}_`);
  }
}

function messageMarkdown(message: Message, index: number, maxText: number, level: number): string {
  const title = `${'#'.repeat(level)} ${index + 1}. ${roleLabel(message.role)}${message.name ? ` ${inlineCode(message.name)}` : ''}`;
  const parts = message.parts.length > 0 ? message.parts.map((p) => partMarkdown(p, maxText)) : [`_${l10n.t('Empty.')}_`];
  return [title, ...parts].join('\n\n');
}

function headerMarkdown(input: StepMarkdownInput, level: number): string {
  const s = input.summary;
  const lines: string[] = [`${'#'.repeat(level)} ${l10n.t('Letta step {0}', inlineCode(input.stepId))}`, ''];
  const fact = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') {
      lines.push(`- ${label}: ${value}`);
    }
  };
  fact(l10n.t('Model'), s.model ? inlineCode(s.model) : undefined);
  fact(l10n.t('Provider'), s.provider ? inlineCode(s.provider) : undefined);
  fact(l10n.t('Format'), inlineCode(s.formatLabel));
  fact(l10n.t('Status'), s.status ? inlineCode(s.status) : undefined);
  fact(l10n.t('Stop reason'), s.stopReason ? inlineCode(s.stopReason) : undefined);
  fact(l10n.t('Created'), s.createdAt ? inlineCode(s.createdAt) : undefined);
  fact(l10n.t('Latency'), s.latencyMs !== undefined ? formatLatency(s.latencyMs) : undefined);
  fact(l10n.t('Agent'), s.agentId ? inlineCode(s.agentId) : undefined);
  fact(l10n.t('Run'), s.runId ? inlineCode(s.runId) : undefined);
  const usage = s.usage ?? input.conversation.usage;
  fact(l10n.t('Usage'), usage ? `${formatUsage(usage)}${usage.totalTokens !== undefined ? ` · ${l10n.t('{0} total', groupDigits(usage.totalTokens))}` : ''}` : undefined);
  if (input.cost) {
    const c = input.cost;
    fact(
      l10n.t('Cost'),
      c.known
        ? l10n.t(
            '{0} (input {1}, output {2}; {3} prices from {4} {5}, {6})',
            formatUsd(c.total),
            formatUsd(c.inputTotal),
            formatUsd(c.outputTotal),
            c.provider,
            c.table.package,
            c.table.version,
            c.table.date,
          )
        : l10n.t('unknown: {0}', c.reason.replace(/[\r\n`]/g, ' ')),
    );
  }
  if (input.context) {
    const w = input.context;
    fact(
      l10n.t('Context window'),
      [
        w.limit
          ? l10n.t('{0} tokens of {1} ({2} %)', groupDigits(w.totalTokens), groupDigits(w.limit), Math.round((w.totalTokens / w.limit) * 100))
          : l10n.t('{0} tokens', groupDigits(w.totalTokens)),
        w.estimated ? l10n.t(', estimated') : '',
        w.difference !== undefined
          ? l10n.t('; provider reported {0} ({1})', groupDigits(w.reportedPromptTokens ?? 0), `${w.difference >= 0 ? '+' : ''}${groupDigits(w.difference)}`)
          : '',
      ].join(''),
    );
  }
  if (input.parameters && input.parameters.length > 0) {
    fact(l10n.t('Parameters'), input.parameters.map((p) => `${p.label} ${inlineCode(p.value)}`).join(', '));
  }
  const error = s.error ?? input.conversation.error;
  if (error) {
    lines.push('', error.type ? l10n.t('The call failed ({0}):', inlineCode(error.type)) : l10n.t('The call failed:'), '', fencedCut(error.message, 2000, 'text'));
  }
  return lines.join('\n');
}

/** A step as Markdown, at most `maxChars` long. */
export function stepToMarkdown(input: StepMarkdownInput, options: MarkdownOptions = {}): string {
  const maxChars = Math.max(1024, options.maxChars ?? DEFAULT_MAX_CHARS);
  const maxText = Math.max(200, options.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS);
  const level = Math.min(Math.max(options.level ?? 1, 1), 4);
  const sub = '#'.repeat(level + 1);
  const c: Conversation = input.conversation;

  const header = headerMarkdown(input, level);
  const response = [
    `${sub} ${l10n.t('Response')}`,
    c.output.length > 0 ? c.output.map((m, i) => messageMarkdown(m, i, maxText, level + 2)).join('\n\n') : `_${l10n.t('No response messages.')}_`,
  ].join('\n\n');
  const requestTitle = `${sub} ${c.messages.length === 1 ? l10n.t('Request (1 message)') : l10n.t('Request ({0} messages)', c.messages.length)}`;

  // The header and the response are kept first; request messages fill what is left, in order.
  const reserve = header.length + response.length + requestTitle.length + 200;
  let room = maxChars - reserve;
  const messages: string[] = [];
  let shown = 0;
  for (const [i, m] of c.messages.entries()) {
    const text = messageMarkdown(m, i, maxText, level + 2);
    if (text.length + 2 > room) {
      break;
    }
    messages.push(text);
    room -= text.length + 2;
    shown++;
  }
  if (shown < c.messages.length) {
    const more = c.messages.length - shown;
    messages.push(
      `_${more === 1 ? l10n.t('… 1 more request message not shown (the Markdown is kept under {0}).', describeChars(maxChars)) : l10n.t('… {0} more request messages not shown (the Markdown is kept under {1}).', more, describeChars(maxChars))}_`,
    );
  }
  const whole = [header, requestTitle, ...messages, response].join('\n\n');
  return boundMarkdown(whole, maxChars);
}

/** The fence that closes a block left open at the end of `text`, or '' when none is open. */
function openFence(text: string): string {
  let open = 0;
  for (const line of text.split('\n')) {
    const m = /^(`{3,})/.exec(line);
    if (!m) {
      continue;
    }
    if (open === 0) {
      open = m[1].length;
    } else if (m[1].length >= open && line.slice(m[1].length).trim() === '') {
      open = 0;
    }
  }
  return open > 0 ? `\n${'`'.repeat(open)}` : '';
}

/**
 * Any Markdown kept under `maxChars`: cut at the limit, a fence left open by the cut closed, and a
 * note saying how much was left out (the chat tools bound their accounts with it).
 */
export function boundMarkdown(text: string, maxChars: number): string {
  if (text.length < maxChars) {
    return `${text}\n`;
  }
  const note = (cut: number) => `\n\n_${l10n.t('… cut here: {0} more not shown (limit {1}).', describeChars(cut), describeChars(maxChars))}_\n`;
  let budget = maxChars - note(text.length).length;
  for (;;) {
    const { text: kept } = cutText(text, budget);
    // A cut inside a fence leaves it open: it is closed, so the note is not read as code.
    const closing = openFence(kept);
    const out = `${kept}${closing}${note(text.length - kept.length)}`;
    if (out.length <= maxChars || budget <= 0) {
      return out;
    }
    budget -= out.length - maxChars;
  }
}

/** A run: its steps in order, under one budget shared between them. */
export function runToMarkdown(runId: string, steps: StepMarkdownInput[], options: MarkdownOptions = {}): string {
  const maxChars = Math.max(2048, options.maxChars ?? DEFAULT_MAX_CHARS);
  const head = `# Letta run ${inlineCode(runId)}\n\n${steps.length} step${steps.length === 1 ? '' : 's'}.\n`;
  const each = Math.max(1024, Math.floor((maxChars - head.length) / Math.max(1, steps.length)) - 4);
  const parts: string[] = [head];
  let used = head.length;
  let shown = 0;
  for (const step of steps) {
    const md = stepToMarkdown(step, { ...options, maxChars: each, level: 2 });
    if (used + md.length + 2 > maxChars) {
      break;
    }
    parts.push(md);
    used += md.length + 2;
    shown++;
  }
  if (shown < steps.length) {
    parts.push(`_… ${steps.length - shown} more step${steps.length - shown === 1 ? '' : 's'} not shown (limit ${describeChars(maxChars)})._\n`);
  }
  return parts.join('\n');
}

/**
 * The Markdown of a loaded step, for "Copy as Markdown" and a language-model tool: normalised and
 * summarised here; the context window and cost are included when the caller has them (`later`).
 */
export function loadedStepToMarkdown(loaded: LoadedTrace, later?: StepContextLater, options: MarkdownOptions = {}): string {
  const conversation = normalizeTrace(loaded.trace);
  const input: StepMarkdownInput = {
    stepId: loaded.stepId,
    summary: summarizeTrace(loaded.trace, loaded.step),
    conversation,
    parameters: stepContextNow(conversation).parameters,
  };
  if (later?.window) {
    input.context = later.window;
  }
  if (later) {
    input.cost = later.cost;
  }
  return stepToMarkdown(input, options);
}

/**
 * A step as Markdown, to paste into an issue or a chat, or to hand a language model as quoted data:
 * the header facts, usage and cost, parameters, the request conversation (tool calls with their
 * arguments), and the response. Every trace text is fenced or inline code (markdownSafe.ts); long
 * texts are cut with a note, and the whole stays under `maxChars` (32 KB by default) with a note
 * saying what was left out. A run is its steps in order, under one budget. Pure: no `vscode`.
 */
import { formatLatency, formatUsage, groupDigits } from '../conversation/format';
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

const ROLE: Record<string, string> = { system: 'System', developer: 'Developer', user: 'User', assistant: 'Assistant', tool: 'Tool' };

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
      return cites.length > 0 ? `${text}\n\nCitations:\n${cites.join('\n')}` : text;
    }
    case 'thinking':
      return part.redacted ? '_Redacted thinking._' : `Thinking:\n\n${fencedCut(part.text, maxText, 'text')}`;
    case 'tool-call':
      return `Tool call ${inlineCode(part.name)}${part.id ? ` (${inlineCode(part.id)})` : ''}:\n\n${fencedCut(safeJson(part.arguments), maxText, 'json')}`;
    case 'tool-result': {
      const head = `${part.isError ? 'Tool error' : 'Tool result'}${part.name ? ` ${inlineCode(part.name)}` : ''}${part.toolCallId ? ` (${inlineCode(part.toolCallId)})` : ''}:`;
      return [head, ...part.content.map((p) => partMarkdown(p, maxText))].join('\n\n');
    }
    case 'image':
      return `_Image${part.mediaType ? ` ${inlineCode(part.mediaType)}` : ''}, not included._`;
    case 'json':
      return `${inlineCode(part.label)}:\n\n${fencedCut(safeJson(part.value), maxText, 'json')}`;
    case 'sources': {
      const queries = part.queries?.length ? `Queries: ${part.queries.map(inlineCode).join(', ')}\n\n` : '';
      const list = part.sources.map((s) => `- ${[s.title, s.url].filter(Boolean).map((t) => inlineCode(String(t))).join(' ') || '_untitled_'}`).join('\n');
      return `${part.label}:\n\n${queries}${list}`;
    }
    case 'tool-list':
      return `MCP server ${inlineCode(part.server)} listed: ${part.tools.map((t) => inlineCode(t.name)).join(', ') || '_no tools_'}`;
  }
}

function messageMarkdown(message: Message, index: number, maxText: number, level: number): string {
  const title = `${'#'.repeat(level)} ${index + 1}. ${ROLE[message.role] ?? 'Message'}${message.name ? ` ${inlineCode(message.name)}` : ''}`;
  const parts = message.parts.length > 0 ? message.parts.map((p) => partMarkdown(p, maxText)) : ['_Empty._'];
  return [title, ...parts].join('\n\n');
}

function headerMarkdown(input: StepMarkdownInput, level: number): string {
  const s = input.summary;
  const lines: string[] = [`${'#'.repeat(level)} Letta step ${inlineCode(input.stepId)}`, ''];
  const fact = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') {
      lines.push(`- ${label}: ${value}`);
    }
  };
  fact('Model', s.model ? inlineCode(s.model) : undefined);
  fact('Provider', s.provider ? inlineCode(s.provider) : undefined);
  fact('Format', inlineCode(s.formatLabel));
  fact('Status', s.status ? inlineCode(s.status) : undefined);
  fact('Stop reason', s.stopReason ? inlineCode(s.stopReason) : undefined);
  fact('Created', s.createdAt ? inlineCode(s.createdAt) : undefined);
  fact('Latency', s.latencyMs !== undefined ? formatLatency(s.latencyMs) : undefined);
  fact('Agent', s.agentId ? inlineCode(s.agentId) : undefined);
  fact('Run', s.runId ? inlineCode(s.runId) : undefined);
  const usage = s.usage ?? input.conversation.usage;
  fact('Usage', usage ? `${formatUsage(usage)}${usage.totalTokens !== undefined ? ` · ${groupDigits(usage.totalTokens)} total` : ''}` : undefined);
  if (input.cost) {
    const c = input.cost;
    fact(
      'Cost',
      c.known
        ? `${formatUsd(c.total)} (input ${formatUsd(c.inputTotal)}, output ${formatUsd(c.outputTotal)}; ${c.provider} prices from ${c.table.package} ${c.table.version}, ${c.table.date})`
        : `unknown: ${c.reason.replace(/[\r\n`]/g, ' ')}`,
    );
  }
  if (input.context) {
    const w = input.context;
    fact(
      'Context window',
      `${groupDigits(w.totalTokens)} tokens${w.limit ? ` of ${groupDigits(w.limit)} (${Math.round((w.totalTokens / w.limit) * 100)} %)` : ''}${w.estimated ? ', estimated' : ''}${w.difference !== undefined ? `; provider reported ${groupDigits(w.reportedPromptTokens ?? 0)} (${w.difference >= 0 ? '+' : ''}${groupDigits(w.difference)})` : ''}`,
    );
  }
  if (input.parameters && input.parameters.length > 0) {
    fact('Parameters', input.parameters.map((p) => `${p.label} ${inlineCode(p.value)}`).join(', '));
  }
  const error = s.error ?? input.conversation.error;
  if (error) {
    lines.push('', `The call failed${error.type ? ` (${inlineCode(error.type)})` : ''}:`, '', fencedCut(error.message, 2000, 'text'));
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
    `${sub} Response`,
    c.output.length > 0 ? c.output.map((m, i) => messageMarkdown(m, i, maxText, level + 2)).join('\n\n') : '_No response messages._',
  ].join('\n\n');
  const requestTitle = `${sub} Request (${c.messages.length} message${c.messages.length === 1 ? '' : 's'})`;

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
    messages.push(`_… ${c.messages.length - shown} more request message${c.messages.length - shown === 1 ? '' : 's'} not shown (the Markdown is kept under ${describeChars(maxChars)})._`);
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
  const note = (cut: number) => `\n\n_… cut here: ${describeChars(cut)} more not shown (limit ${describeChars(maxChars)})._\n`;
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

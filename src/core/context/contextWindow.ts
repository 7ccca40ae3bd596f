/**
 * The context window of one step, by section: system instructions, each core-memory block, tool
 * definitions, messages by role, tool results, the conversation summary. `contextPieces` says what
 * text belongs to which section (sync, cheap); `computeContextWindow` counts the pieces with a
 * `TokenCounter` (a worker in the host, chunked in a page) and sets the total against the limit
 * and the prompt tokens the provider reported. Pure: no `vscode`, no DOM.
 */
import * as l10n from '@vscode/l10n';
import type { Conversation, Message, Part, TraceFormat, Usage } from '../conversation/model';
import { encodingForModel } from './encodingForModel';
import type { ParsedSystemPrompt } from './systemPrompt';
import type { Encoding, TokenCounter } from './tokenCount';

export type ContextSectionKind = 'system' | 'memory-block' | 'tools' | 'messages' | 'tool-results' | 'summary' | 'framing';

export interface ContextSection {
  /** Stable within a step: `system`, `block:persona`, `tools`, `messages:user`, `tool-results`, `summary`, `framing`. */
  id: string;
  label: string;
  kind: ContextSectionKind;
  tokens: number;
  /** Characters counted (0 for framing). */
  chars: number;
}

export interface ContextWindow {
  sections: ContextSection[];
  /** Sum of the sections. */
  totalTokens: number;
  limit?: number;
  /** Where the limit came from. */
  limitSource?: 'step' | 'llm_config';
  encoding: Encoding;
  /** True when the model's tokenizer is not public: counts are o200k's, an estimate. */
  estimated: boolean;
  /** The prompt tokens the provider reported (input with cache reads and writes). */
  reportedPromptTokens?: number;
  /** `reportedPromptTokens - totalTokens`: what the count missed (positive) or overcounted. */
  difference?: number;
  /** What the count leaves out (images, say). */
  notes: string[];
}

export interface ContextPiece {
  id: string;
  label: string;
  kind: ContextSectionKind;
  text: string;
}

/** Letta's summary of hidden messages (written into a user or system message when it compacts). */
const SUMMARY = /prior messages \(\d+ of \d+ total messages\) have been hidden|The following is a summary of the previous \d+ messages/i;

function partText(part: Part): string {
  switch (part.kind) {
    case 'text':
    case 'thinking':
      return part.text;
    case 'tool-call':
      return `${part.name} ${typeof part.arguments === 'string' ? part.arguments : safeJson(part.arguments)}`;
    case 'tool-result':
      return part.content.map(partText).join('\n');
    case 'json':
      return safeJson(part.value);
    case 'image':
      return '';
    case 'sources':
      return [...(part.queries ?? []), ...part.sources.map((s) => [s.title, s.url, s.text].filter(Boolean).join('\n'))].join('\n');
    case 'tool-list':
      return part.tools.map((t) => `${t.name} ${t.description ?? ''}`).join('\n');
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/** A function, not a table: the words are looked up once the bundle is configured. */
function roleLabel(role: string): string {
  switch (role) {
    case 'system':
      return l10n.t('System messages');
    case 'developer':
      return l10n.t('Developer messages');
    case 'user':
      return l10n.t('User messages');
    case 'assistant':
      return l10n.t('Assistant messages');
    case 'tool':
      return l10n.t('Tool results');
    default:
      return role;
  }
}

/** The text of each section, in the order the bar shows them. */
export function contextPieces(conversation: Conversation, systemPrompt?: { messageIndex: number; partIndex: number; parsed: ParsedSystemPrompt }): { pieces: ContextPiece[]; images: number } {
  const system: string[] = [];
  const blocks: ContextPiece[] = [];
  const byRole = new Map<string, string[]>();
  const toolResults: string[] = [];
  const summary: string[] = [];
  let images = 0;
  const add = (map: Map<string, string[]>, key: string, text: string) => {
    const list = map.get(key) ?? [];
    list.push(text);
    map.set(key, list);
  };

  conversation.messages.forEach((message: Message, mi) => {
    const isPrompt = mi === 0 && (message.role === 'system' || message.role === 'developer');
    message.parts.forEach((part, pi) => {
      if (part.kind === 'image') {
        images++;
        return;
      }
      if (isPrompt && systemPrompt && systemPrompt.messageIndex === mi && systemPrompt.partIndex === pi) {
        // The prompt's other sections are counted together, as the one text they are between the blocks.
        const rest: string[] = [];
        for (const s of systemPrompt.parsed.sections) {
          if (s.kind === 'memory-block') {
            blocks.push({ id: `block:${s.block.label}`, label: l10n.t('Memory: {0}', s.block.label), kind: 'memory-block', text: s.raw });
          } else {
            rest.push(s.raw);
          }
        }
        system.push(rest.join(''));
        return;
      }
      const text = partText(part);
      if (isPrompt) {
        system.push(text);
      } else if (part.kind === 'tool-result' || message.role === 'tool') {
        toolResults.push(text);
      } else if (SUMMARY.test(text.slice(0, 2000))) {
        summary.push(text);
      } else {
        add(byRole, message.role, text);
      }
    });
  });

  const pieces: ContextPiece[] = [];
  if (system.length > 0) {
    pieces.push({ id: 'system', label: l10n.t('System instructions'), kind: 'system', text: system.join('\n') });
  }
  pieces.push(...blocks);
  if (conversation.tools.length > 0) {
    pieces.push({ id: 'tools', label: l10n.t('Tool definitions'), kind: 'tools', text: safeJson(conversation.tools) });
  }
  if (summary.length > 0) {
    pieces.push({ id: 'summary', label: l10n.t('Summary of earlier messages'), kind: 'summary', text: summary.join('\n') });
  }
  for (const role of ['system', 'developer', 'user', 'assistant']) {
    const texts = byRole.get(role);
    if (texts) {
      pieces.push({ id: `messages:${role}`, label: roleLabel(role), kind: 'messages', text: texts.join('\n') });
    }
  }
  if (toolResults.length > 0) {
    pieces.push({ id: 'tool-results', label: l10n.t('Tool results'), kind: 'tool-results', text: toolResults.join('\n') });
  }
  return { pieces, images };
}

/**
 * What the provider counted as the prompt. Anthropic's `input_tokens` leaves out cache reads and
 * writes; everyone else's prompt count includes its cached part.
 */
export function reportedPromptTokens(usage: Usage | undefined, format: TraceFormat): number | undefined {
  if (usage?.promptTokens === undefined) {
    return undefined;
  }
  if (format === 'anthropic') {
    return usage.promptTokens + (usage.cachedTokens ?? 0) + (usage.cacheWriteTokens ?? 0);
  }
  return usage.promptTokens;
}

/** Tokens OpenAI's chat format adds per message (`<|im_start|>role … <|im_end|>`) and to prime the reply. */
const OPENAI_FRAMING_PER_MESSAGE = 3;
const OPENAI_FRAMING_REPLY = 3;

export interface ContextOptions {
  model?: string;
  /** The step's `context_window_limit`. */
  stepLimit?: number;
  /** The trace's `llm_config.context_window`. */
  configLimit?: number;
  /** The provider's usage, as normalised (its format decides what the prompt count includes). */
  usage?: Usage;
  systemPrompt?: { messageIndex: number; partIndex: number; parsed: ParsedSystemPrompt };
}

const positive = (n: number | undefined): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;

export async function computeContextWindow(conversation: Conversation, options: ContextOptions, counter: TokenCounter): Promise<ContextWindow> {
  const { encoding, exact } = encodingForModel(options.model ?? conversation.model);
  const { pieces, images } = contextPieces(conversation, options.systemPrompt);
  const counts = await counter(
    pieces.map((p) => p.text),
    encoding,
  );
  const sections: ContextSection[] = pieces.map((p, i) => ({ id: p.id, label: p.label, kind: p.kind, tokens: counts[i] ?? 0, chars: p.text.length }));
  const format = conversation.requestFormat ?? conversation.format;
  if (format === 'openai-chat' && conversation.messages.length > 0) {
    sections.push({ id: 'framing', label: l10n.t('Message framing'), kind: 'framing', tokens: conversation.messages.length * OPENAI_FRAMING_PER_MESSAGE + OPENAI_FRAMING_REPLY, chars: 0 });
  }
  const totalTokens = sections.reduce((n, s) => n + s.tokens, 0);
  const result: ContextWindow = { sections, totalTokens, encoding, estimated: !exact, notes: [] };
  if (positive(options.stepLimit)) {
    result.limit = options.stepLimit;
    result.limitSource = 'step';
  } else if (positive(options.configLimit)) {
    result.limit = options.configLimit;
    result.limitSource = 'llm_config';
  }
  const reported = reportedPromptTokens(options.usage ?? conversation.usage, format);
  if (reported !== undefined) {
    result.reportedPromptTokens = reported;
    result.difference = reported - totalTokens;
  }
  if (images > 0) {
    result.notes.push(images === 1 ? l10n.t("1 image not counted: image tokens depend on the provider's resizing.") : l10n.t("{0} images not counted: image tokens depend on the provider's resizing.", images));
  }
  if (!exact) {
    result.notes.push(l10n.t("Estimated with OpenAI's {0} encoding: this model's tokenizer is not public.", encoding));
  }
  if (sections.some((s) => s.kind === 'tools')) {
    result.notes.push(l10n.t('Tool definitions are counted as their JSON; providers render them in their own format.'));
  }
  return result;
}

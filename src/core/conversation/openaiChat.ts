/** OpenAI Chat Completions: `messages` + `tools` in the request, `choices[].message` in the response. */
import * as l10n from '@vscode/l10n';
import type { Citation, Message, Part, ToolDefinition } from './model';
import type { RequestSide, ResponseSide } from './sides';
import { readUsage } from './usage';
import {
  addNote, asArray, asNumber, asString, dropUndefined, imageFromUrl, isRecord, jsonPart, message, toolCall, toolResult, toRole, without,
  type Json, type NormaliseContext,
} from './util';

/**
 * OpenAI's annotations (`url_citation`, `file_citation`, `container_file_citation`), in either
 * spelling: Chat nests the fields under the type's name, Responses puts them on the annotation.
 * `text` is the annotated text, for the quoted span.
 */
export function openAiCitations(annotations: unknown, text: string): Citation[] {
  const citations: Citation[] = [];
  for (const raw of asArray(annotations)) {
    if (!isRecord(raw)) {
      continue;
    }
    const inner = typeof raw.type === 'string' && isRecord(raw[raw.type]) ? (raw[raw.type] as Json) : raw;
    const start = asNumber(inner.start_index);
    const end = asNumber(inner.end_index);
    const quote = start !== undefined && end !== undefined && end > start ? text.slice(start, end) : undefined;
    citations.push(dropUndefined({ title: asString(inner.title), url: asString(inner.url), source: asString(inner.filename) ?? asString(inner.file_id), quote }));
  }
  return citations;
}

/** Puts citations on the last text part (OpenAI annotates the message's text as a whole). */
function citeLastText(parts: Part[], citations: Citation[]): void {
  const last = [...parts].reverse().find((p): p is Extract<Part, { kind: 'text' }> => p.kind === 'text');
  if (last && citations.length > 0) {
    last.citations = [...(last.citations ?? []), ...citations];
  } else if (citations.length > 0) {
    parts.push(jsonPart('annotations', citations));
  }
}

/** Request keys that are not model parameters. */
const NOT_PARAMETERS = ['model', 'messages', 'tools', 'functions'];

/** Content as a string, `null`, or a list of typed parts. */
export function chatContentParts(content: unknown, ctx: NormaliseContext): Part[] {
  if (typeof content === 'string') {
    return content === '' ? [] : [{ kind: 'text', text: content }];
  }
  if (content === null || content === undefined) {
    return [];
  }
  if (!Array.isArray(content)) {
    return [jsonPart('content', content)];
  }
  const parts: Part[] = [];
  for (const item of content) {
    if (typeof item === 'string') {
      parts.push({ kind: 'text', text: item });
      continue;
    }
    if (!isRecord(item)) {
      parts.push(jsonPart('content', item));
      continue;
    }
    switch (item.type) {
      case 'text':
        parts.push({ kind: 'text', text: asString(item.text) ?? '' });
        break;
      case 'image_url': {
        const image = item.image_url;
        const url = typeof image === 'string' ? image : isRecord(image) ? asString(image.url) : undefined;
        parts.push(url !== undefined ? imageFromUrl(url) : { kind: 'image' });
        break;
      }
      case 'refusal':
        parts.push(jsonPart('refusal', item.refusal));
        break;
      case 'input_audio':
        parts.push(jsonPart('audio', item.input_audio));
        break;
      case 'file':
        parts.push(jsonPart('file', item.file));
        break;
      default:
        addNote(ctx.notes, l10n.t('Content of type {0} is shown as JSON.', JSON.stringify(String(item.type).slice(0, 40))));
        parts.push(jsonPart(typeof item.type === 'string' ? item.type : 'content', item));
    }
  }
  return parts;
}

/** The assistant-side fields shared by request history and response messages. */
function assistantParts(msg: Json, ctx: NormaliseContext): Part[] {
  const parts: Part[] = [];
  // DeepSeek, vLLM and OpenRouter return reasoning beside the content
  const reasoning = asString(msg.reasoning_content) ?? asString(msg.reasoning);
  if (reasoning) {
    parts.push({ kind: 'thinking', text: reasoning });
  }
  const content = chatContentParts(msg.content, ctx);
  citeLastText(content, openAiCitations(msg.annotations, typeof msg.content === 'string' ? msg.content : ''));
  parts.push(...content);
  if (typeof msg.refusal === 'string' && msg.refusal !== '') {
    parts.push(jsonPart('refusal', msg.refusal));
  }
  for (const call of asArray(msg.tool_calls)) {
    if (!isRecord(call)) {
      continue;
    }
    const fn = isRecord(call.function) ? call.function : {};
    parts.push(toolCall(ctx, call.id, fn.name, fn.arguments));
  }
  // the legacy single `function_call`
  if (isRecord(msg.function_call)) {
    parts.push(toolCall(ctx, undefined, msg.function_call.name, msg.function_call.arguments));
  }
  if (isRecord(msg.audio)) {
    parts.push(jsonPart('audio', msg.audio));
  }
  return parts;
}

function chatMessage(raw: unknown, ctx: NormaliseContext): Message {
  if (!isRecord(raw)) {
    addNote(ctx.notes, l10n.t('A message that is not an object is shown as JSON.'));
    return message('user', [jsonPart('message', raw)]);
  }
  const role = toRole(raw.role, ctx.notes);
  const name = asString(raw.name);
  if (role === 'tool') {
    // `tool` answers `tool_call_id`; the legacy `function` role answers by name
    const content = chatContentParts(raw.content, ctx);
    return message('tool', [toolResult(ctx, raw.tool_call_id, content, raw.role === 'function' ? name : undefined)], name);
  }
  const parts = role === 'assistant' ? assistantParts(raw, ctx) : chatContentParts(raw.content, ctx);
  return message(role, parts, name);
}

export function chatTools(raw: unknown): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const tool of asArray(raw)) {
    if (!isRecord(tool)) {
      continue;
    }
    // `{type:"function", function:{...}}`, `{type:"custom", custom:{name, description, format}}`,
    // or the legacy `functions` list of bare definitions
    const custom = isRecord(tool.custom) ? tool.custom : undefined;
    const fn = isRecord(tool.function) ? tool.function : (custom ?? tool);
    const name = asString(fn.name) ?? (typeof tool.type === 'string' ? tool.type : l10n.t('(unnamed tool)'));
    const rest = without(fn, ['name', 'description', 'parameters', 'type']);
    tools.push(dropUndefined({
      name,
      description: asString(fn.description),
      parameters: fn.parameters ?? custom?.format,
      kind: custom ? ('custom' as const) : undefined,
      config: Object.keys(rest).length > 0 && !custom ? rest : undefined,
    }));
  }
  return tools;
}

export function normalizeOpenAiChatRequest(req: Json, ctx: NormaliseContext): RequestSide {
  return {
    model: asString(req.model),
    messages: asArray(req.messages).map((m) => chatMessage(m, ctx)),
    tools: [...chatTools(req.tools), ...chatTools(req.functions)],
    parameters: without(req, NOT_PARAMETERS),
  };
}

export function normalizeOpenAiChatResponse(res: Json, ctx: NormaliseContext): ResponseSide {
  const output: Message[] = [];
  let finishReason: string | undefined;
  for (const choice of asArray(res.choices)) {
    if (!isRecord(choice)) {
      continue;
    }
    finishReason ??= asString(choice.finish_reason);
    const msg = isRecord(choice.message) ? choice.message : isRecord(choice.delta) ? choice.delta : undefined;
    if (msg) {
      output.push(message(msg.role === undefined ? 'assistant' : toRole(msg.role, ctx.notes), assistantParts(msg, ctx)));
    } else if (typeof choice.text === 'string') {
      // the legacy Completions API
      output.push(message('assistant', [{ kind: 'text', text: choice.text }]));
    }
  }
  return { model: asString(res.model), output, finishReason, usage: readUsage(res.usage) };
}

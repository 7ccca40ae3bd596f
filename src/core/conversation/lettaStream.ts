/**
 * Letta's own summary of a streamed step: `{content: {tool_call, reasoning | content}, id, model,
 * role, type: "message", usage}`, where `tool_call` and each list item are JSON encoded as text.
 * Text that is not valid JSON is kept as text.
 */
import * as l10n from '@vscode/l10n';
import type { Part } from './model';
import type { ResponseSide } from './sides';
import { readUsage } from './usage';
import { addNote, asArray, asString, isRecord, jsonPart, message, parseJsonText, toolCall, type Json, type NormaliseContext } from './util';

/** True when `res` has the stream summary's shape. */
export function isLettaStream(res: Json): boolean {
  const content = res.content;
  return isRecord(content) && ('tool_call' in content || 'reasoning' in content || 'content' in content);
}

/** One decoded item of `reasoning` or `content`: Letta's message content models. */
function contentItem(value: unknown, inReasoning: boolean, ctx: NormaliseContext): Part {
  if (typeof value === 'string') {
    return inReasoning ? { kind: 'thinking', text: value } : { kind: 'text', text: value };
  }
  if (!isRecord(value)) {
    return jsonPart(inReasoning ? 'reasoning' : 'content', value);
  }
  switch (value.type) {
    case 'reasoning':
      return { kind: 'thinking', text: asString(value.reasoning) ?? '' };
    case 'redacted_reasoning':
    case 'omitted_reasoning':
      return { kind: 'thinking', text: '', redacted: true };
    case 'text':
      return { kind: 'text', text: asString(value.text) ?? '' };
    case 'tool_call':
      return toolCall(ctx, value.id, value.name, value.input ?? value.arguments);
    default:
      addNote(ctx.notes, l10n.t('Streamed content of type {0} is shown as JSON.', JSON.stringify(String(value.type).slice(0, 40))));
      return jsonPart(typeof value.type === 'string' ? value.type : 'content', value);
  }
}

function decodeList(list: unknown, inReasoning: boolean, ctx: NormaliseContext): Part[] {
  const parts: Part[] = [];
  for (const item of asArray(list)) {
    if (typeof item === 'string') {
      const parsed = parseJsonText(item);
      if (!parsed.ok) {
        addNote(ctx.notes, l10n.t('Some streamed content was not valid JSON and is shown as text.'));
      }
      parts.push(contentItem(parsed.ok ? parsed.value : item, inReasoning, ctx));
    } else {
      parts.push(contentItem(item, inReasoning, ctx));
    }
  }
  return parts;
}

/** `tool_call`: an OpenAI-style `{id, function: {name, arguments}}`, or `{id, name, input}`. */
function decodeToolCall(raw: unknown, ctx: NormaliseContext): Part | undefined {
  if (raw === null || raw === undefined) {
    return undefined;
  }
  let value: unknown = raw;
  if (typeof raw === 'string') {
    const parsed = parseJsonText(raw);
    if (!parsed.ok) {
      addNote(ctx.notes, l10n.t('The streamed tool call was not valid JSON and is shown as text.'));
      return { kind: 'text', text: raw };
    }
    value = parsed.value;
  }
  if (!isRecord(value)) {
    return value === null ? undefined : jsonPart('tool_call', value);
  }
  const fn = isRecord(value.function) ? value.function : undefined;
  return fn ? toolCall(ctx, value.id, fn.name, fn.arguments) : toolCall(ctx, value.id, value.name, value.input ?? value.arguments);
}

export function normalizeLettaStreamResponse(res: Json, ctx: NormaliseContext): ResponseSide {
  const content = isRecord(res.content) ? res.content : {};
  const parts: Part[] = [...decodeList(content.reasoning, true, ctx), ...decodeList(content.content, false, ctx)];
  const call = decodeToolCall(content.tool_call, ctx);
  if (call) {
    parts.push(call);
  }
  return {
    model: asString(res.model),
    output: [message('assistant', parts)],
    finishReason: asString(res.stop_reason),
    usage: readUsage(res.usage),
  };
}

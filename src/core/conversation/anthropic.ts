/** Anthropic Messages: `system` + `messages` of content blocks in the request, `content[]` in the response. */
import type { Message, Part, ToolDefinition } from './model';
import type { RequestSide, ResponseSide } from './sides';
import { readUsage } from './usage';
import {
  addNote, asArray, asString, dropUndefined, imageFromBase64, imageFromUrl, isRecord, jsonPart, message, toolCall, toolResult, toRole,
  without, type Json, type NormaliseContext,
} from './util';

const NOT_PARAMETERS = ['model', 'messages', 'tools', 'system'];

function imagePart(block: Json): Part {
  const source = isRecord(block.source) ? block.source : {};
  if (source.type === 'url' && typeof source.url === 'string') {
    return imageFromUrl(source.url);
  }
  if (source.type === 'base64' || typeof source.data === 'string') {
    return imageFromBase64(source.data, source.media_type);
  }
  return dropUndefined({ kind: 'image' as const, mediaType: asString(source.media_type) });
}

/** Content blocks (or a plain string) as parts. */
export function anthropicBlocks(content: unknown, ctx: NormaliseContext, depth = 0): Part[] {
  if (typeof content === 'string') {
    return content === '' ? [] : [{ kind: 'text', text: content }];
  }
  // tool results nest content; a hostile trace could nest them until the stack runs out
  if (!Array.isArray(content) || depth > 16) {
    return content === null || content === undefined ? [] : [jsonPart('content', content)];
  }
  const parts: Part[] = [];
  for (const block of content) {
    if (!isRecord(block)) {
      parts.push(typeof block === 'string' ? { kind: 'text', text: block } : jsonPart('content', block));
      continue;
    }
    switch (block.type) {
      case 'text':
        parts.push({ kind: 'text', text: asString(block.text) ?? '' });
        break;
      case 'image':
        parts.push(imagePart(block));
        break;
      case 'thinking':
        parts.push({ kind: 'thinking', text: asString(block.thinking) ?? '' });
        break;
      case 'redacted_thinking':
        parts.push({ kind: 'thinking', text: '', redacted: true });
        break;
      case 'tool_use':
      case 'server_tool_use':
        parts.push(toolCall(ctx, block.id, block.name, block.input));
        break;
      case 'tool_result':
        parts.push(toolResult(ctx, block.tool_use_id, anthropicBlocks(block.content, ctx, depth + 1), undefined, block.is_error));
        break;
      case 'document':
        parts.push(jsonPart('document', block));
        break;
      default:
        // server tool results (web search, code execution), search results, containers: kept as sent
        addNote(ctx.notes, `Content blocks of type ${JSON.stringify(String(block.type).slice(0, 40))} are shown as JSON.`);
        parts.push(jsonPart(typeof block.type === 'string' ? block.type : 'content', block));
    }
  }
  return parts;
}

function anthropicTools(raw: unknown): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const tool of asArray(raw)) {
    if (isRecord(tool)) {
      // server tools (`web_search_20250305`, ...) have a name and a type but no schema
      tools.push(dropUndefined({ name: asString(tool.name) ?? asString(tool.type) ?? '(unnamed tool)', description: asString(tool.description), parameters: tool.input_schema }));
    }
  }
  return tools;
}

export function normalizeAnthropicRequest(req: Json, ctx: NormaliseContext): RequestSide {
  const messages: Message[] = [];
  const systemParts = anthropicBlocks(req.system, ctx);
  if (systemParts.length > 0) {
    messages.push(message('system', systemParts));
  }
  for (const raw of asArray(req.messages)) {
    if (!isRecord(raw)) {
      addNote(ctx.notes, 'A message that is not an object is shown as JSON.');
      messages.push(message('user', [jsonPart('message', raw)]));
      continue;
    }
    messages.push(message(toRole(raw.role, ctx.notes), anthropicBlocks(raw.content, ctx)));
  }
  return { model: asString(req.model), messages, tools: anthropicTools(req.tools), parameters: without(req, NOT_PARAMETERS) };
}

export function normalizeAnthropicResponse(res: Json, ctx: NormaliseContext): ResponseSide {
  const role = res.role === undefined ? 'assistant' : toRole(res.role, ctx.notes);
  return {
    model: asString(res.model),
    output: [message(role, anthropicBlocks(res.content, ctx))],
    finishReason: asString(res.stop_reason),
    usage: readUsage(res.usage),
  };
}

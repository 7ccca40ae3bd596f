/** OpenAI Responses API: `input` items in the request, `output` items in the response. */
import type { Message, Part, ToolDefinition } from './model';
import type { RequestSide, ResponseSide } from './sides';
import { readUsage } from './usage';
import {
  addNote, asArray, asString, dropUndefined, imageFromUrl, isRecord, jsonPart, message, toolCall, toolResult, toRole, without,
  type Json, type NormaliseContext,
} from './util';

const NOT_PARAMETERS = ['model', 'input', 'tools', 'instructions'];

function contentParts(content: unknown, ctx: NormaliseContext): Part[] {
  if (typeof content === 'string') {
    return content === '' ? [] : [{ kind: 'text', text: content }];
  }
  if (!Array.isArray(content)) {
    return content === null || content === undefined ? [] : [jsonPart('content', content)];
  }
  const parts: Part[] = [];
  for (const item of content) {
    if (!isRecord(item)) {
      parts.push(typeof item === 'string' ? { kind: 'text', text: item } : jsonPart('content', item));
      continue;
    }
    switch (item.type) {
      case 'input_text':
      case 'output_text':
      case 'text':
        parts.push({ kind: 'text', text: asString(item.text) ?? '' });
        break;
      case 'refusal':
        parts.push(jsonPart('refusal', item.refusal));
        break;
      case 'input_image': {
        const url = asString(item.image_url);
        parts.push(url !== undefined ? imageFromUrl(url) : jsonPart('image', item));
        break;
      }
      case 'input_file':
        parts.push(jsonPart('file', item));
        break;
      case 'input_audio':
        parts.push(jsonPart('audio', item));
        break;
      default:
        addNote(ctx.notes, `Content of type ${JSON.stringify(String(item.type).slice(0, 40))} is shown as JSON.`);
        parts.push(jsonPart(typeof item.type === 'string' ? item.type : 'content', item));
    }
  }
  return parts;
}

function reasoningParts(item: Json): Part[] {
  const parts: Part[] = [];
  for (const s of asArray(item.summary)) {
    const text = isRecord(s) ? asString(s.text) : asString(s);
    if (text !== undefined) {
      parts.push({ kind: 'thinking', text });
    }
  }
  for (const c of asArray(item.content)) {
    const text = isRecord(c) ? asString(c.text) : undefined;
    if (text !== undefined) {
      parts.push({ kind: 'thinking', text });
    }
  }
  if (parts.length === 0) {
    // only `encrypted_content` (or nothing): the model reasoned but the text is not readable
    parts.push({ kind: 'thinking', text: '', redacted: true });
  }
  return parts;
}

/**
 * Turns input or output items into messages. Consecutive assistant-side items (reasoning, calls,
 * the assistant's own message) join one assistant message, as they came from one model turn.
 */
function itemsToMessages(items: unknown[], ctx: NormaliseContext): Message[] {
  const messages: Message[] = [];
  const assistant = (parts: Part[]) => {
    const last = messages[messages.length - 1];
    if (last?.role === 'assistant') {
      last.parts.push(...parts);
    } else {
      messages.push(message('assistant', parts));
    }
  };
  for (const item of items) {
    if (typeof item === 'string') {
      messages.push(message('user', [{ kind: 'text', text: item }]));
      continue;
    }
    if (!isRecord(item)) {
      addNote(ctx.notes, 'An input item that is not an object is shown as JSON.');
      messages.push(message('user', [jsonPart('item', item)]));
      continue;
    }
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
    switch (type) {
      case 'message': {
        const role = toRole(item.role, ctx.notes);
        const parts = contentParts(item.content, ctx);
        if (role === 'assistant') {
          assistant(parts);
        } else {
          messages.push(message(role, parts));
        }
        break;
      }
      case 'reasoning':
        assistant(reasoningParts(item));
        break;
      case 'function_call':
        assistant([toolCall(ctx, item.call_id ?? item.id, item.name, item.arguments)]);
        break;
      case 'custom_tool_call':
        assistant([toolCall(ctx, item.call_id ?? item.id, item.name, item.input)]);
        break;
      case 'function_call_output':
      case 'custom_tool_call_output':
      case 'computer_call_output':
      case 'local_shell_call_output': {
        const output = item.output;
        const content = typeof output === 'string' || Array.isArray(output) ? contentParts(output, ctx) : [jsonPart('output', output)];
        messages.push(message('tool', [toolResult(ctx, item.call_id, content)]));
        break;
      }
      default: {
        // built-in tools (web search, file search, code interpreter, MCP, ...): shown as they came
        const label = typeof type === 'string' ? type : 'item';
        addNote(ctx.notes, `Items of type ${JSON.stringify(label.slice(0, 40))} are shown as JSON.`);
        assistant([jsonPart(label, item)]);
      }
    }
  }
  return messages;
}

function responsesTools(raw: unknown): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const tool of asArray(raw)) {
    if (!isRecord(tool)) {
      continue;
    }
    const name = asString(tool.name) ?? asString(tool.server_label) ?? asString(tool.type) ?? '(unnamed tool)';
    tools.push(dropUndefined({ name, description: asString(tool.description), parameters: tool.parameters ?? tool.format }));
  }
  return tools;
}

export function normalizeOpenAiResponsesRequest(req: Json, ctx: NormaliseContext): RequestSide {
  const messages: Message[] = [];
  if (typeof req.instructions === 'string' && req.instructions !== '') {
    messages.push(message('system', [{ kind: 'text', text: req.instructions }]));
  } else if (Array.isArray(req.instructions)) {
    messages.push(...itemsToMessages(req.instructions, ctx));
  }
  const input = req.input;
  messages.push(...itemsToMessages(typeof input === 'string' ? [input] : asArray(input), ctx));
  return { model: asString(req.model), messages, tools: responsesTools(req.tools), parameters: without(req, NOT_PARAMETERS) };
}

export function normalizeOpenAiResponsesResponse(res: Json, ctx: NormaliseContext): ResponseSide {
  const incomplete = isRecord(res.incomplete_details) ? asString(res.incomplete_details.reason) : undefined;
  return {
    model: asString(res.model),
    output: itemsToMessages(asArray(res.output), ctx),
    finishReason: incomplete ?? asString(res.status),
    usage: readUsage(res.usage),
  };
}

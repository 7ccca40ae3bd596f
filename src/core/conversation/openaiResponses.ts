/** OpenAI Responses API: `input` items in the request, `output` items in the response. */
import * as l10n from '@vscode/l10n';
import type { Message, Part, Source, ToolDefinition } from './model';
import { openAiCitations } from './openaiChat';
import type { RequestSide, ResponseSide } from './sides';
import { readUsage } from './usage';
import {
  addNote, asArray, asString, dropUndefined, imageFromBase64, imageFromUrl, isRecord, jsonPart, message, parseArguments, toolCall, toolResult, toRole,
  withoutSecrets, without, type Json, type NormaliseContext,
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
      case 'text': {
        const text = asString(item.text) ?? '';
        const citations = openAiCitations(item.annotations, text);
        parts.push(citations.length > 0 ? { kind: 'text', text, citations } : { kind: 'text', text });
        break;
      }
      case 'refusal':
        parts.push(jsonPart('refusal', item.refusal));
        break;
      case 'input_image': {
        const url = asString(item.image_url);
        parts.push(url !== undefined ? imageFromUrl(url) : jsonPart('image', item));
        break;
      }
      case 'logs':
        // code interpreter output
        parts.push({ kind: 'text', text: asString(item.logs) ?? '' });
        break;
      case 'image':
        parts.push(typeof item.url === 'string' ? imageFromUrl(item.url) : jsonPart('image', item));
        break;
      case 'input_file':
        parts.push(jsonPart('file', item));
        break;
      case 'input_audio':
        parts.push(jsonPart('audio', item));
        break;
      default:
        addNote(ctx.notes, l10n.t('Content of type {0} is shown as JSON.', JSON.stringify(String(item.type).slice(0, 40))));
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
    parts.push(typeof item.encrypted_content === 'string' ? { kind: 'thinking', text: '', redacted: true, encrypted: true } : { kind: 'thinking', text: '', redacted: true });
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
      addNote(ctx.notes, l10n.t('An input item that is not an object is shown as JSON.'));
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
      case 'web_search_call': {
        const action = isRecord(item.action) ? item.action : {};
        assistant([serverCall(item, 'web_search', without(action, ['sources']))]);
        const sources = asArray(action.sources).filter(isRecord).map((src) => dropUndefined({ title: asString(src.title), url: asString(src.url) }));
        if (sources.length > 0) {
          assistant([serverResult(item, 'web_search', [{ kind: 'sources', label: l10n.t('Search results'), sources }])]);
        }
        break;
      }
      case 'file_search_call': {
        assistant([serverCall(item, 'file_search', { queries: item.queries })]);
        const results = asArray(item.results).filter(isRecord);
        if (results.length > 0) {
          const sources: Source[] = results.map((r) => dropUndefined({ title: asString(r.filename) ?? asString(r.file_id), text: asString(r.text) }));
          assistant([serverResult(item, 'file_search', [{ kind: 'sources', label: l10n.t('File search results'), sources }])]);
        }
        break;
      }
      case 'code_interpreter_call': {
        assistant([serverCall(item, 'code_interpreter', dropUndefined({ code: item.code, container_id: item.container_id }))]);
        if (Array.isArray(item.outputs) && item.outputs.length > 0) {
          assistant([serverResult(item, 'code_interpreter', contentParts(item.outputs, ctx))]);
        }
        break;
      }
      case 'image_generation_call': {
        assistant([serverCall(item, 'image_generation', dropUndefined({ revised_prompt: item.revised_prompt, size: item.size, quality: item.quality }))]);
        if (typeof item.result === 'string') {
          assistant([serverResult(item, 'image_generation', [imageFromBase64(item.result, asString(item.output_format) === undefined ? undefined : `image/${asString(item.output_format)}`)])]);
        }
        break;
      }
      case 'mcp_list_tools': {
        const tools = asArray(item.tools).filter(isRecord).map((t) => dropUndefined({ name: asString(t.name) ?? l10n.t('(unnamed tool)'), description: asString(t.description), parameters: t.input_schema, config: isRecord(t.annotations) ? t.annotations : undefined }));
        assistant([dropUndefined({ kind: 'tool-list' as const, server: asString(item.server_label) ?? l10n.t('(unnamed MCP server)'), tools, error: asString(item.error) })]);
        break;
      }
      case 'mcp_call':
      case 'mcp_approval_request': {
        const server = asString(item.server_label);
        const call = toolCall(ctx, item.id, item.name, item.arguments);
        assistant([dropUndefined({ ...call, origin: 'mcp', server } as Part)]);
        if (type === 'mcp_call' && ((item.output !== undefined && item.output !== null) || (item.error !== undefined && item.error !== null))) {
          const failed = item.error !== undefined && item.error !== null;
          const out = failed ? item.error : item.output;
          const content = typeof out === 'string' ? [{ kind: 'text' as const, text: out }] : [jsonPart(failed ? 'error' : 'output', out)];
          assistant([dropUndefined({ ...toolResult(ctx, item.id, content, item.name, failed), origin: 'mcp', server } as Part)]);
        } else if (type === 'mcp_approval_request') {
          addNote(ctx.notes, l10n.t('An MCP call waits for approval; its request is shown as a tool call.'));
        }
        break;
      }
      case 'computer_call':
      case 'local_shell_call':
      case 'shell_call':
      case 'apply_patch_call':
        assistant([toolCall(ctx, item.call_id ?? item.id, (typeof type === 'string' ? type : 'call').replace(/_call$/, ''), item.action ?? item.operation ?? item.input)]);
        break;
      default: {
        // newer built-in items: shown as they came
        const label = typeof type === 'string' ? type : 'item';
        addNote(ctx.notes, l10n.t('Items of type {0} are shown as JSON.', JSON.stringify(label.slice(0, 40))));
        assistant([jsonPart(label, item)]);
      }
    }
  }
  return messages;
}

/** A built-in tool's call (web search, code interpreter, ...): the provider ran it, the label says so. */
function serverCall(item: Json, name: string, args: unknown): Part {
  return dropUndefined({ kind: 'tool-call' as const, id: asString(item.id), name, arguments: parseArguments(args), origin: 'server' as const });
}

function serverResult(item: Json, name: string, content: Part[]): Part {
  const failed = item.status === 'failed' || item.status === 'incomplete';
  return dropUndefined({ kind: 'tool-result' as const, toolCallId: asString(item.id), name, content, origin: 'server' as const, isError: failed ? true : undefined });
}

function responsesTools(raw: unknown): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const tool of asArray(raw)) {
    if (!isRecord(tool)) {
      continue;
    }
    const type = asString(tool.type);
    const rest = withoutSecrets(without(tool, ['type', 'name', 'description', 'parameters', 'format', 'server_label', 'server_description']));
    const config = Object.keys(rest).length > 0 ? rest : undefined;
    if (type === 'mcp') {
      tools.push(dropUndefined({ name: asString(tool.server_label) ?? '(unnamed MCP server)', kind: 'mcp' as const, description: asString(tool.server_description) ?? asString(tool.description), config }));
    } else if (type === 'function' || (type === undefined && tool.name !== undefined)) {
      tools.push(dropUndefined({ name: asString(tool.name) ?? l10n.t('(unnamed tool)'), description: asString(tool.description), parameters: tool.parameters, config }));
    } else if (type === 'custom') {
      tools.push(dropUndefined({ name: asString(tool.name) ?? l10n.t('(unnamed tool)'), kind: 'custom' as const, description: asString(tool.description), parameters: tool.format, config }));
    } else {
      // web_search, file_search, code_interpreter, image_generation, computer_use_preview, local_shell, ...
      tools.push(dropUndefined({ name: asString(tool.name) ?? type ?? '(unnamed tool)', kind: 'server' as const, type, description: asString(tool.description), config }));
    }
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

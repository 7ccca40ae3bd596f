/** Anthropic Messages: `system` + `messages` of content blocks in the request, `content[]` in the response. */
import * as l10n from '@vscode/l10n';
import type { Citation, Message, Part, Source, ToolDefinition } from './model';
import type { RequestSide, ResponseSide } from './sides';
import { readUsage } from './usage';
import {
  addNote, asArray, asString, dropUndefined, imageFromBase64, imageFromUrl, isRecord, jsonPart, message, toolCall, toolResult, toRole,
  withoutSecrets, without, type Json, type NormaliseContext,
} from './util';

const NOT_PARAMETERS = ['model', 'messages', 'tools', 'system', 'mcp_servers'];

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

/** One `citations` entry: a web search hit, a span of a sent document, or a search result block. */
function citation(raw: unknown): Citation | undefined {
  if (!isRecord(raw)) {
    return undefined;
  }
  const documentIndex = typeof raw.document_index === 'number' ? `document ${raw.document_index + 1}` : undefined;
  return dropUndefined({
    citedText: asString(raw.cited_text),
    title: asString(raw.title) ?? asString(raw.document_title),
    url: asString(raw.url),
    source: asString(raw.source) ?? (asString(raw.document_title) === undefined ? documentIndex : undefined),
  });
}

function textPart(block: Json): Part {
  const citations = asArray(block.citations).map(citation).filter((c): c is Citation => c !== undefined);
  const text = asString(block.text) ?? '';
  return citations.length > 0 ? { kind: 'text', text, citations } : { kind: 'text', text };
}

/** A fetched or searched page: `web_search_result` or `web_fetch_result` (its document's text, when sent as text). */
function pageSource(raw: Json): Source {
  const doc = isRecord(raw.content) ? raw.content : undefined;
  const source = doc && isRecord(doc.source) ? doc.source : undefined;
  const text = source && source.type === 'text' ? asString(source.data) : undefined;
  return dropUndefined({ title: asString(raw.title) ?? (doc ? asString(doc.title) : undefined), url: asString(raw.url), text, age: asString(raw.page_age) ?? asString(raw.retrieved_at) });
}

/**
 * The `content` of a server tool's result block (`web_search_tool_result`,
 * `code_execution_tool_result`, `web_fetch_tool_result`, ...), as parts; `isError` when it is one of
 * the `*_tool_result_error` shapes or a failed command.
 */
function serverResultContent(raw: unknown, label: string, ctx: NormaliseContext, depth: number): { parts: Part[]; isError: boolean } {
  if (Array.isArray(raw)) {
    if (raw.length > 0 && raw.every((r) => isRecord(r) && (r.type === 'web_search_result' || r.type === 'web_fetch_result'))) {
      return { parts: [{ kind: 'sources', label: l10n.t('Search results'), sources: raw.map((r) => pageSource(r as Json)) }], isError: false };
    }
    return { parts: anthropicBlocks(raw, ctx, depth + 1), isError: false };
  }
  if (!isRecord(raw)) {
    return { parts: raw === undefined || raw === null ? [] : [jsonPart(label, raw)], isError: false };
  }
  const type = String(raw.type);
  if (type.endsWith('_error')) {
    return { parts: [jsonPart('error', raw)], isError: true };
  }
  if (type === 'web_fetch_result') {
    return { parts: [{ kind: 'sources', label: l10n.t('Fetched page'), sources: [pageSource(raw)] }], isError: false };
  }
  if (typeof raw.stdout === 'string' || typeof raw.stderr === 'string') {
    // code execution: stdout as text, the rest (stderr, files, return code) as JSON
    const parts: Part[] = [];
    if (typeof raw.stdout === 'string' && raw.stdout !== '') {
      parts.push({ kind: 'text', text: raw.stdout });
    }
    const rest = without(raw, ['stdout', 'type']);
    if (Object.values(rest).some((v) => v !== '' && v !== 0 && !(Array.isArray(v) && v.length === 0))) {
      parts.push(jsonPart('details', rest));
    }
    return { parts, isError: typeof raw.return_code === 'number' && raw.return_code !== 0 };
  }
  if (typeof raw.text === 'string' && Object.keys(raw).every((k) => k === 'text' || k === 'type')) {
    return { parts: [{ kind: 'text', text: raw.text }], isError: false };
  }
  return { parts: [jsonPart(label, raw)], isError: false };
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
    const type = typeof block.type === 'string' ? block.type : 'content';
    switch (type) {
      case 'text':
        parts.push(textPart(block));
        break;
      case 'image':
        parts.push(imagePart(block));
        break;
      case 'thinking':
        parts.push({ kind: 'thinking', text: asString(block.thinking) ?? '' });
        break;
      case 'redacted_thinking':
        parts.push(typeof block.data === 'string' ? { kind: 'thinking', text: '', redacted: true, encrypted: true } : { kind: 'thinking', text: '', redacted: true });
        break;
      case 'tool_use':
        parts.push(toolCall(ctx, block.id, block.name, block.input));
        break;
      case 'server_tool_use':
        parts.push({ ...toolCall(ctx, block.id, block.name, block.input), origin: 'server' } as Part);
        break;
      case 'mcp_tool_use':
        parts.push(dropUndefined({ ...toolCall(ctx, block.id, block.name, block.input), origin: 'mcp', server: asString(block.server_name) } as Part));
        break;
      case 'tool_result':
        parts.push(toolResult(ctx, block.tool_use_id, anthropicBlocks(block.content, ctx, depth + 1), undefined, block.is_error));
        break;
      case 'mcp_tool_result':
        parts.push({ ...toolResult(ctx, block.tool_use_id, anthropicBlocks(block.content, ctx, depth + 1), undefined, block.is_error), origin: 'mcp' } as Part);
        break;
      case 'document':
        parts.push(jsonPart('document', block));
        break;
      default:
        if (type.endsWith('_tool_result')) {
          // web search, web fetch, code execution, text editor, advisor, tool search: the provider ran them
          const result = serverResultContent(block.content, type, ctx, depth);
          parts.push({ ...toolResult(ctx, block.tool_use_id, result.parts, undefined, result.isError || block.is_error === true), origin: 'server' } as Part);
          break;
        }
        // search results, container uploads, newer block types: kept as sent
        addNote(ctx.notes, l10n.t('Content blocks of type {0} are shown as JSON.', JSON.stringify(type.slice(0, 40))));
        parts.push(jsonPart(type, block));
    }
  }
  return parts;
}

function anthropicTools(raw: unknown): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const tool of asArray(raw)) {
    if (!isRecord(tool)) {
      continue;
    }
    const type = asString(tool.type);
    const rest = withoutSecrets(without(tool, ['name', 'description', 'input_schema', 'type']));
    const config = Object.keys(rest).length > 0 ? rest : undefined;
    if (type === 'mcp_toolset') {
      tools.push(dropUndefined({ name: asString(tool.mcp_server_name) ?? '(unnamed MCP server)', kind: 'mcp' as const, type, config }));
    } else if (type !== undefined && type !== 'custom' && tool.input_schema === undefined) {
      // server tools (`web_search_20250305`, `code_execution_20250825`, ...) have a type, no schema
      tools.push(dropUndefined({ name: asString(tool.name) ?? type, kind: 'server' as const, type, description: asString(tool.description), config }));
    } else {
      tools.push(dropUndefined({ name: asString(tool.name) ?? l10n.t('(unnamed tool)'), description: asString(tool.description), parameters: tool.input_schema, config }));
    }
  }
  return tools;
}

/** `mcp_servers`: the remote MCP servers the provider may call; their tokens are never shown. */
function mcpServers(raw: unknown): ToolDefinition[] {
  return asArray(raw)
    .filter(isRecord)
    .map((server) => {
      const config = withoutSecrets(without(server, ['name']));
      return dropUndefined({ name: asString(server.name) ?? '(unnamed MCP server)', kind: 'mcp' as const, config: Object.keys(config).length > 0 ? config : undefined });
    });
}

export function normalizeAnthropicRequest(req: Json, ctx: NormaliseContext): RequestSide {
  const messages: Message[] = [];
  const systemParts = anthropicBlocks(req.system, ctx);
  if (systemParts.length > 0) {
    messages.push(message('system', systemParts));
  }
  for (const raw of asArray(req.messages)) {
    if (!isRecord(raw)) {
      addNote(ctx.notes, l10n.t('A message that is not an object is shown as JSON.'));
      messages.push(message('user', [jsonPart('message', raw)]));
      continue;
    }
    messages.push(message(toRole(raw.role, ctx.notes), anthropicBlocks(raw.content, ctx)));
  }
  return { model: asString(req.model), messages, tools: [...anthropicTools(req.tools), ...mcpServers(req.mcp_servers)], parameters: without(req, NOT_PARAMETERS) };
}

/** `stop_details` (why a refusal or pause happened) and the matched `stop_sequence`, as words. */
function stopMessage(res: Json): string | undefined {
  const details = res.stop_details;
  if (isRecord(details)) {
    const words = asString(details.explanation) ?? asString(details.message) ?? asString(details.reason);
    if (words !== undefined) {
      return words;
    }
  }
  return typeof res.stop_sequence === 'string' ? l10n.t('Stopped at the sequence {0}', JSON.stringify(res.stop_sequence)) : undefined;
}

export function normalizeAnthropicResponse(res: Json, ctx: NormaliseContext): ResponseSide {
  const role = res.role === undefined ? 'assistant' : toRole(res.role, ctx.notes);
  return {
    model: asString(res.model),
    output: [message(role, anthropicBlocks(res.content, ctx))],
    finishReason: asString(res.stop_reason),
    finishMessage: stopMessage(res),
    usage: readUsage(res.usage),
  };
}

/**
 * Google Gemini / Vertex as Letta records it: the Python SDK's call arguments `{contents, config}`
 * (no model name; the system prompt is the first `user` item), or a REST body. snake_case and
 * camelCase are both accepted, field by field.
 */
import type { Message, Part, Role, ToolDefinition } from './model';
import type { RequestSide, ResponseSide } from './sides';
import { readUsage } from './usage';
import {
  addNote, asArray, asString, dropUndefined, imageFromBase64, imageFromUrl, isRecord, jsonPart, message, pick, toolCall, toolResult,
  toRole, without, type Json, type NormaliseContext,
} from './util';

const SYSTEM_KEYS = ['system_instruction', 'systemInstruction'];
const NOT_TOP_PARAMETERS = ['contents', 'config', 'model', 'tools', ...SYSTEM_KEYS];
const NOT_CONFIG_PARAMETERS = ['tools', ...SYSTEM_KEYS];

function googlePart(raw: unknown, ctx: NormaliseContext): Part {
  if (typeof raw === 'string') {
    return { kind: 'text', text: raw };
  }
  if (!isRecord(raw)) {
    return jsonPart('part', raw);
  }
  if (typeof raw.text === 'string') {
    return raw.thought === true ? { kind: 'thinking', text: raw.text } : { kind: 'text', text: raw.text };
  }
  const call = pick(raw, 'function_call', 'functionCall');
  if (isRecord(call)) {
    return toolCall(ctx, call.id, call.name, call.args);
  }
  const response = pick(raw, 'function_response', 'functionResponse');
  if (isRecord(response)) {
    const content: Part[] = response.response === undefined ? [] : [jsonPart('response', response.response)];
    return toolResult(ctx, response.id, content, response.name);
  }
  const inline = pick(raw, 'inline_data', 'inlineData');
  if (isRecord(inline)) {
    const mime = asString(pick(inline, 'mime_type', 'mimeType'));
    const image = imageFromBase64(inline.data, mime);
    return mime === undefined || mime.startsWith('image/') ? image : jsonPart('inline data', image.kind === 'image' ? { mimeType: mime, bytes: image.bytes } : {});
  }
  const file = pick(raw, 'file_data', 'fileData');
  if (isRecord(file)) {
    const mime = asString(pick(file, 'mime_type', 'mimeType'));
    const uri = asString(pick(file, 'file_uri', 'fileUri'));
    return mime?.startsWith('image/') && uri !== undefined ? imageFromUrl(uri, mime) : jsonPart('file', file);
  }
  const code = pick(raw, 'executable_code', 'executableCode');
  if (code !== undefined) {
    return jsonPart('executable code', code);
  }
  const result = pick(raw, 'code_execution_result', 'codeExecutionResult');
  if (result !== undefined) {
    return jsonPart('code execution result', result);
  }
  if (raw.thought === true) {
    // a thought with only a signature: the model thought, the text was not returned
    return { kind: 'thinking', text: '', redacted: true };
  }
  addNote(ctx.notes, 'Some Gemini parts of an unknown kind are shown as JSON.');
  return jsonPart('part', raw);
}

function googleParts(parts: unknown, ctx: NormaliseContext): Part[] {
  return asArray(parts).map((p) => googlePart(p, ctx));
}

function googleContent(raw: unknown, ctx: NormaliseContext, defaultRole: Role): Message {
  if (typeof raw === 'string') {
    return message(defaultRole, [{ kind: 'text', text: raw }]);
  }
  if (!isRecord(raw)) {
    addNote(ctx.notes, 'A Gemini content item that is not an object is shown as JSON.');
    return message(defaultRole, [jsonPart('content', raw)]);
  }
  if (raw.parts === undefined && raw.role === undefined) {
    // the SDK accepts a bare part where a Content is expected
    return message(defaultRole, [googlePart(raw, ctx)]);
  }
  return message(raw.role === undefined ? defaultRole : toRole(raw.role, ctx.notes), googleParts(raw.parts, ctx));
}

function systemInstruction(raw: unknown, ctx: NormaliseContext): Message | undefined {
  if (raw === undefined || raw === null) {
    return undefined;
  }
  if (Array.isArray(raw)) {
    return message('system', googleParts(raw, ctx));
  }
  const msg = googleContent(raw, ctx, 'system');
  return message('system', msg.parts);
}

function googleTools(raw: unknown): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const tool of asArray(raw)) {
    if (!isRecord(tool)) {
      continue;
    }
    const declarations = pick(tool, 'function_declarations', 'functionDeclarations');
    if (Array.isArray(declarations)) {
      for (const d of declarations) {
        if (isRecord(d)) {
          tools.push(dropUndefined({ name: asString(d.name) ?? '(unnamed tool)', description: asString(d.description), parameters: pick(d, 'parameters', 'parameters_json_schema', 'parametersJsonSchema') }));
        }
      }
    } else {
      // built-in tools: `{google_search: {}}`, `{code_execution: {}}`, ...
      for (const key of Object.keys(tool)) {
        tools.push({ name: key });
      }
    }
  }
  return tools;
}

export function normalizeGoogleRequest(req: Json, ctx: NormaliseContext, llmModel?: string): RequestSide {
  const config = isRecord(req.config) ? req.config : {};
  const contents = typeof req.contents === 'string' ? [req.contents] : asArray(req.contents);
  const messages: Message[] = [];
  const system = systemInstruction(pick(config, ...SYSTEM_KEYS) ?? pick(req, ...SYSTEM_KEYS), ctx);
  if (system) {
    messages.push(system);
  }
  contents.forEach((item) => messages.push(googleContent(item, ctx, 'user')));
  // Letta sends its system prompt as the first `user` item instead of a system instruction
  const first = messages[0];
  if (!system && contents.length > 1 && first?.role === 'user' && first.parts.length > 0 && first.parts.every((p) => p.kind === 'text')) {
    first.role = 'system';
  }
  const tools = [...googleTools(config.tools), ...googleTools(req.tools)];
  const parameters = { ...without(req, NOT_TOP_PARAMETERS), ...without(config, NOT_CONFIG_PARAMETERS) };
  return { model: asString(req.model) ?? llmModel, messages, tools, parameters };
}

export function normalizeGoogleResponse(res: Json, ctx: NormaliseContext): ResponseSide {
  const output: Message[] = [];
  let finishReason: string | undefined;
  for (const candidate of asArray(res.candidates)) {
    if (!isRecord(candidate)) {
      continue;
    }
    finishReason ??= asString(pick(candidate, 'finish_reason', 'finishReason'));
    if (candidate.content !== undefined && candidate.content !== null) {
      output.push(googleContent(candidate.content, ctx, 'assistant'));
    }
  }
  const feedback = pick(res, 'prompt_feedback', 'promptFeedback');
  if (finishReason === undefined && isRecord(feedback)) {
    finishReason = asString(pick(feedback, 'block_reason', 'blockReason'));
  }
  return {
    model: asString(pick(res, 'model_version', 'modelVersion')),
    output,
    finishReason,
    usage: readUsage(pick(res, 'usage_metadata', 'usageMetadata')),
  };
}

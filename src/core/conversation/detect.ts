/** Recognises each side of a trace. Request and response are detected apart: a streamed step pairs an OpenAI or Anthropic request with Letta's stream summary. */
import * as l10n from '@vscode/l10n';
import type { TraceFormat } from './model';
import { isLettaStream } from './lettaStream';
import { asArray, asString, isRecord, pick, type Json } from './util';

/** A format's name for people. A function, not a table: the words are looked up once the bundle is configured. */
export function formatLabel(format: TraceFormat): string {
  switch (format) {
    case 'openai-chat':
      return 'OpenAI Chat Completions';
    case 'openai-responses':
      return 'OpenAI Responses';
    case 'anthropic':
      return 'Anthropic Messages';
    case 'google':
      return 'Google Gemini';
    case 'letta-stream':
      return l10n.t('Letta streamed response');
    case 'unknown':
      return l10n.t('Unknown format');
  }
}

/**
 * Content blocks only Anthropic has. Server-tool results end in `_tool_result`
 * (`web_search_tool_result`, `code_execution_tool_result`, `mcp_tool_result`, ...).
 */
const ANTHROPIC_BLOCKS = new Set(['tool_use', 'tool_result', 'thinking', 'redacted_thinking', 'document', 'server_tool_use', 'mcp_tool_use', 'search_result', 'container_upload']);
/** Request fields only Anthropic's Messages API has (OpenAI Chat has none of these). */
const ANTHROPIC_FIELDS = ['system', 'thinking', 'stop_sequences', 'mcp_servers', 'container', 'context_management', 'output_config', 'anthropic_version', 'anthropic_beta', 'service_tier_anthropic'];
/** Request fields only OpenAI Chat Completions (and the servers that copy it) has. */
const OPENAI_FIELDS = [
  'max_completion_tokens', 'reasoning_effort', 'response_format', 'functions', 'function_call', 'n', 'logprobs', 'top_logprobs', 'presence_penalty', 'frequency_penalty',
  'stream_options', 'web_search_options', 'parallel_tool_calls', 'seed', 'modalities', 'audio', 'prediction', 'logit_bias', 'user', 'verbosity',
];
/** Roles only OpenAI Chat has; `system` is not one: Anthropic takes `role: "system"` turns too. */
const OPENAI_ROLES = new Set(['developer', 'tool', 'function']);
/** Messages looked at before deciding: the signals show up early, and a huge history must not cost time. */
const SCAN_LIMIT = 200;

type MessagesFormat = 'anthropic' | 'openai-chat';

/** What a detection found: the format, or `unknown` with the formats it could not tell apart. */
export interface Detection {
  format: TraceFormat;
  /** Set when the evidence was even: both candidates, named in the label instead of a guess. */
  candidates?: TraceFormat[];
}

function has(req: Json, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(req, key) && req[key] !== undefined && req[key] !== null;
}

/** Anthropic and OpenAI Chat both send `messages`: this counts the fields and blocks only one of them has. */
function messagesEvidence(req: Json): Record<MessagesFormat, number> {
  const score: Record<MessagesFormat, number> = { anthropic: 0, 'openai-chat': 0 };
  score.anthropic += ANTHROPIC_FIELDS.filter((k) => has(req, k)).length;
  score['openai-chat'] += OPENAI_FIELDS.filter((k) => has(req, k)).length;
  const toolChoice = req.tool_choice;
  if (typeof toolChoice === 'string' || (isRecord(toolChoice) && (toolChoice.type === 'function' || toolChoice.type === 'allowed_tools' || toolChoice.type === 'custom'))) {
    score['openai-chat']++;
  } else if (isRecord(toolChoice) && ['auto', 'any', 'tool', 'none'].includes(String(toolChoice.type))) {
    score.anthropic++;
  }
  for (const tool of asArray(req.tools).slice(0, SCAN_LIMIT)) {
    if (isRecord(tool)) {
      if (isRecord(tool.function) || isRecord(tool.custom)) {
        score['openai-chat']++;
      } else if (tool.input_schema !== undefined || /_\d{8}$/.test(String(tool.type))) {
        // `input_schema`, or a versioned server tool such as `web_search_20250305`
        score.anthropic++;
      }
    }
  }
  for (const msg of asArray(req.messages).slice(0, SCAN_LIMIT)) {
    if (!isRecord(msg)) {
      continue;
    }
    if (OPENAI_ROLES.has(String(msg.role)) || Array.isArray(msg.tool_calls) || typeof msg.tool_call_id === 'string') {
      score['openai-chat']++;
    }
    for (const block of asArray(msg.content).slice(0, SCAN_LIMIT)) {
      if (!isRecord(block)) {
        continue;
      }
      const type = String(block.type);
      if (ANTHROPIC_BLOCKS.has(type) || type.endsWith('_tool_result') || (type === 'image' && isRecord(block.source)) || block.cache_control !== undefined) {
        score.anthropic++;
      } else if (type === 'image_url' || type === 'input_audio' || type === 'file') {
        score['openai-chat']++;
      }
    }
  }
  return score;
}

/** The format an error body has, where only one provider writes it that way. */
function errorFormat(res: Json): TraceFormat {
  // Anthropic: `{"type": "error", "error": {"type", "message"}}`
  return res.type === 'error' && isRecord(res.error) ? 'anthropic' : 'unknown';
}

/**
 * The format of a `request_json`. `responseFormat` (the other side, when known) counts as one more
 * piece of evidence: a request with no field only one provider has is told by its response.
 */
export function detectRequest(req: unknown, responseFormat: TraceFormat = 'unknown'): Detection {
  if (!isRecord(req)) {
    return { format: 'unknown' };
  }
  if (Array.isArray(req.contents) || typeof req.contents === 'string') {
    return { format: 'google' };
  }
  if (Array.isArray(req.messages)) {
    const score = messagesEvidence(req);
    if (responseFormat === 'anthropic' || responseFormat === 'openai-chat') {
      score[responseFormat]++;
    }
    if (score.anthropic !== score['openai-chat']) {
      return { format: score.anthropic > score['openai-chat'] ? 'anthropic' : 'openai-chat' };
    }
    return { format: 'unknown', candidates: ['openai-chat', 'anthropic'] };
  }
  if (Array.isArray(req.input) || typeof req.input === 'string') {
    return { format: 'openai-responses' };
  }
  return { format: 'unknown' };
}

/** The format of a `request_json` judged on its own (no response to weigh). */
export function detectRequestFormat(req: unknown): TraceFormat {
  return detectRequest(req).format;
}

/** The format of a `response_json`; a failed call (`{error, error_type}`) is `unknown` here, see `readError`. */
export function detectResponseFormat(res: unknown): TraceFormat {
  if (!isRecord(res)) {
    return 'unknown';
  }
  if (Array.isArray(res.choices)) {
    return 'openai-chat';
  }
  if (Array.isArray(res.candidates) || isRecord(pick(res, 'usage_metadata', 'usageMetadata'))) {
    return 'google';
  }
  if (isLettaStream(res)) {
    return 'letta-stream';
  }
  if (Array.isArray(res.output) || res.object === 'response') {
    return 'openai-responses';
  }
  if (Array.isArray(res.content) && (res.type === 'message' || res.role !== undefined || res.stop_reason !== undefined)) {
    return 'anthropic';
  }
  return 'unknown';
}

/** True for `null`, absent and `{}`: a side with nothing recorded, which is no format at all. */
export function isEmptySide(value: unknown): boolean {
  return value === undefined || value === null || (isRecord(value) && Object.keys(value).length === 0);
}

/** Both sides' formats and the label the viewer shows; one function so the header, hover and viewer agree. */
export interface TraceFormats {
  request: Detection;
  response: TraceFormat;
  /** The failed call's error, read once here (see `readError`). */
  error?: { message: string; type?: string };
  format: TraceFormat;
  label: string;
}

export function detectTraceFormats(req: unknown, res: unknown): TraceFormats {
  const error = readError(res);
  const response = error ? 'unknown' : detectResponseFormat(res);
  const evidence = response !== 'unknown' ? response : isRecord(res) ? errorFormat(res) : 'unknown';
  const request = detectRequest(req, evidence);
  const format = request.format !== 'unknown' ? request.format : response;
  let label: string;
  if (request.format !== 'unknown' && response === 'letta-stream') {
    label = l10n.t('{0} (streamed)', formatLabel(request.format));
  } else if (format === 'unknown' && request.candidates) {
    label = l10n.t('Unknown format (looks like {0})', formatNames(request.candidates));
  } else if (format === 'unknown' && isEmptySide(req) && isEmptySide(res)) {
    label = l10n.t('Empty trace');
  } else {
    label = formatLabel(format);
  }
  return error ? { request, response, error, format, label } : { request, response, format, label };
}

const MAX_ERROR_CHARS = 4000;

function clip(text: string): string {
  return text.length > MAX_ERROR_CHARS ? text.slice(0, MAX_ERROR_CHARS) + '…' : text;
}

/**
 * The error of a failed call: Letta's `{error, error_type}`, an Anthropic `{type: "error", error}`,
 * or a Responses object with `status: "failed"`. Undefined when the response is no error.
 */
export function readError(res: unknown): { message: string; type?: string } | undefined {
  if (!isRecord(res)) {
    return undefined;
  }
  const error = res.error;
  const errorType = asString(res.error_type);
  if (typeof error === 'string' && error !== '') {
    return errorType === undefined ? { message: clip(error) } : { message: clip(error), type: errorType };
  }
  if (isRecord(error)) {
    const message = asString(error.message) ?? safeStringify(error);
    const type = errorType ?? asString(error.type) ?? asString(error.code);
    return type === undefined ? { message: clip(message) } : { message: clip(message), type };
  }
  if (errorType !== undefined) {
    return { message: clip(asString(res.detail) ?? asString(res.message) ?? errorType), type: errorType };
  }
  return undefined;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value).slice(0, MAX_ERROR_CHARS);
  } catch {
    return l10n.t('Unreadable error');
  }
}

/** `OpenAI Chat Completions or Anthropic Messages`. */
export function formatNames(formats: readonly TraceFormat[]): string {
  return formats.map(formatLabel).join(l10n.t(' or '));
}

/** Recognises each side of a trace. Request and response are detected apart: a streamed step pairs an OpenAI or Anthropic request with Letta's stream summary. */
import type { TraceFormat } from './model';
import { isLettaStream } from './lettaStream';
import { asArray, asString, isRecord, pick } from './util';

export const FORMAT_LABELS: Readonly<Record<TraceFormat, string>> = {
  'openai-chat': 'OpenAI Chat Completions',
  'openai-responses': 'OpenAI Responses',
  anthropic: 'Anthropic Messages',
  google: 'Google Gemini',
  'letta-stream': 'Letta streamed response',
  unknown: 'Unknown format',
};

const ANTHROPIC_BLOCKS = new Set(['tool_use', 'tool_result', 'thinking', 'redacted_thinking', 'document', 'server_tool_use']);
const OPENAI_ROLES = new Set(['system', 'developer', 'tool', 'function']);
/** Messages looked at before deciding: the signals show up early, and a huge history must not cost time. */
const SCAN_LIMIT = 200;

/** Anthropic and OpenAI Chat both send `messages`; this weighs the signs of each. */
function messagesFormat(req: Record<string, unknown>): 'anthropic' | 'openai-chat' {
  let anthropic = 0;
  let openai = 0;
  if (req.system !== undefined || isRecord(req.thinking)) {
    anthropic++;
  }
  if (req.max_completion_tokens !== undefined || req.reasoning_effort !== undefined || req.response_format !== undefined || Array.isArray(req.functions)) {
    openai++;
  }
  const toolChoice = req.tool_choice;
  if (typeof toolChoice === 'string' || (isRecord(toolChoice) && (toolChoice.type === 'function' || toolChoice.type === 'allowed_tools'))) {
    openai++;
  } else if (isRecord(toolChoice) && ['auto', 'any', 'tool', 'none'].includes(String(toolChoice.type))) {
    anthropic++;
  }
  for (const tool of asArray(req.tools).slice(0, SCAN_LIMIT)) {
    if (isRecord(tool)) {
      if (isRecord(tool.function)) {
        openai++;
      } else if (tool.input_schema !== undefined) {
        anthropic++;
      }
    }
  }
  for (const msg of asArray(req.messages).slice(0, SCAN_LIMIT)) {
    if (!isRecord(msg)) {
      continue;
    }
    if (OPENAI_ROLES.has(String(msg.role)) || Array.isArray(msg.tool_calls) || typeof msg.tool_call_id === 'string') {
      openai++;
    }
    for (const block of asArray(msg.content).slice(0, SCAN_LIMIT)) {
      if (!isRecord(block)) {
        continue;
      }
      if (ANTHROPIC_BLOCKS.has(String(block.type)) || (block.type === 'image' && isRecord(block.source))) {
        anthropic++;
      } else if (block.type === 'image_url' || block.type === 'input_audio' || block.type === 'file') {
        openai++;
      }
    }
  }
  // with no sign either way, the OpenAI shape is the more common (OpenAI-compatible servers)
  return anthropic > openai ? 'anthropic' : 'openai-chat';
}

/** The format of a `request_json`. */
export function detectRequestFormat(req: unknown): TraceFormat {
  if (!isRecord(req)) {
    return 'unknown';
  }
  if (Array.isArray(req.contents) || typeof req.contents === 'string') {
    return 'google';
  }
  if (Array.isArray(req.messages)) {
    return messagesFormat(req);
  }
  if (Array.isArray(req.input) || typeof req.input === 'string') {
    return 'openai-responses';
  }
  return 'unknown';
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
    return 'Unreadable error';
  }
}

/**
 * Small readers shared by the normalisers. Trace JSON is untrusted and of any shape, so every
 * reader checks types and none of them throws. Values are referenced, never deep-copied: traces
 * can be tens of megabytes.
 */
import * as l10n from '@vscode/l10n';
import type { Message, Part, Role } from './model';

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite number; anything else (strings included) is undefined. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  return undefined;
}

/** The first of several spellings that is present (snake_case and camelCase from different SDKs). */
export function pick(obj: Json, ...keys: string[]): unknown {
  for (const key of keys) {
    if (Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined) {
      return obj[key];
    }
  }
  return undefined;
}

/** Own keys of `obj` except `excluded`, as a new shallow object (values are shared, not copied). */
export function without(obj: Json, excluded: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    if (!excluded.includes(key)) {
      // defineProperty, so a key named `__proto__` stays a plain key instead of changing the prototype
      Object.defineProperty(out, key, { value: obj[key], enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

/**
 * Parses JSON text such as tool-call arguments. Returns `{ ok: false }` for anything that is not
 * JSON (the caller keeps the raw string). Only text that starts like JSON is tried, so plain prose
 * costs nothing.
 */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false } {
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13 || text.charCodeAt(i) === 9)) {
    i++;
  }
  if (i === text.length) {
    return { ok: false };
  }
  const first = text[i];
  if (first !== '{' && first !== '[' && first !== '"' && first !== '-' && !(first >= '0' && first <= '9') && first !== 't' && first !== 'f' && first !== 'n') {
    return { ok: false };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // a RangeError from very deep nesting lands here too: the raw text is the safe answer
    return { ok: false };
  }
}

/** Tool-call arguments: parsed when they are JSON text, else the raw value as sent. */
export function parseArguments(raw: unknown): unknown {
  if (typeof raw !== 'string') {
    return raw;
  }
  const parsed = parseJsonText(raw);
  return parsed.ok ? parsed.value : raw;
}

/** The decoded size of base64 text, from its length alone (the data is never decoded). */
export function base64Bytes(data: string): number {
  let len = data.length;
  // tolerate line breaks that some encoders insert, without scanning huge payloads twice
  if (len < 1_000_000 && /\s/.test(data)) {
    len = data.replace(/\s+/g, '').length;
  }
  let padding = 0;
  if (len > 0 && data[data.length - 1] === '=') {
    padding = data.length > 1 && data[data.length - 2] === '=' ? 2 : 1;
  }
  return Math.max(0, Math.floor((len * 3) / 4) - padding);
}

/**
 * An image part from a URL. A `data:` URL becomes media type and size (its data is dropped); any
 * other URL is kept as text for display, never to be loaded.
 */
export function imageFromUrl(url: string, mediaType?: string): Part {
  if (url.slice(0, 5).toLowerCase() === 'data:') {
    const comma = url.indexOf(',');
    const header = comma >= 0 ? url.slice(5, comma) : url.slice(5, 200);
    const isBase64 = /;base64$/i.test(header);
    const type = header.split(';')[0] || mediaType;
    const payloadLength = comma >= 0 ? url.length - comma - 1 : 0;
    const bytes = isBase64 ? base64Bytes(comma >= 0 ? url.slice(comma + 1) : '') : payloadLength;
    return dropUndefined({ kind: 'image', mediaType: type || undefined, bytes });
  }
  return dropUndefined({ kind: 'image', mediaType, url: url.length > 2048 ? url.slice(0, 2048) + '…' : url });
}

/** Inline base64 image data. */
export function imageFromBase64(data: unknown, mediaType: unknown): Part {
  return dropUndefined({ kind: 'image', mediaType: asString(mediaType), bytes: typeof data === 'string' ? base64Bytes(data) : undefined });
}

/**
 * A non-image block (file, audio, document, unknown type) shown as JSON. Long inline `data` / `file_data`
 * strings are replaced by their size so a megabyte of base64 never reaches the view.
 */
export function jsonPart(label: string, value: unknown): Part {
  return { kind: 'json', label, value: redactInlineData(value) };
}

const INLINE_DATA_KEYS = ['data', 'file_data', 'fileData', 'base64'];

function redactInlineData(value: unknown, depth = 0): unknown {
  if (!isRecord(value) || depth > 3) {
    return value;
  }
  let copy: Json | undefined;
  for (const key of Object.keys(value)) {
    const v = value[key];
    let replaced: unknown = v;
    if (INLINE_DATA_KEYS.includes(key) && typeof v === 'string' && v.length > 256) {
      replaced = `<${base64Bytes(v)} bytes of inline data>`;
    } else if (isRecord(v)) {
      replaced = redactInlineData(v, depth + 1);
    }
    if (replaced !== v) {
      copy ??= without(value, []);
      copy[key] = replaced;
    }
  }
  return copy ?? value;
}

/** Keys whose values are credentials (MCP `authorization_token`, `headers`): left out of anything shown. */
const SECRET_KEYS = /^(authorization(_token)?|headers|api_?key|access_token|token|password|secret)$/i;

/**
 * A tool's settings without the credentials some of them carry (an MCP server's token or
 * headers): the viewer shows tool settings, and a key must not sit in plain view. The raw JSON
 * still has them, as sent.
 */
export function withoutSecrets(config: Record<string, unknown>): Record<string, unknown> {
  const secret = Object.keys(config).filter((k) => SECRET_KEYS.test(k));
  if (secret.length === 0) {
    return config;
  }
  const out = without(config, secret);
  Object.defineProperty(out, 'credentials', { value: `${secret.join(', ')} not shown`, enumerable: true, writable: true, configurable: true });
  return out;
}

export function dropUndefined<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as (keyof T)[]) {
    if (obj[key] === undefined) {
      delete obj[key];
    }
  }
  return obj;
}

/** Maps a provider's role name onto the model's roles. */
export function toRole(role: unknown, notes: string[]): Role {
  switch (role) {
    case 'system':
    case 'developer':
    case 'user':
    case 'assistant':
    case 'tool':
      return role;
    case 'model':
      return 'assistant';
    case 'function':
    case 'ipython':
      return 'tool';
    default:
      addNote(notes, l10n.t('A message with role {0} is shown as a user message.', JSON.stringify(typeof role === 'string' ? role.slice(0, 40) : role ?? null)));
      return 'user';
  }
}

/** Adds a note once: a thousand odd messages give one line, not a thousand. */
export function addNote(notes: string[], note: string): void {
  if (!notes.includes(note) && notes.length < 50) {
    notes.push(note);
  }
}

export function message(role: Role, parts: Part[], name?: string): Message {
  return name === undefined ? { role, parts } : { role, name, parts };
}

/** Per-trace state the sides share: tool-call names by ID (so results show the tool's name), and notes. */
export interface NormaliseContext {
  toolNames: Map<string, string>;
  notes: string[];
}

export function newContext(): NormaliseContext {
  return { toolNames: new Map(), notes: [] };
}

/** A tool-call part, remembering its name for the result that answers it. */
export function toolCall(ctx: NormaliseContext, id: unknown, name: unknown, args: unknown): Part {
  const callId = typeof id === 'string' && id !== '' ? id : undefined;
  const toolName = typeof name === 'string' ? name : '(unnamed tool)';
  if (callId !== undefined) {
    ctx.toolNames.set(callId, toolName);
  }
  return dropUndefined({ kind: 'tool-call' as const, id: callId, name: toolName, arguments: parseArguments(args) });
}

/** A tool-result part; its name comes from the format or from the call with the same ID. */
export function toolResult(ctx: NormaliseContext, callId: unknown, content: Part[], name?: unknown, isError?: unknown): Part {
  const id = typeof callId === 'string' && callId !== '' ? callId : undefined;
  const toolName = typeof name === 'string' ? name : id !== undefined ? ctx.toolNames.get(id) : undefined;
  return dropUndefined({ kind: 'tool-result' as const, toolCallId: id, name: toolName, content, isError: isError === true ? true : undefined });
}

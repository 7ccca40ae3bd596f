/** The JSON text of a trace's parts, as the read-only documents and saved files show them. Pure. */
import type { ProviderTrace } from './lettaTypes';

/** A trace's parts (here, not in traceUri.ts, so the webview can type-check what reads them without Node's types). */
export const TRACE_PARTS = ['request', 'response', 'metadata'] as const;
export type TracePart = (typeof TRACE_PARTS)[number];

/** The metadata part: every field of the trace but the request and the response. */
export function traceMetadata(trace: ProviderTrace): Record<string, unknown> {
  return Object.fromEntries(Object.entries(trace).filter(([key]) => key !== 'request_json' && key !== 'response_json'));
}

export function tracePartValue(trace: ProviderTrace, part: TracePart): unknown {
  return part === 'request' ? trace.request_json : part === 'response' ? trace.response_json : traceMetadata(trace);
}

/**
 * Levels deeper than this are written on their parent's line. Indentation grows with depth, so
 * indenting a hostile 10,000-level trace would write about 200 MB of spaces.
 */
export const MAX_INDENT_DEPTH = 64;

/**
 * Pretty JSON with two-space indents, all of the data, for any input. The engine's JSON.stringify
 * recurses and overflows the stack on very deep data, and its output grows quadratically with the
 * depth; such data takes an iterative printer that stops indenting at `MAX_INDENT_DEPTH`.
 */
export function prettyJson(value: unknown): string {
  if (!deeperThan(value, MAX_INDENT_DEPTH)) {
    try {
      return JSON.stringify(value, null, 2) ?? 'null';
    } catch (e) {
      if (!(e instanceof RangeError)) {
        throw e;
      }
    }
  }
  return prettyJsonIterative(value);
}

/** True when `value` nests more than `limit` arrays or objects deep (stops looking once it does). */
export function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) {
      continue;
    }
    if (depth + 1 > limit) {
      return true;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) {
        stack.push([child, depth + 1]);
      }
    }
  }
  return false;
}

type Frame = { kind: 'array'; items: unknown[]; i: number; depth: number } | { kind: 'object'; entries: [string, unknown][]; i: number; depth: number };

/**
 * `JSON.stringify(value)` for any input: data too deep for the engine's recursion (`JSON.parse` has
 * no such limit, so a server can send it) takes the iterative printer, on one line.
 */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (e) {
    if (!(e instanceof RangeError)) {
      throw e;
    }
    return prettyJsonIterative(value, -1);
  }
}

/**
 * `JSON.stringify(value, null, 2)` without recursion; containers below `maxIndentDepth` are written
 * compactly on one line (the same text as JSON.stringify where the data is shallower than that).
 * With `maxIndentDepth` -1 it is `JSON.stringify(value)`: all on one line.
 */
export function prettyJsonIterative(value: unknown, maxIndentDepth = MAX_INDENT_DEPTH): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const newline = (depth: number) => (depth <= maxIndentDepth ? '\n' + '  '.repeat(depth) : '');
  const open = (v: unknown, depth: number): void => {
    if (Array.isArray(v)) {
      if (v.length === 0) {
        out.push('[]');
      } else {
        out.push('[');
        stack.push({ kind: 'array', items: v, i: 0, depth });
      }
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function' && typeof x !== 'symbol');
      if (entries.length === 0) {
        out.push('{}');
      } else {
        out.push('{');
        stack.push({ kind: 'object', entries, i: 0, depth });
      }
    } else {
      out.push(JSON.stringify(v) ?? 'null');
    }
  };
  open(value, 0);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const length = frame.kind === 'array' ? frame.items.length : frame.entries.length;
    const compact = frame.depth + 1 > maxIndentDepth;
    if (frame.i === length) {
      stack.pop();
      out.push(compact ? '' : newline(frame.depth), frame.kind === 'array' ? ']' : '}');
      continue;
    }
    out.push(frame.i > 0 ? ',' : '', newline(frame.depth + 1));
    if (frame.kind === 'array') {
      const item = frame.items[frame.i++];
      // As JSON.stringify: an array slot that cannot be JSON is null.
      open(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item, frame.depth + 1);
    } else {
      const [key, v] = frame.entries[frame.i++];
      out.push(JSON.stringify(key), compact ? ':' : ': ');
      open(v, frame.depth + 1);
    }
  }
  return out.join('');
}

/**
 * About how many characters `JSON.stringify(value)` would write, without writing them and without
 * recursion (traces can nest thousands of levels deep).
 */
export function approximateJsonSize(value: unknown): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      size += v.length + 2;
    } else if (Array.isArray(v)) {
      size += 2 + v.length;
      for (const item of v) {
        stack.push(item);
      }
    } else if (typeof v === 'object' && v !== null) {
      size += 2;
      for (const key of Object.keys(v)) {
        size += key.length + 4;
        stack.push((v as Record<string, unknown>)[key]);
      }
    } else {
      size += typeof v === 'number' ? String(v).length : 5;
    }
  }
  return size;
}

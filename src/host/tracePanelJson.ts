/**
 * JSON helpers for data that may nest deeper than `JSON.stringify`'s recursion allows (about 4,000
 * levels in Node; `JSON.parse` has no such limit, so a server can send it). No `vscode` import.
 */

/** Deeper than this, a value inside the conversation is replaced by a note: the Raw JSON tab still has it all. */
export const CONVERSATION_MAX_DEPTH = 200;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `JSON.stringify(value)` for data parsed from JSON, falling back to a loop when the native one runs out of stack. */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (e) {
    if (!(e instanceof RangeError)) {
      throw e;
    }
    return stringifyIteratively(value);
  }
}

interface Frame {
  value: unknown[] | Record<string, unknown>;
  keys: string[] | undefined;
  index: number;
}

function primitive(value: unknown): string | undefined {
  if (value === null) {
    return 'null';
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return String(value);
    case 'object':
      return undefined;
    default:
      // undefined, functions, symbols, bigint: what JSON.stringify does for an array slot.
      return 'null';
  }
}

/** The loop behind `stringifyJson`, exported for tests. */
export function stringifyIteratively(root: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = (value: unknown) => {
    const p = primitive(value);
    if (p !== undefined) {
      out.push(p);
      return;
    }
    const isArray = Array.isArray(value);
    out.push(isArray ? '[' : '{');
    stack.push({ value: value as Frame['value'], keys: isArray ? undefined : Object.keys(value as object), index: 0 });
  };
  open(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.keys === undefined) {
      const arr = frame.value as unknown[];
      if (frame.index >= arr.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (frame.index > 0) {
        out.push(',');
      }
      open(arr[frame.index++]);
    } else {
      const obj = frame.value as Record<string, unknown>;
      // Skip what JSON.stringify skips in objects.
      while (frame.index < frame.keys.length && isSkipped(obj[frame.keys[frame.index]])) {
        frame.index++;
      }
      if (frame.index >= frame.keys.length) {
        out.push('}');
        stack.pop();
        continue;
      }
      const key = frame.keys[frame.index++];
      if (out[out.length - 1] !== '{') {
        out.push(',');
      }
      out.push(JSON.stringify(key), ':');
      open(obj[key]);
    }
  }
  return out.join('');
}

function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * The value itself when it nests no deeper than `maxDepth`, else a copy with the deeper parts
 * replaced by a note (so it survives `postMessage`, which serialises with `JSON.stringify`).
 */
export function limitDepth<T>(value: T, maxDepth: number): T {
  if (depthExceeds(value, maxDepth)) {
    return copyLimited(value, maxDepth) as T;
  }
  return value;
}

function depthExceeds(root: unknown, maxDepth: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') {
      continue;
    }
    if (depth >= maxDepth) {
      return true;
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (child !== null && typeof child === 'object') {
        stack.push({ value: child, depth: depth + 1 });
      }
    }
  }
  return false;
}

function copyLimited(root: unknown, maxDepth: number): Json {
  const note = `(nested more than ${maxDepth} levels deep: see the Raw JSON tab)`;
  const make = (value: unknown): Json => (value === null || typeof value !== 'object' ? (value as Json) : Array.isArray(value) ? [] : {});
  const result = make(root);
  const stack: { from: unknown; to: Json; depth: number }[] = [{ from: root, to: result, depth: 0 }];
  while (stack.length > 0) {
    const { from, to, depth } = stack.pop()!;
    if (from === null || typeof from !== 'object') {
      continue;
    }
    const entries: [string | number, unknown][] = Array.isArray(from) ? from.map((v, i) => [i, v]) : Object.entries(from);
    for (const [key, child] of entries) {
      let copy: Json;
      if (child !== null && typeof child === 'object' && depth + 1 >= maxDepth) {
        copy = note;
      } else {
        copy = make(child);
        stack.push({ from: child, to: copy, depth: depth + 1 });
      }
      (to as Record<string | number, Json>)[key] = copy;
    }
  }
  return result;
}

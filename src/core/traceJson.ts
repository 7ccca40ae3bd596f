/** The JSON text of a trace's parts, as the read-only documents and saved files show them. Pure. */
import type { ProviderTrace } from './lettaTypes';
import type { TracePart } from './traceUri';

/** The metadata part: every field of the trace but the request and the response. */
export function traceMetadata(trace: ProviderTrace): Record<string, unknown> {
  const { request_json: _request, response_json: _response, ...rest } = trace;
  return rest;
}

export function tracePartValue(trace: ProviderTrace, part: TracePart): unknown {
  return part === 'request' ? trace.request_json : part === 'response' ? trace.response_json : traceMetadata(trace);
}

/**
 * Pretty JSON with two-space indents. The engine's JSON.stringify recurses and overflows the stack
 * on very deep data (a hostile trace can nest 10,000 levels), so that case takes an iterative
 * printer: a document always opens, with all of its data.
 */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? 'null';
  } catch (e) {
    if (e instanceof RangeError) {
      return prettyJsonIterative(value);
    }
    throw e;
  }
}

type Frame = { kind: 'array'; items: unknown[]; i: number; depth: number } | { kind: 'object'; entries: [string, unknown][]; i: number; depth: number };

/** The same text as `JSON.stringify(value, null, 2)`, without recursion. */
export function prettyJsonIterative(value: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const indent = (depth: number) => '\n' + '  '.repeat(depth);
  const open = (v: unknown, depth: number): void => {
    if (Array.isArray(v)) {
      if (v.length === 0) {
        out.push('[]');
      } else {
        out.push('[');
        stack.push({ kind: 'array', items: v, i: 0, depth });
      }
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function');
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
    if (frame.i === length) {
      stack.pop();
      out.push(indent(frame.depth), frame.kind === 'array' ? ']' : '}');
      continue;
    }
    out.push(frame.i > 0 ? ',' : '', indent(frame.depth + 1));
    if (frame.kind === 'array') {
      open(frame.items[frame.i++], frame.depth + 1);
    } else {
      const [key, v] = frame.entries[frame.i++];
      out.push(JSON.stringify(key), ': ');
      open(v, frame.depth + 1);
    }
  }
  return out.join('');
}

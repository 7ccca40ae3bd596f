/** Paths into the raw JSON, and their JavaScript-like text for "Copy JSON path". */

/** A key, an index, or "the JSON decoded from this string". */
export type { PathSegment } from '../core/viewer/traceStubs';
import type { PathSegment } from '../core/viewer/traceStubs';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.request.messages[0].content`, `JSON.parse($.response.body).id`. */
export function pathToString(path: readonly PathSegment[]): string {
  let out = '$';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
    } else if (typeof segment === 'string') {
      out += IDENTIFIER.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
    } else {
      out = `JSON.parse(${out})`;
    }
  }
  return out;
}

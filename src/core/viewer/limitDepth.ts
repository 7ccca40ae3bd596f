/**
 * The conversation the viewer receives, cut to a depth `postMessage` can carry (it serialises with
 * the engine's recursive JSON, which a 10,000-deep trace overflows). No `vscode` import.
 */
import * as l10n from '@vscode/l10n';
import { deeperThan } from '../traceJson';

/** Deeper than this, a value inside the conversation is replaced by a note: the Raw JSON tab still has it all. */
export const CONVERSATION_MAX_DEPTH = 200;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The value itself when it nests no deeper than `maxDepth`, else a copy with the deeper parts
 * replaced by a note (so it survives `postMessage`, which serialises with `JSON.stringify`).
 */
export function limitDepth<T>(value: T, maxDepth: number): T {
  if (deeperThan(value, maxDepth)) {
    return copyLimited(value, maxDepth) as T;
  }
  return value;
}

function copyLimited(root: unknown, maxDepth: number): Json {
  const note = l10n.t('(nested more than {0} levels deep: see the Raw JSON tab)', maxDepth);
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

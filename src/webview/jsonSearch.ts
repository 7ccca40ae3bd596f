/**
 * Finds text in the raw JSON (keys and values, case-insensitive) without building any DOM, in
 * slices so a 50 MB trace keeps the page responsive while the count grows.
 */
import type { PathSegment } from './jsonPath';
import { yieldToBrowser } from './scheduler';

export interface SearchMatch {
  path: PathSegment[];
  /** The key matched (else the value). */
  inKey: boolean;
}

export const MAX_MATCHES = 10_000;
const SLICE_MS = 10;

export interface SearchProgress {
  matches: SearchMatch[];
  done: boolean;
  capped: boolean;
}

/**
 * Walks `roots` with an explicit stack (no recursion, so 10,000-deep nesting is fine) and reports
 * progress after each slice. `isCancelled` stops it when the query changes.
 */
export async function searchJson(
  roots: { key: string; value: unknown }[],
  query: string,
  onProgress: (progress: SearchProgress) => void,
  isCancelled: () => boolean,
): Promise<void> {
  const needle = query.toLowerCase();
  const matches: SearchMatch[] = [];
  // Paths as parent links, turned into arrays only for matches: a copied array per node would be
  // quadratic in memory on deeply nested data.
  interface Entry {
    value: unknown;
    key: PathSegment;
    parent: Entry | undefined;
  }
  const toPath = (entry: Entry): PathSegment[] => {
    const path: PathSegment[] = [];
    for (let e: Entry | undefined = entry; e; e = e.parent) {
      path.push(e.key);
    }
    return path.reverse();
  };
  const stack: Entry[] = [];
  for (let i = roots.length - 1; i >= 0; i--) {
    stack.push({ value: roots[i].value, key: roots[i].key, parent: undefined });
  }
  const hit = (text: string) => text.toLowerCase().includes(needle);
  let sliceEnd = performance.now() + SLICE_MS;
  while (stack.length > 0) {
    if (performance.now() > sliceEnd) {
      onProgress({ matches, done: false, capped: false });
      await yieldToBrowser();
      if (isCancelled()) {
        return;
      }
      sliceEnd = performance.now() + SLICE_MS;
    }
    const entry = stack.pop()!;
    const value = entry.value;
    if (value !== null && typeof value === 'object') {
      // Children pushed in reverse so matches come out in document order.
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) {
          stack.push({ value: value[i], key: i, parent: entry });
        }
      } else {
        const keys = Object.keys(value);
        for (let i = keys.length - 1; i >= 0; i--) {
          stack.push({ value: (value as Record<string, unknown>)[keys[i]], key: keys[i], parent: entry });
        }
      }
    }
    if (entry.parent && typeof entry.key === 'string' && hit(entry.key)) {
      matches.push({ path: toPath(entry), inKey: true });
    } else if ((value === null || typeof value !== 'object') && hit(String(value))) {
      matches.push({ path: toPath(entry), inKey: false });
    }
    if (matches.length >= MAX_MATCHES) {
      onProgress({ matches, done: true, capped: true });
      return;
    }
  }
  onProgress({ matches, done: true, capped: false });
}

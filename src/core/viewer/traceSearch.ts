/**
 * Find in the trace (issue 18): one search over everything a trace holds — the request, response
 * and metadata as sent (every message and part, the system prompt, tool calls and results,
 * reasoning, tool definitions, parameters), every key, every string however long, and the JSON
 * inside strings (a string that is a JSON object or array is searched as the value it decodes to,
 * its matches located under a `{ decoded: true }` path segment, as the Raw JSON tree shows it).
 *
 * It runs in the extension host over the whole trace (the page holds only what was posted), in
 * slices of `sliceMs`, yielding between them, so no task takes long however big the trace or slow
 * the pattern: long strings are scanned in windows of `WINDOW` characters. The first match is
 * reported as soon as it is found; the total when the walk is done. Pure: no `vscode` import.
 */
import * as l10n from '@vscode/l10n';
import type { PathSegment } from './traceStubs';

export interface FindOptions {
  caseSensitive?: boolean;
  wholeWord?: boolean;
  /** The query is a JavaScript regular expression (without slashes or flags). */
  regex?: boolean;
}

/** One match: the key or value at `path` (of the raw roots), characters `offset` .. `offset + length`. */
export interface FindMatch {
  path: PathSegment[];
  /** The match is in the key of the entry at `path`, not in its value. */
  inKey: boolean;
  offset: number;
  length: number;
}

/** A compiled query, or why the query cannot be searched for. */
export type Matcher = { ok: true; find: (text: string, from: number, to: number) => { index: number; length: number } | undefined } | { ok: false; error: string };

/** Characters of a long string scanned in one go, and how far past the window a match may reach. */
export const WINDOW = 64_000;
export const OVERLAP = 1_000;
/** A match longer than this (a regular expression's) may be cut where a window ends. */
export const MAX_MATCH = OVERLAP;
/** Strings up to this long that hold JSON are searched as the value they decode to. */
export const DECODE_MAX = 1_000_000;
/** Locations kept for stepping through; the count goes on past it. */
export const MAX_LOCATIONS = 100_000;

const WORD_CHAR = /[\p{L}\p{N}_]/u;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Compiles `query` with `options`; a bad pattern gives `{ ok: false, error }`, never an exception.
 * `find` returns the first non-empty match starting in `from` .. `to - 1` of `text`, looking at
 * most `OVERLAP` characters past `to` (and back before `from`, for look-behinds and word edges).
 */
export function compileQuery(query: string, options: FindOptions = {}): Matcher {
  if (query === '') {
    return { ok: false, error: l10n.t('Type something to find.') };
  }
  // Plain, case-sensitive text: indexOf, the fastest scan there is.
  if (!options.regex && options.caseSensitive && !options.wholeWord) {
    return {
      ok: true,
      find: (text, from, to) => {
        const at = text.indexOf(query, from);
        return at >= 0 && at < to ? { index: at, length: query.length } : undefined;
      },
    };
  }
  const lowered = !options.regex && !options.caseSensitive ? lowercaseFinder(query) : undefined;
  let re: RegExp;
  try {
    re = new RegExp(options.regex ? query : escapeRegExp(query), `gu${options.caseSensitive ? '' : 'i'}`);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
    return { ok: false, error: l10n.t('Not a valid regular expression: {0}', why) };
  }
  const wholeWord = options.wholeWord === true;
  const plain = !options.regex;
  // A plain query's match is the query's length: the window reaches that far past its end.
  const reach = plain ? Math.max(OVERLAP, query.length) : OVERLAP;
  const byRegExp = (text: string, from: number, to: number): { index: number; length: number } | undefined => {
      // A plain query in a long string needs no context around the window: the exact string.
      const start = plain ? from : Math.max(0, from - OVERLAP);
      const end = Math.min(text.length, to + reach);
      const window = start === 0 && end === text.length ? text : text.slice(start, end);
      re.lastIndex = from - start;
      for (;;) {
        const m = re.exec(window);
        if (!m) {
          return undefined;
        }
        const index = m.index + start;
        if (index >= to) {
          return undefined;
        }
        if (m[0].length === 0) {
          // An empty match counts for nothing; step past it (a whole code point under the u flag).
          re.lastIndex = m.index + (window.codePointAt(m.index)! > 0xffff ? 2 : 1);
          continue;
        }
        if (wholeWord && !isWholeWord(text, index, m[0].length)) {
          re.lastIndex = m.index + 1;
          continue;
        }
        return { index, length: m[0].length };
      }
  };
  if (!lowered) {
    return { ok: true, find: byRegExp };
  }
  return {
    ok: true,
    find: (text, from, to) => {
      for (let at = from; ; ) {
        const m = lowered(text, at, to);
        if (m === null) {
          // Lower case changed the text's length here (U+0130): the regular expression decides.
          return byRegExp(text, at, to);
        }
        if (!m || !wholeWord || isWholeWord(text, m.index, m.length)) {
          return m;
        }
        at = m.index + 1;
      }
    },
  };
}

/**
 * Case-insensitive plain text by `toLowerCase` and `indexOf`, twice as fast as a case-insensitive
 * regular expression (which V8 cannot scan ahead with). Each window of a text is lowered once.
 * Returns null where lowering changes a window's length, so its offsets would not be the text's.
 */
function lowercaseFinder(query: string): ((text: string, from: number, to: number) => { index: number; length: number } | undefined | null) | undefined {
  const needle = query.toLowerCase();
  if (needle.length !== query.length) {
    return undefined;
  }
  let cachedText: string | undefined;
  let cachedStart = 0;
  let cachedTo = -1;
  let lower = '';
  return (text, from, to) => {
    if (text.length - from < needle.length) {
      // Too short to hold it: no lowered copy made (most keys).
      return undefined;
    }
    if (text !== cachedText || to !== cachedTo || from < cachedStart) {
      const end = Math.min(text.length, to + needle.length - 1);
      const piece = from === 0 && end === text.length ? text : text.slice(from, end);
      lower = piece.toLowerCase();
      if (lower.length !== piece.length) {
        cachedText = undefined;
        return null;
      }
      cachedText = text;
      cachedStart = from;
      cachedTo = to;
    }
    const at = lower.indexOf(needle, from - cachedStart);
    return at >= 0 && at + cachedStart < to ? { index: at + cachedStart, length: needle.length } : undefined;
  };
}

function isWholeWord(text: string, index: number, length: number): boolean {
  const before = index > 0 ? String.fromCodePoint(text.codePointAt(index - 1)!) : '';
  const low = index > 1 ? text.charCodeAt(index - 1) : 0;
  // The code point before: a low surrogate belongs to the pair that ends there.
  const prev = low >= 0xdc00 && low <= 0xdfff ? text.slice(index - 2, index) : before;
  const after = index + length < text.length ? String.fromCodePoint(text.codePointAt(index + length)!) : '';
  return !(prev !== '' && WORD_CHAR.test(prev)) && !(after !== '' && WORD_CHAR.test(after));
}

/** How the walk reports and paces itself. */
export interface FindHooks {
  /** Called once with the first match, as soon as it is found. */
  onFirst?: (match: FindMatch) => void;
  /** Called between slices with the count so far. */
  onProgress?: (total: number) => void;
  /** Lets other work run between slices (setImmediate in the host, a timer in a page). */
  yieldNow: () => Promise<void>;
  /** Stops the walk (a newer query came). */
  isCancelled?: () => boolean;
  /** Longest slice of work before yielding. */
  sliceMs?: number;
  /** Locations kept (the count is exact beyond it). */
  maxLocations?: number;
  now?: () => number;
  /** Where the locations go, so they can be read while the walk goes on. */
  into?: FindMatch[];
}

export type FindResult =
  | { ok: true; total: number; matches: FindMatch[]; capped: boolean; cancelled?: boolean; longestSliceMs: number }
  | { ok: false; error: string };

interface Entry {
  value: unknown;
  key: PathSegment;
  parent: Entry | undefined;
}

function pathOf(e: Entry): PathSegment[] {
  const out: PathSegment[] = [];
  for (let n: Entry | undefined = e; n; n = n.parent) {
    out.push(n.key);
  }
  return out.reverse();
}

/** The first character's test, before any copy is made: most strings fail it. */
function startsLikeJson(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 0x7b || c === 0x5b || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** A JSON object or array in a string, decoded; undefined when the string is not one. */
export function decodedJson(text: string): object | undefined {
  if (text.length < 2 || text.length > DECODE_MAX) {
    return undefined;
  }
  if (!startsLikeJson(text)) {
    return undefined;
  }
  const t = text.trim();
  if (!((t[0] === '{' && t.at(-1) === '}') || (t[0] === '[' && t.at(-1) === ']'))) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every match of `query` in `roots`, in document order: for each entry its key (below the roots),
 * then its value (a primitive as its JSON text, a string as itself or, if it holds JSON, what it
 * decodes to). Matches do not overlap within one text.
 */
export async function findInTrace(roots: readonly { key: string; value: unknown }[], query: string, options: FindOptions, hooks: FindHooks): Promise<FindResult> {
  const matcher = compileQuery(query, options);
  if (!matcher.ok) {
    return matcher;
  }
  const find = matcher.find;
  const mayHold = containsAtAll(query, options);
  const now = hooks.now ?? (() => performance.now());
  const sliceMs = hooks.sliceMs ?? 10;
  const maxLocations = hooks.maxLocations ?? MAX_LOCATIONS;
  const matches: FindMatch[] = hooks.into ?? [];
  let total = 0;
  let longest = 0;
  const record = (entry: Entry, inKey: boolean, offset: number, length: number) => {
    total++;
    if (matches.length < maxLocations) {
      const match = { path: pathOf(entry), inKey, offset, length };
      matches.push(match);
      if (total === 1) {
        hooks.onFirst?.(match);
      }
    }
  };
  /** Matches in `text` from `from` to `to`; returns where the next window starts. */
  const scanWindow = (text: string, entry: Entry, inKey: boolean, from: number, to: number): number => {
    let at = from;
    let next = to;
    for (;;) {
      const m = find(text, at, to);
      if (!m) {
        return next;
      }
      record(entry, inKey, m.index, m.length);
      at = m.index + m.length;
      // A match that runs past the window's end: the next window starts after it.
      next = Math.max(next, at);
      if (at >= to) {
        return next;
      }
    }
  };
  // The walk's state between slices: the entries to visit, and a long text part-way scanned.
  const stack: Entry[] = [];
  for (let i = roots.length - 1; i >= 0; i--) {
    stack.push({ value: roots[i].value, key: roots[i].key, parent: undefined });
  }
  let long: { text: string; entry: Entry; inKey: boolean; from: number } | undefined;
  /** Scans a text: a short one at once, a long one window by window (false: the slice ran out). */
  const scan = (text: string, entry: Entry, inKey: boolean, deadline: number): boolean => {
    if (text.length <= WINDOW) {
      if (text.length > 0) {
        scanWindow(text, entry, inKey, 0, text.length);
      }
      return true;
    }
    long ??= { text, entry, inKey, from: 0 };
    while (long.from < long.text.length) {
      long.from = scanWindow(long.text, long.entry, long.inKey, long.from, Math.min(long.text.length, long.from + WINDOW));
      if (long.from < long.text.length && now() >= deadline) {
        return false;
      }
    }
    long = undefined;
    return true;
  };
  /** One slice of the walk, synchronous (an await per entry would cost more than the search). */
  const slice = (deadline: number): void => {
    if (long && !scan(long.text, long.entry, long.inKey, deadline)) {
      return;
    }
    let work = 0;
    while (stack.length > 0) {
      if (work > 32_768) {
        work = 0;
        if (now() >= deadline) {
          return;
        }
      }
      const entry = stack.pop()!;
      work += 16;
      if (entry.parent && typeof entry.key === 'string') {
        work += entry.key.length;
        if (!scan(entry.key, entry, true, deadline)) {
          return;
        }
      }
      const value = entry.value;
      if (value !== null && typeof value === 'object') {
        pushChildren(stack, entry, value);
        continue;
      }
      if (typeof value === 'string' && mayHold && value.length <= DECODE_MAX && startsLikeJson(value) && !mayHold(value)) {
        // Nothing in it can match, decoded or not: spared the parse (most tool results).
        work += value.length;
        continue;
      }
      const decoded = typeof value === 'string' ? decodedJson(value) : undefined;
      if (decoded !== undefined) {
        // The JSON in the string: searched as its value, one `{ decoded: true }` step further down.
        work += (value as string).length;
        pushChildren(stack, { value: decoded, key: { decoded: true }, parent: entry }, decoded);
        continue;
      }
      const text = typeof value === 'string' ? value : String(value);
      work += text.length;
      if (!scan(text, entry, false, deadline)) {
        return;
      }
    }
  };
  for (;;) {
    const started = now();
    slice(started + sliceMs);
    longest = Math.max(longest, now() - started);
    if (stack.length === 0 && !long) {
      return { ok: true, total, matches, capped: total > matches.length, longestSliceMs: longest };
    }
    hooks.onProgress?.(total);
    await hooks.yieldNow();
    if (hooks.isCancelled?.()) {
      return { ok: true, total, matches, capped: total > matches.length, cancelled: true, longestSliceMs: longest };
    }
  }
}

/**
 * For a plain query: a test that is false only when no key or value of the JSON a string holds
 * can match, so the string need not be decoded. Sound because, without `\u` escapes, each decoded
 * key and value is the raw text with escapes turned into `"`, `\`, `/` or control characters: a
 * query with none of those that matches a decoded text matches the raw one too (tested without
 * the whole-word rule, which an escape next to the match could change). Undefined for a regular
 * expression (`^`, look-arounds and classes see decoded text differently): always decoded.
 */
function containsAtAll(query: string, options: FindOptions): ((raw: string) => boolean) | undefined {
  if (options.regex || /["\\/\u0000-\u001f]/.test(query)) {
    return undefined;
  }
  const loose = compileQuery(query, { caseSensitive: options.caseSensitive });
  if (!loose.ok) {
    return undefined;
  }
  return (raw) => raw.includes('\\u') || loose.find(raw, 0, raw.length) !== undefined;
}

/** Children pushed in reverse, so they come off the stack in document order. */
function pushChildren(stack: Entry[], parent: Entry, value: object): void {
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) {
      stack.push({ value: value[i], key: i, parent });
    }
    return;
  }
  const keys = Object.keys(value);
  for (let i = keys.length - 1; i >= 0; i--) {
    stack.push({ value: (value as Record<string, unknown>)[keys[i]], key: keys[i], parent });
  }
}

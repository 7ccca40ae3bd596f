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
  // Plain, case-sensitive text: indexOf, the fastest scan there is. Its last answer is kept: a
  // long text is asked window by window, and one indexOf already looked past the window's end.
  if (!options.regex && options.caseSensitive && !options.wholeWord) {
    let lastText: string | undefined;
    let lastFrom = 0;
    let lastAt = -1;
    return {
      ok: true,
      find: (text, from, to) => {
        if (text !== lastText || from < lastFrom || (lastAt >= 0 && lastAt < from)) {
          lastText = text;
          lastFrom = from;
          lastAt = text.indexOf(query, from);
        }
        return lastAt >= 0 && lastAt < to ? { index: lastAt, length: query.length } : undefined;
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
          re.lastIndex = m.index + codePointLength(window, m.index);
          continue;
        }
        if (wholeWord && !isWholeWord(text, index, m[0].length)) {
          // A whole code point on: under the u flag, a lastIndex inside a surrogate pair finds the same match again.
          re.lastIndex = m.index + codePointLength(window, m.index);
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
        at = m.index + codePointLength(text, m.index);
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
  /** Undefined when lowering changed the cached window's length: asked again, it says so at once. */
  let lower: string | undefined = '';
  return (text, from, to) => {
    if (text.length - from < needle.length) {
      // Too short to hold it: no lowered copy made (most keys).
      return undefined;
    }
    if (text !== cachedText || to !== cachedTo || from < cachedStart) {
      const end = Math.min(text.length, to + needle.length - 1);
      const piece = from === 0 && end === text.length ? text : text.slice(from, end);
      const lowered = piece.toLowerCase();
      lower = lowered.length === piece.length ? lowered : undefined;
      cachedText = text;
      cachedStart = from;
      cachedTo = to;
    }
    if (lower === undefined) {
      // Lowered once per window, not once per match: a Turkish text with many matches stays linear.
      return null;
    }
    const at = lower.indexOf(needle, from - cachedStart);
    return at >= 0 && at + cachedStart < to ? { index: at + cachedStart, length: needle.length } : undefined;
  };
}

/** 2 where a surrogate pair starts at `index`, else 1. */
export function codePointLength(text: string, index: number): number {
  return text.codePointAt(index)! > 0xffff ? 2 : 1;
}

export function isWholeWord(text: string, index: number, length: number): boolean {
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
  into?: FoundList;
}

export type FindResult =
  | {
      ok: true;
      total: number;
      /** The locations kept, in document order. */
      found: FoundList;
      /** The same as matches, made when read (a path each: the search itself does not pay for them). */
      readonly matches: FindMatch[];
      capped: boolean;
      cancelled?: boolean;
      longestSliceMs: number;
    }
  | { ok: false; error: string };

/**
 * The matches a search keeps, in document order, as their places (not yet their paths) in parallel
 * arrays: up to 100,000 of them, and no object made for any until it is asked for.
 */
export class FoundList {
  private readonly nodes: PathNode[] = [];
  /** offset, length and inKey (1 or 0) of each, three numbers a match. */
  private readonly places: number[] = [];

  get length(): number {
    return this.nodes.length;
  }

  push(node: PathNode, inKey: boolean, offset: number, length: number): void {
    this.nodes.push(node);
    this.places.push(offset, length, inKey ? 1 : 0);
  }

  /** Match `i` with its path, or undefined past the end. */
  at(i: number): FindMatch | undefined {
    const node = this.nodes[i];
    if (node === undefined || i < 0) {
      return undefined;
    }
    return { path: pathOf(node), inKey: this.places[3 * i + 2] === 1, offset: this.places[3 * i], length: this.places[3 * i + 1] };
  }

  all(): FindMatch[] {
    return this.nodes.map((_, i) => this.at(i)!);
  }
}

/** A place in the trace: its key under its parent (a root's name for a root). */
export interface PathNode {
  key: PathSegment;
  parent: PathNode | undefined;
}

/** An entry of the walk: a place and the value there (let go of once visited, by the index's build). */
export interface Entry extends PathNode {
  value: unknown;
  parent: Entry | undefined;
}

export function pathOf(e: PathNode): PathSegment[] {
  const out: PathSegment[] = [];
  for (let n: PathNode | undefined = e; n; n = n.parent) {
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

/** The roots as the walk's first entries, on a stack (the first root on top). */
export function rootEntries(roots: readonly { key: string; value: unknown }[]): Entry[] {
  const stack: Entry[] = [];
  for (let i = roots.length - 1; i >= 0; i--) {
    stack.push({ value: roots[i].value, key: roots[i].key, parent: undefined });
  }
  return stack;
}

/** Counts the matches and keeps the first `maxLocations` of them, telling `onFirst` at once. */
export class MatchRecorder {
  total = 0;
  readonly found: FoundList;
  private readonly maxLocations: number;

  constructor(private readonly hooks: FindHooks) {
    this.found = hooks.into ?? new FoundList();
    this.maxLocations = hooks.maxLocations ?? MAX_LOCATIONS;
  }

  record(node: PathNode, inKey: boolean, offset: number, length: number): void {
    this.total++;
    if (this.found.length < this.maxLocations) {
      this.found.push(node, inKey, offset, length);
      if (this.total === 1) {
        this.hooks.onFirst?.(this.found.at(0)!);
      }
    }
  }

  result(longestSliceMs: number, cancelled?: boolean): FindResult {
    const found = this.found;
    return {
      ok: true,
      total: this.total,
      found,
      get matches() {
        return found.all();
      },
      capped: this.total > found.length,
      ...(cancelled ? { cancelled } : {}),
      longestSliceMs,
    };
  }
}

/**
 * Scans texts for `find`'s matches into `recorder`: a short text at once, a long one window by
 * window, stopping when the slice's time is up and going on where it stopped at the next call.
 */
export class TextScanner {
  private long: { text: string; node: PathNode; inKey: boolean; from: number } | undefined;

  constructor(
    private readonly find: Extract<Matcher, { ok: true }>['find'],
    private readonly recorder: MatchRecorder,
    private readonly now: () => number,
  ) {}

  /** Scans `text` (false: the slice ran out part-way; `resume` goes on). */
  scan(text: string, node: PathNode, inKey: boolean, deadline: number): boolean {
    if (text.length <= WINDOW) {
      if (text.length > 0) {
        this.window(text, node, inKey, 0, text.length);
      }
      return true;
    }
    this.long = { text, node, inKey, from: 0 };
    return this.resume(deadline);
  }

  /** Goes on with the long text part-way scanned, if any (false: the slice ran out again). */
  resume(deadline: number): boolean {
    const long = this.long;
    if (!long) {
      return true;
    }
    while (long.from < long.text.length) {
      long.from = this.window(long.text, long.node, long.inKey, long.from, Math.min(long.text.length, long.from + WINDOW));
      if (long.from < long.text.length && this.now() >= deadline) {
        return false;
      }
    }
    this.long = undefined;
    return true;
  }

  /** Matches in `text` from `from` to `to`; returns where the next window starts. */
  private window(text: string, node: PathNode, inKey: boolean, from: number, to: number): number {
    let at = from;
    let next = to;
    for (;;) {
      const m = this.find(text, at, to);
      if (!m) {
        return next;
      }
      this.recorder.record(node, inKey, m.index, m.length);
      at = m.index + m.length;
      // A match that runs past the window's end: the next window starts after it.
      next = Math.max(next, at);
      if (at >= to) {
        return next;
      }
    }
  }
}

/**
 * Runs `slice` (given the time its slice must end by; true once all is done) until it is done,
 * yielding between slices and stopping early when the caller cancels.
 */
export async function paced(hooks: Pick<FindHooks, 'yieldNow' | 'isCancelled' | 'sliceMs' | 'now' | 'onProgress'>, slice: (deadline: number) => boolean, progress?: () => number): Promise<{ cancelled: boolean; longestSliceMs: number }> {
  const now = hooks.now ?? (() => performance.now());
  const sliceMs = hooks.sliceMs ?? 10;
  let longest = 0;
  for (;;) {
    const started = now();
    const done = slice(started + sliceMs);
    longest = Math.max(longest, now() - started);
    if (done) {
      return { cancelled: false, longestSliceMs: longest };
    }
    if (progress) {
      hooks.onProgress?.(progress());
    }
    await hooks.yieldNow();
    if (hooks.isCancelled?.()) {
      return { cancelled: true, longestSliceMs: longest };
    }
  }
}

/**
 * Every match of `query` in `roots`, in document order: for each entry its key (below the roots),
 * then its value (a primitive as its JSON text, a string as itself or, if it holds JSON, what it
 * decodes to). Matches do not overlap within one text.
 */
export async function findInTrace(roots: readonly { key: string; value: unknown }[], query: string, options: FindOptions, hooks: FindHooks): Promise<FindResult> {
  const search = startSearch(query, options, hooks);
  return search.ok ? runSearch(search, hooks, walker(rootEntries(roots), search.scanner, search.mayHold, search.now)) : search;
}

/** A search under way: its clock, its count and locations, its scanner, and `containsAtAll` for its query. */
export interface Search {
  ok: true;
  now: () => number;
  recorder: MatchRecorder;
  scanner: TextScanner;
  mayHold: ((raw: string, escapes?: boolean) => boolean) | undefined;
}

/** What every search (the walk, the index's) starts with; or why the query cannot be searched for. */
export function startSearch(query: string, options: FindOptions, hooks: FindHooks): Search | { ok: false; error: string } {
  const matcher = compileQuery(query, options);
  if (!matcher.ok) {
    return matcher;
  }
  const now = hooks.now ?? (() => performance.now());
  const recorder = new MatchRecorder(hooks);
  return { ok: true, now, recorder, scanner: new TextScanner(matcher.find, recorder, now), mayHold: containsAtAll(query, options) };
}

/** Runs a search's slices to the end (or until cancelled) and gives its result. */
export async function runSearch(search: Search, hooks: FindHooks, slice: (deadline: number) => boolean): Promise<FindResult> {
  const { cancelled, longestSliceMs } = await paced(hooks, slice, () => search.recorder.total);
  return search.recorder.result(longestSliceMs, cancelled);
}

/**
 * The walk over `stack` as slices (given the time a slice must end by; true once all is done),
 * synchronous within a slice: an await per entry would cost more than the search. `mayHold`
 * (`containsAtAll`) spares the parse of a string holding JSON that cannot match.
 */
export function walker(stack: Entry[], scanner: TextScanner, mayHold: ((raw: string) => boolean) | undefined, now: () => number): (deadline: number) => boolean {
  return (deadline) => {
    if (!scanner.resume(deadline)) {
      return false;
    }
    let work = 0;
    while (stack.length > 0) {
      if (work > 32_768) {
        work = 0;
        if (now() >= deadline) {
          return false;
        }
      }
      const entry = stack.pop()!;
      work += 16;
      if (entry.parent && typeof entry.key === 'string') {
        work += entry.key.length;
        if (!scanner.scan(entry.key, entry, true, deadline)) {
          return false;
        }
      }
      const value = entry.value;
      if (value !== null && typeof value === 'object') {
        pushChildren(stack, entry, value);
        continue;
      }
      if (typeof value === 'string' && mayHold && mayHoldJson(value) && !mayHold(value)) {
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
      if (!scanner.scan(text, entry, false, deadline)) {
        return false;
      }
    }
    return true;
  };
}

/** The cheap test before `decodedJson`: a string that may hold JSON (by its first character and length). */
export function mayHoldJson(text: string): boolean {
  return text.length >= 2 && text.length <= DECODE_MAX && startsLikeJson(text);
}

/**
 * For a plain query: a test that is false only when no key or value of the JSON a string holds
 * can match, so the string need not be decoded. Sound because, without `\u` escapes, each decoded
 * key and value is the raw text with escapes turned into `"`, `\`, `/` or control characters: a
 * query with none of those that matches a decoded text matches the raw one too (tested without
 * the whole-word rule, which an escape next to the match could change). Undefined for a regular
 * expression (`^`, look-arounds and classes see decoded text differently): always decoded.
 */
export function containsAtAll(query: string, options: FindOptions): ((raw: string, escapes?: boolean) => boolean) | undefined {
  if (options.regex || /["\\/\u0000-\u001f]/.test(query)) {
    return undefined;
  }
  const loose = compileQuery(query, { caseSensitive: options.caseSensitive });
  if (!loose.ok) {
    return undefined;
  }
  // `escapes`: whether `raw` holds a `\\u` escape, when the caller knows it already (the text index).
  return (raw, escapes) => (escapes ?? raw.includes('\\u')) || loose.find(raw, 0, raw.length) !== undefined;
}

/** Children pushed in reverse, so they come off the stack in document order. */
export function pushChildren(stack: Entry[], parent: Entry, value: object): void {
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

/**
 * Letta IDs: `<prefix>-<uuid4>`, lower-case (the patterns of the Letta OpenAPI spec). One
 * implementation, parameterised by the prefix: `STEP_IDS` (`step-`, 41 characters), `RUN_IDS`
 * (`run-`, 40) and `AGENT_IDS` (`agent-`, 42) validate, find and look up their own kind.
 * Pure: no `vscode` import.
 */
import * as l10n from '@vscode/l10n';

/** A match in text, with its offset in that text. */
export interface IdMatch {
  readonly id: string;
  readonly start: number;
}

/** A match in one line of a document: zero-based line and character. */
export interface IdLineMatch {
  readonly id: string;
  readonly line: number;
  readonly start: number;
}

/** Limits of one scan. */
export interface IdScanOptions {
  /** Stop after this many matches (default: no limit). */
  maxMatches?: number;
  /** Text longer than this many UTF-16 code units is not scanned at all (default: no limit). */
  maxChars?: number;
  /** Polled every few thousand candidates and between chunks; a true answer stops the scan. */
  isCancelled?: () => boolean;
}

/** Why a scan stopped early; undefined when it read everything. */
export type IdScanStop = 'limit' | 'size' | 'cancelled';

export interface IdScanResult<M> {
  matches: M[];
  stoppedBy?: IdScanStop;
}

/** One kind of Letta ID and everything the extension does with it. */
export interface IdKind {
  /** `step`, `run`, `agent`: what the ID names, for messages. */
  readonly noun: string;
  /** What every ID of this kind starts with, dash included (`run-`). */
  readonly prefix: string;
  /** Length of every ID of this kind. */
  readonly length: number;
  /** The official pattern, anchored. */
  readonly pattern: RegExp;
  /**
   * Matches IDs inside text. The look-arounds keep a longer token (`xrun-…`, `…-abc`, `…0`) from
   * yielding a partial match, while quotes, `=`, `/`, `:` and brackets may surround an ID. An escape
   * right before the ID (`\n`, `\t`, `\u0022` in a JSON string, `%22` in a URL) ends the previous
   * token even though its last character is a letter or digit. `find` gives the same matches,
   * faster; this is for callers that want a RegExp.
   */
  readonly inText: RegExp;
  /** True when `value` is exactly one ID of this kind. */
  readonly is: (value: string) => boolean;
  /** What a user typed or pasted, white space and one layer of quotes or backticks removed; undefined when that is not one ID. */
  readonly parseInput: (input: string) => string | undefined;
  /** Why an input is not an ID of this kind, for an input box's live validation; undefined when it is one. */
  readonly describeProblem: (input: string) => string | undefined;
  /** IDs in `text`, at most `limit` of them, in order. */
  readonly find: (text: string, limit?: number) => IdMatch[];
  /** One pass of a prefix-led RegExp, then a check of each match's neighbours. Never throws. */
  readonly scan: (text: string, options?: IdScanOptions) => IdScanResult<IdMatch>;
  /** A document one line at a time (`lineAt(i)` without its end of line); see `scanLines`. */
  readonly scanLines: (lineCount: number, lineAt: (line: number) => string, options?: IdScanOptions) => IdScanResult<IdLineMatch>;
  /** The ID covering `offset` (from its first character to just after its last), reading only the characters around it. */
  readonly at: (text: string, offset: number) => IdMatch | undefined;
  /** `run-1234abcd…` for titles: the prefix and the first block of the UUID. */
  readonly short: (id: string) => string;
}

// --- the matcher: character codes, no RegExp, so a check is a few comparisons ---

const DIGIT_0 = 48;
const DIGIT_4 = 52;
const DIGIT_8 = 56;
const DIGIT_9 = 57;
const UPPER_A = 65;
const UPPER_F = 70;
const UPPER_Z = 90;
const LOWER_A = 97;
const LOWER_B = 98;
const LOWER_F = 102;
const LOWER_N = 110;
const LOWER_R = 114;
const LOWER_T = 116;
const LOWER_U = 117;
const LOWER_Z = 122;
const DASH = 45;
const UNDERSCORE = 95;
const BACKSLASH = 92;
const PERCENT = 37;

const UUID4_LENGTH = 36;
const UUID4 = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const TOKEN_START = '(?:(?<![0-9A-Za-z_-])|(?<=\\\\[nrtbf])|(?<=\\\\u[0-9A-Fa-f]{4})|(?<=%[0-9A-Fa-f]{2}))';
const TOKEN_END = '(?![0-9A-Za-z_-])';

/** `[0-9a-f]` */
function isLowerHex(c: number): boolean {
  return (c >= DIGIT_0 && c <= DIGIT_9) || (c >= LOWER_A && c <= LOWER_F);
}

/** `[0-9A-Fa-f]` */
function isAnyHex(c: number): boolean {
  return isLowerHex(c) || (c >= UPPER_A && c <= UPPER_F);
}

/** `[0-9A-Za-z_-]`: a character that would make the ID part of a longer token. */
function isTokenChar(c: number): boolean {
  return (c >= DIGIT_0 && c <= DIGIT_9) || (c >= LOWER_A && c <= LOWER_Z) || (c >= UPPER_A && c <= UPPER_Z) || c === DASH || c === UNDERSCORE;
}

/** The 36 characters at `at`: a lower-case version-4, variant-1 UUID. */
function isUuid4At(text: string, at: number): boolean {
  for (let k = 0; k < UUID4_LENGTH; k++) {
    const c = text.charCodeAt(at + k);
    switch (k) {
      case 8:
      case 13:
      case 18:
      case 23:
        if (c !== DASH) {
          return false;
        }
        break;
      case 14:
        if (c !== DIGIT_4) {
          return false;
        }
        break;
      case 19:
        if (c !== DIGIT_8 && c !== DIGIT_9 && c !== LOWER_A && c !== LOWER_B) {
          return false;
        }
        break;
      default:
        if (!isLowerHex(c)) {
          return false;
        }
    }
  }
  return true;
}

/** True when the character before `start` ends the previous token (see `IdKind.inText`). */
function startsToken(text: string, start: number): boolean {
  if (start === 0) {
    return true;
  }
  const before = text.charCodeAt(start - 1);
  if (!isTokenChar(before)) {
    return true;
  }
  // `\n`, `\r`, `\t`, `\b`, `\f` in a JSON or C string.
  if (start >= 2 && text.charCodeAt(start - 2) === BACKSLASH && (before === LOWER_N || before === LOWER_R || before === LOWER_T || before === LOWER_B || before === LOWER_F)) {
    return true;
  }
  // `%22`, `%2F`, `%3D` in a URL.
  if (start >= 3 && text.charCodeAt(start - 3) === PERCENT && isAnyHex(text.charCodeAt(start - 2)) && isAnyHex(before)) {
    return true;
  }
  // `\u0022` in a JSON string.
  return (
    start >= 6 &&
    text.charCodeAt(start - 6) === BACKSLASH &&
    text.charCodeAt(start - 5) === LOWER_U &&
    isAnyHex(text.charCodeAt(start - 4)) &&
    isAnyHex(text.charCodeAt(start - 3)) &&
    isAnyHex(text.charCodeAt(start - 2)) &&
    isAnyHex(before)
  );
}

/** How many pattern matches a scan checks between two polls of `isCancelled`. */
const CANDIDATES_PER_POLL = 4096;

/**
 * The kind of ID that starts with `name-`. `name` is lower-case letters and underscores, so an ID
 * can never start inside another one's UUID: a rejected match then cannot hide a real ID.
 */
export function idKind(name: string): IdKind {
  if (!/^[a-z_]+$/.test(name)) {
    throw new Error(`An ID prefix is lower-case letters: ${name}`);
  }
  const prefix = `${name}-`;
  const length = prefix.length + UUID4_LENGTH;
  const article = /^[aeiou]/.test(name) ? 'An' : 'A';
  const pattern = new RegExp(`^${prefix}${UUID4}$`);
  const inText = new RegExp(`${TOKEN_START}${prefix}${UUID4}${TOKEN_END}`, 'g');
  // Without look-arounds, for V8's fast literal-prefix search; `isWholeToken` then checks the
  // neighbours. Shared, so only synchronous code may use it (lastIndex is reset before each use).
  const bare = new RegExp(`${prefix}${UUID4}`, 'g');
  const example = `${prefix}3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b`;

  const is = (value: string): boolean => value.length === length && pattern.test(value);

  /** For a match of `bare` at `start`: true when it is not part of a longer token. */
  const isWholeToken = (text: string, start: number): boolean => {
    const end = start + length;
    return (end === text.length || !isTokenChar(text.charCodeAt(end))) && startsToken(text, start);
  };

  /** True when a whole ID starts at `start` (the caller has found the prefix there). */
  const isIdAt = (text: string, start: number): boolean =>
    start + length <= text.length && isUuid4At(text, start + prefix.length) && isWholeToken(text, start);

  const parseInput = (input: string): string | undefined => {
    let value = input.trim();
    const quote = value[0];
    if (value.length >= 2 && (quote === '"' || quote === "'" || quote === '`') && value.endsWith(quote)) {
      value = value.slice(1, -1).trim();
    }
    return is(value) ? value : undefined;
  };

  const scan = (text: string, options: IdScanOptions = {}): IdScanResult<IdMatch> => {
    const { maxMatches = Number.POSITIVE_INFINITY, maxChars = Number.POSITIVE_INFINITY, isCancelled } = options;
    const matches: IdMatch[] = [];
    if (text.length > maxChars) {
      return { matches, stoppedBy: 'size' };
    }
    if (maxMatches <= 0) {
      return { matches, stoppedBy: 'limit' };
    }
    const re = bare;
    re.lastIndex = 0;
    let seen = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (isWholeToken(text, m.index)) {
        matches.push({ id: m[0], start: m.index });
        if (matches.length >= maxMatches) {
          return { matches, stoppedBy: 'limit' };
        }
      }
      if (isCancelled && ++seen % CANDIDATES_PER_POLL === 0 && isCancelled()) {
        return { matches, stoppedBy: 'cancelled' };
      }
    }
    return { matches };
  };

  const scanLines = (lineCount: number, lineAt: (line: number) => string, options: IdScanOptions = {}): IdScanResult<IdLineMatch> => {
    const { maxMatches = Number.POSITIVE_INFINITY, maxChars = Number.POSITIVE_INFINITY, isCancelled } = options;
    const matches: IdLineMatch[] = [];
    let chars = 0;
    for (let line = 0; line < lineCount; line++) {
      if (isCancelled && (line & 1023) === 1023 && isCancelled()) {
        return { matches, stoppedBy: 'cancelled' };
      }
      const text = lineAt(line);
      chars += text.length + 1;
      if (chars > maxChars) {
        return { matches, stoppedBy: 'size' };
      }
      if (text.length < length) {
        continue;
      }
      // indexOf first: most lines of a log have no ID, and it is cheaper than a RegExp call.
      const at = text.indexOf(prefix);
      if (at === -1) {
        continue;
      }
      const re = bare;
      re.lastIndex = at;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        if (isWholeToken(text, m.index)) {
          matches.push({ id: m[0], line, start: m.index });
          if (matches.length >= maxMatches) {
            return { matches, stoppedBy: 'limit' };
          }
        }
      }
    }
    return { matches };
  };

  const at = (text: string, offset: number): IdMatch | undefined => {
    if (!(offset >= 0) || offset > text.length) {
      return undefined;
    }
    // The candidate starts at most `length` characters before the offset; search a small window so a
    // long line without IDs is not read backwards to its start, and check it against the whole text.
    const from = Math.max(0, offset - length);
    const window = text.slice(from, offset + prefix.length);
    for (let i = window.lastIndexOf(prefix, offset - from); i !== -1; i = i === 0 ? -1 : window.lastIndexOf(prefix, i - 1)) {
      if (isIdAt(text, from + i)) {
        return { id: text.slice(from + i, from + i + length), start: from + i };
      }
    }
    return undefined;
  };

  const describeProblem = (input: string): string | undefined => {
    if (parseInput(input)) {
      return undefined;
    }
    const value = input.trim().replace(/^["'`]|["'`]$/g, '');
    if (value.length === 0) {
      return l10n.t('Enter {0} {1} ID: {2}<uuid4>, for example {3}.', article.toLowerCase(), name, prefix, example);
    }
    if (!value.startsWith(prefix)) {
      return l10n.t('{0} {1} ID starts with "{2}".', article, name, prefix);
    }
    if (value !== value.toLowerCase()) {
      return l10n.t('{0} {1} ID is lower-case.', article, name);
    }
    if (value.length !== length) {
      return l10n.t('{0} {1} ID has {2} characters; this has {3}.', article, name, length, value.length);
    }
    return l10n.t('Not {0} {1} ID: expected {2}<uuid4> (version 4 UUID, lower-case hex).', article.toLowerCase(), name, prefix);
  };

  const shortLength = prefix.length + 8;
  return {
    noun: name,
    prefix,
    length,
    pattern,
    inText,
    is,
    parseInput,
    describeProblem,
    find: (text, limit = Number.POSITIVE_INFINITY) => scan(text, { maxMatches: limit }).matches,
    scan,
    scanLines,
    at,
    short: (id) => (id.length > shortLength ? `${id.slice(0, shortLength)}…` : id),
  };
}

export const STEP_IDS = idKind('step');
export const RUN_IDS = idKind('run');
export const AGENT_IDS = idKind('agent');

/** A match of one of several kinds. */
export interface AnyIdMatch extends IdMatch {
  readonly kind: IdKind;
}

/**
 * The ID of one of `kinds` covering `offset`, for a hover that knows several kinds. At most one
 * covers any offset: no prefix fits inside a UUID, and two IDs that touch make one longer token,
 * which matches neither.
 */
export function idAt(kinds: readonly IdKind[], text: string, offset: number): AnyIdMatch | undefined {
  for (const kind of kinds) {
    const match = kind.at(text, offset);
    if (match) {
      return { ...match, kind };
    }
  }
  return undefined;
}

/**
 * IDs of several kinds in a document, in document order: one pass per kind (a RegExp alternation of
 * the prefixes is several times slower in V8 than separate literal-prefix passes), then a merge.
 * `maxMatches` caps the total; `maxChars` and `isCancelled` apply to each pass.
 */
export function scanIdLinesOf(
  kinds: readonly IdKind[],
  lineCount: number,
  lineAt: (line: number) => string,
  options: IdScanOptions = {},
): IdScanResult<IdLineMatch & { kind: IdKind }> {
  const all: (IdLineMatch & { kind: IdKind })[] = [];
  let stoppedBy: IdScanStop | undefined;
  for (const kind of kinds) {
    const result = kind.scanLines(lineCount, lineAt, options);
    for (const m of result.matches) {
      all.push({ ...m, kind });
    }
    stoppedBy ??= result.stoppedBy;
  }
  all.sort((a, b) => a.line - b.line || a.start - b.start);
  const max = options.maxMatches ?? Number.POSITIVE_INFINITY;
  if (all.length > max) {
    return { matches: all.slice(0, max), stoppedBy: 'limit' };
  }
  return stoppedBy ? { matches: all, stoppedBy } : { matches: all };
}

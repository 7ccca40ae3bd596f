/**
 * Step IDs: `step-<uuid4>`, lower-case, exactly 41 characters (the pattern of the Letta OpenAPI spec).
 * Pure: no `vscode` import.
 */

/** The official pattern, anchored. */
export const STEP_ID_PATTERN = /^step-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Length of every step ID. */
export const STEP_ID_LENGTH = 41;

/** What every step ID starts with; the scanners look for it with `indexOf` before checking more. */
export const STEP_ID_PREFIX = 'step-';

/**
 * Matches step IDs inside text. The look-arounds keep a longer token (`xstep-…`, `…-abc`, `…0`)
 * from yielding a partial match, while quotes, `=`, `/`, `:` and brackets may surround an ID.
 * An escape right before the ID (`\n`, `\t`, `\u0022` in a JSON string, `%22` in a URL) ends the
 * previous token even though its last character is a letter or digit.
 * `findStepIds` gives the same matches, faster; this is for callers that want a RegExp.
 */
export const STEP_ID_IN_TEXT =
  /(?:(?<![0-9A-Za-z_-])|(?<=\\[nrtbf])|(?<=\\u[0-9A-Fa-f]{4})|(?<=%[0-9A-Fa-f]{2}))step-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}(?![0-9A-Za-z_-])/g;

/** True when `value` is exactly one step ID. */
export function isStepId(value: string): boolean {
  return value.length === STEP_ID_LENGTH && STEP_ID_PATTERN.test(value);
}

/**
 * Cleans what a user typed or pasted: trims white space and one layer of matching quotes or backticks.
 * Returns the step ID, or undefined when what is left is not one.
 */
export function parseStepIdInput(input: string): string | undefined {
  let value = input.trim();
  const quote = value[0];
  if (value.length >= 2 && (quote === '"' || quote === "'" || quote === '`') && value.endsWith(quote)) {
    value = value.slice(1, -1).trim();
  }
  return isStepId(value) ? value : undefined;
}

/** Why an input is not a step ID, for the input box's live validation; undefined when it is one. */
export function describeStepIdProblem(input: string): string | undefined {
  if (parseStepIdInput(input)) {
    return undefined;
  }
  const value = input.trim().replace(/^["'`]|["'`]$/g, '');
  if (value.length === 0) {
    return 'Enter a step ID: step-<uuid4>, for example step-3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b.';
  }
  if (!value.startsWith('step-')) {
    return 'A step ID starts with "step-".';
  }
  if (value !== value.toLowerCase()) {
    return 'A step ID is lower-case.';
  }
  if (value.length !== STEP_ID_LENGTH) {
    return `A step ID has ${STEP_ID_LENGTH} characters; this has ${value.length}.`;
  }
  return 'Not a step ID: expected step-<uuid4> (version 4 UUID, lower-case hex).';
}

/** A step ID found in text, with its offset in that text. */
export interface StepIdMatch {
  readonly id: string;
  readonly start: number;
}

/** A step ID found in one line of a document: zero-based line and character. */
export interface StepIdLineMatch {
  readonly id: string;
  readonly line: number;
  readonly start: number;
}

// --- the matcher: character codes, no RegExp, so a scan is one indexOf per candidate ---

// Character codes.
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
  return (
    (c >= DIGIT_0 && c <= DIGIT_9) ||
    (c >= LOWER_A && c <= LOWER_Z) ||
    (c >= UPPER_A && c <= UPPER_Z) ||
    c === DASH ||
    c === UNDERSCORE
  );
}

/** The 36 characters after `step-`: a lower-case version-4, variant-1 UUID. */
function isUuid4At(text: string, at: number): boolean {
  for (let k = 0; k < 36; k++) {
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

/** True when the character before `start` ends the previous token (see `STEP_ID_IN_TEXT`). */
function startsToken(text: string, start: number): boolean {
  if (start === 0) {
    return true;
  }
  const before = text.charCodeAt(start - 1);
  if (!isTokenChar(before)) {
    return true;
  }
  // `\n`, `\r`, `\t`, `\b`, `\f` in a JSON or C string.
  if (
    start >= 2 &&
    text.charCodeAt(start - 2) === BACKSLASH &&
    (before === LOWER_N || before === LOWER_R || before === LOWER_T || before === LOWER_B || before === LOWER_F)
  ) {
    return true;
  }
  // `%22`, `%2F`, `%3D` in a URL.
  if (start >= 3 && text.charCodeAt(start - 3) === PERCENT && isAnyHex(text.charCodeAt(start - 2)) && isAnyHex(before)) {
    return true;
  }
  // `\u0022` in a JSON string.
  if (
    start >= 6 &&
    text.charCodeAt(start - 6) === BACKSLASH &&
    text.charCodeAt(start - 5) === LOWER_U &&
    isAnyHex(text.charCodeAt(start - 4)) &&
    isAnyHex(text.charCodeAt(start - 3)) &&
    isAnyHex(text.charCodeAt(start - 2)) &&
    isAnyHex(before)
  ) {
    return true;
  }
  return false;
}

/**
 * True when a whole step ID starts at `start` of `text` (the caller has found `step-` there),
 * not as part of a longer token.
 */
function isStepIdAt(text: string, start: number): boolean {
  const end = start + STEP_ID_LENGTH;
  if (end > text.length) {
    return false;
  }
  if (end < text.length && isTokenChar(text.charCodeAt(end))) {
    return false;
  }
  return isUuid4At(text, start + STEP_ID_PREFIX.length) && startsToken(text, start);
}

/**
 * The pattern without look-arounds, for V8's fast literal-prefix search; `isWholeToken` then checks
 * the neighbours. A rejected match cannot hide a real ID: its last 36 characters are hex and dashes,
 * so no `step-` starts inside it. Shared, so only synchronous code may use it (lastIndex is reset).
 */
const BARE_STEP_ID = /step-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;

/** For a match of `BARE_STEP_ID` at `start`: true when it is not part of a longer token. */
function isWholeToken(text: string, start: number): boolean {
  const end = start + STEP_ID_LENGTH;
  return (end === text.length || !isTokenChar(text.charCodeAt(end))) && startsToken(text, start);
}

/** Finds step IDs in `text`, at most `limit` of them, in order. */
export function findStepIds(text: string, limit = Number.POSITIVE_INFINITY): StepIdMatch[] {
  return scanStepIds(text, { maxMatches: limit }).matches;
}

/** Limits of one scan. */
export interface StepIdScanOptions {
  /** Stop after this many matches (default: no limit). */
  maxMatches?: number;
  /** Text longer than this many UTF-16 code units is not scanned at all (default: no limit). */
  maxChars?: number;
  /** Polled every few thousand candidates and between chunks; a true answer stops the scan. */
  isCancelled?: () => boolean;
}

/** Why a scan stopped early; undefined when it read everything. */
export type StepIdScanStop = 'limit' | 'size' | 'cancelled';

export interface StepIdScanResult<M> {
  matches: M[];
  stoppedBy?: StepIdScanStop;
}

/** How many pattern matches a scan checks between two polls of `isCancelled`. */
const CANDIDATES_PER_POLL = 4096;

/**
 * Scans `text` for step IDs: one pass of a prefix-led RegExp, then a check of each match's
 * neighbours. About 1 ms per MB of log without IDs. Never throws.
 */
export function scanStepIds(text: string, options: StepIdScanOptions = {}): StepIdScanResult<StepIdMatch> {
  const { maxMatches = Number.POSITIVE_INFINITY, maxChars = Number.POSITIVE_INFINITY, isCancelled } = options;
  const matches: StepIdMatch[] = [];
  if (text.length > maxChars) {
    return { matches, stoppedBy: 'size' };
  }
  if (maxMatches <= 0) {
    return { matches, stoppedBy: 'limit' };
  }
  const re = BARE_STEP_ID;
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
}

/**
 * Scans a document one line at a time (`lineAt(i)` gives line i's text, without its end of line),
 * stopping at `maxMatches` and when `isCancelled()` says so (polled every 1,024 lines).
 * `maxChars` caps the total length of the lines read: past it the scan stops with `size`, keeping
 * what it found so far. Never throws (unless `lineAt` does).
 */
export function scanStepIdLines(
  lineCount: number,
  lineAt: (line: number) => string,
  options: StepIdScanOptions = {},
): StepIdScanResult<StepIdLineMatch> {
  const { maxMatches = Number.POSITIVE_INFINITY, maxChars = Number.POSITIVE_INFINITY, isCancelled } = options;
  const matches: StepIdLineMatch[] = [];
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
    if (text.length < STEP_ID_LENGTH) {
      continue;
    }
    // indexOf first: most lines of a log have no `step-`, and it is cheaper than a RegExp call.
    const at = text.indexOf(STEP_ID_PREFIX);
    if (at === -1) {
      continue;
    }
    const re = BARE_STEP_ID;
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
}

/**
 * The step ID covering `offset` in `text` (a line, say), if any. `offset` may be anywhere from the
 * ID's first character to just after its last (a cursor at the end of the word). Reads only the
 * 41 characters around `offset` (plus a few to see the neighbours), so it is cheap on long lines.
 */
export function stepIdAt(text: string, offset: number): StepIdMatch | undefined {
  if (!(offset >= 0) || offset > text.length) {
    return undefined;
  }
  // The candidate starts at most 41 characters before the offset; search a small window so a long
  // line without IDs is not read backwards to its start, and check the candidate against the whole text.
  const from = Math.max(0, offset - STEP_ID_LENGTH);
  const window = text.slice(from, offset + STEP_ID_PREFIX.length);
  for (let at = window.lastIndexOf(STEP_ID_PREFIX, offset - from); at !== -1; at = at === 0 ? -1 : window.lastIndexOf(STEP_ID_PREFIX, at - 1)) {
    if (isStepIdAt(text, from + at)) {
      return { id: text.slice(from + at, from + at + STEP_ID_LENGTH), start: from + at };
    }
  }
  return undefined;
}

/** `step-1234abcd…` for titles: the prefix and the first block of the UUID. */
export function shortStepId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 13)}…` : id;
}

/**
 * Step IDs: `step-<uuid4>`, lower-case, exactly 41 characters (the pattern of the Letta OpenAPI
 * spec). The names the extension has always used, over the one implementation in `lettaIds.ts`,
 * which also holds run and agent IDs. Pure: no `vscode` import.
 */
import { STEP_IDS, type IdLineMatch, type IdMatch, type IdScanOptions, type IdScanResult, type IdScanStop } from './lettaIds';

export { AGENT_IDS, RUN_IDS, STEP_IDS, idAt, idKind, scanIdLinesOf } from './lettaIds';
export type { AnyIdMatch, IdKind, IdLineMatch, IdMatch, IdScanOptions, IdScanResult, IdScanStop } from './lettaIds';

/** The official pattern, anchored. */
export const STEP_ID_PATTERN = STEP_IDS.pattern;

/** Length of every step ID. */
export const STEP_ID_LENGTH = STEP_IDS.length;

/** What every step ID starts with; the scanners look for it with `indexOf` before checking more. */
export const STEP_ID_PREFIX = STEP_IDS.prefix;

/** Matches step IDs inside text (see `IdKind.inText`). `findStepIds` gives the same matches, faster. */
export const STEP_ID_IN_TEXT = STEP_IDS.inText;

export type StepIdMatch = IdMatch;
export type StepIdLineMatch = IdLineMatch;
export type StepIdScanOptions = IdScanOptions;
export type StepIdScanStop = IdScanStop;
export type StepIdScanResult<M> = IdScanResult<M>;

/** True when `value` is exactly one step ID. */
export const isStepId = STEP_IDS.is;

/** Trims white space and one layer of matching quotes or backticks; the step ID, or undefined. */
export const parseStepIdInput = STEP_IDS.parseInput;

/** Why an input is not a step ID, for the input box's live validation; undefined when it is one. */
export const describeStepIdProblem = STEP_IDS.describeProblem;

/** Finds step IDs in `text`, at most `limit` of them, in order. */
export const findStepIds = STEP_IDS.find;

/** Scans `text` for step IDs: about 1 ms per MB of log without IDs. Never throws. */
export const scanStepIds = STEP_IDS.scan;

/**
 * Scans a document one line at a time (`lineAt(i)` gives line i's text, without its end of line),
 * stopping at `maxMatches` and when `isCancelled()` says so (polled every 1,024 lines). `maxChars`
 * caps the total length of the lines read: past it the scan stops with `size`, keeping what it found.
 */
export const scanStepIdLines = STEP_IDS.scanLines;

/**
 * The step ID covering `offset` in `text`, from its first character to just after its last (a
 * cursor at the end of the word). Reads only the 41 characters around `offset`.
 */
export const stepIdAt = STEP_IDS.at;

/** `step-1234abcd…` for titles: the prefix and the first block of the UUID. */
export const shortStepId = STEP_IDS.short;

/**
 * Step IDs: `step-<uuid4>`, lower-case, exactly 41 characters (the pattern of the Letta OpenAPI spec).
 * Pure: no `vscode` import.
 */

/** The official pattern, anchored. */
export const STEP_ID_PATTERN = /^step-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Length of every step ID. */
export const STEP_ID_LENGTH = 41;

/**
 * Matches step IDs inside text. The look-arounds keep a longer token (`xstep-…`, `…-abc`, `…0`)
 * from yielding a partial match, while quotes, `=`, `/`, `:` and brackets may surround an ID.
 */
export const STEP_ID_IN_TEXT = /(?<![0-9A-Za-z_-])step-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}(?![0-9A-Za-z_-])/g;

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

/** Finds step IDs in `text`, at most `limit` of them, in order. */
export function findStepIds(text: string, limit = Number.POSITIVE_INFINITY): StepIdMatch[] {
  const out: StepIdMatch[] = [];
  if (limit <= 0 || text.length < STEP_ID_LENGTH || !text.includes('step-')) {
    return out;
  }
  const re = new RegExp(STEP_ID_IN_TEXT.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push({ id: m[0], start: m.index });
    if (out.length >= limit) {
      break;
    }
  }
  return out;
}

/** The step ID covering `offset` in `text` (a line, say), if any. */
export function stepIdAt(text: string, offset: number): StepIdMatch | undefined {
  // One character of margin on each side so the look-arounds still see the neighbours.
  const from = Math.max(0, offset - STEP_ID_LENGTH - 1);
  const window = text.slice(from, offset + STEP_ID_LENGTH + 1);
  return findStepIds(window)
    .map((m) => ({ id: m.id, start: m.start + from }))
    .find((m) => m.start <= offset && offset <= m.start + STEP_ID_LENGTH);
}

/** `step-1234abcd…` for titles: the prefix and the first block of the UUID. */
export function shortStepId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 13)}…` : id;
}

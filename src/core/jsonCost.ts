/**
 * What a JSON text will cost once parsed, bounded before `JSON.parse` runs. The size cap alone does
 * not bound memory: 10 MB of `[[[[…]]]]` parses into five million arrays (about 300 MB), while 10 MB
 * of trace text (mostly long strings) parses into little more than its size. One linear pass over
 * the text counts nesting, objects and arrays, and values, jumping over strings with `indexOf`.
 * Pure: no `vscode` import.
 */
import * as l10n from '@vscode/l10n';

export interface JsonLimits {
  /** Deepest nesting of arrays and objects. */
  maxDepth: number;
  /** Objects and arrays, the costly values (about 60 bytes each once parsed). */
  maxContainers: number;
  /** All values, containers included (a number or `null` costs about 10 bytes). */
  maxValues: number;
}

/**
 * Far beyond any real trace (tens of levels, thousands of objects; the viewer is tested with
 * 10 000 levels), low enough that a body within them parses into at most about its own size plus
 * 160 MB (1 M containers × ~60 B + 10 M values × ~10 B).
 */
export const JSON_LIMITS: JsonLimits = { maxDepth: 20_000, maxContainers: 1_000_000, maxValues: 10_000_000 };

export type JsonCostProblem = { limit: 'depth' | 'containers' | 'values'; max: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;

/**
 * The first limit `text` goes over, or undefined when it parses within all of them. It does not
 * validate: malformed text is left for `JSON.parse` to refuse. Values are counted as one (the
 * root) plus one per comma plus one per non-empty array or object (its first element).
 */
export function exceedsJsonLimits(text: string, limits: JsonLimits = JSON_LIMITS): JsonCostProblem | undefined {
  if (withinLimitsByCount(text, limits)) {
    return undefined;
  }
  const { maxDepth, maxContainers, maxValues } = limits;
  let depth = 0;
  let containers = 0;
  let values = 1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) {
        return undefined; // an unterminated string: JSON.parse says so
      }
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > maxDepth) {
        return { limit: 'depth', max: maxDepth };
      }
      if (++containers > maxContainers) {
        return { limit: 'containers', max: maxContainers };
      }
      if (!closesAt(text, i + 1) && ++values > maxValues) {
        return { limit: 'values', max: maxValues };
      }
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    } else if (c === COMMA && ++values > maxValues) {
      return { limit: 'values', max: maxValues };
    }
  }
  return undefined;
}

/**
 * True when no limit can be reached, by counts that bound the real ones from above (brackets and
 * commas inside strings counted too): a text shorter than the container and value limits cannot
 * hold more of either, and one with at most `maxDepth` opening brackets cannot nest deeper. Two
 * native `indexOf` passes instead of the character loop: a run's hundreds of traces of tens of KB
 * each, mostly strings with escaped quotes, are checked at a fraction of the scan's cost.
 */
function withinLimitsByCount(text: string, { maxDepth, maxContainers, maxValues }: JsonLimits): boolean {
  if (text.length >= maxContainers || text.length >= maxValues) {
    return false;
  }
  let opens = 0;
  for (const bracket of ['[', '{']) {
    for (let at = text.indexOf(bracket); at >= 0; at = text.indexOf(bracket, at + 1)) {
      if (++opens > maxDepth) {
        return false;
      }
    }
  }
  return true;
}

/** True when the first character from `at` that is not JSON whitespace closes an array or object. */
function closesAt(text: string, at: number): boolean {
  let c = text.charCodeAt(at);
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
    c = text.charCodeAt(++at);
  }
  return c === CLOSE_ARRAY || c === CLOSE_OBJECT;
}

/** The index of the quote that closes the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) {
      return -1;
    }
    // Escaped when preceded by an odd number of backslashes.
    let slashes = 0;
    while (text.charCodeAt(at - 1 - slashes) === BACKSLASH) {
      slashes++;
    }
    if (slashes % 2 === 0) {
      return at;
    }
  }
}

/** The words for a refusal: what the body holds too much of, never an invitation to raise the size cap. */
export function describeJsonCostProblem(problem: JsonCostProblem): string {
  const max = problem.max.toLocaleString('en-US');
  switch (problem.limit) {
    case 'depth':
      return l10n.t('is too deeply nested (more than {0} levels of arrays and objects)', max);
    case 'containers':
      return l10n.t('holds too many values (more than {0} arrays and objects)', max);
    case 'values':
      return l10n.t('holds too many values (more than {0})', max);
  }
}

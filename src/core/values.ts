/** Readers for values from the server or from stored state, which may be of any shape. Pure. */

/** The string with its ends trimmed, when there is something left (and it is at most `maxLength`); else undefined. */
export function nonEmptyText(value: unknown, maxLength = Number.POSITIVE_INFINITY): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const trimmed = value.trim();
  return trimmed !== '' && trimmed.length <= maxLength ? trimmed : undefined;
}

/** A finite number, else undefined. */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * What every measure prints: one JSON line per table row, marked so the driver can pick rows out of
 * whatever else a child process writes. A measure that cannot run says why in its row instead of
 * printing a number.
 */

export type Verdict = 'ok' | 'MISSED' | 'info' | `not measured: ${string}`;

export interface Row {
  measure: string;
  value: string;
  floor: string;
  ratio: string;
  target: string;
  verdict: Verdict;
  /** A line for the notes under the table (what was timed, what dominates). */
  note?: string;
}

export const ROW_MARK = '@@BENCH-ROW ';

export function emit(row: Row): void {
  process.stdout.write(`${ROW_MARK}${JSON.stringify(row)}\n`);
}

/** A row for something that could not be measured. */
export function notMeasured(measure: string, why: string, target = '—'): Row {
  return { measure, value: '—', floor: '—', ratio: '—', target, verdict: `not measured: ${why}` };
}

/** Thrown when a module a measure needs is not there (yet). */
export class NotMeasured extends Error {}

export function ms(value: number): string {
  if (value < 0) {
    return `−${ms(-value)}`;
  }
  if (value < 0.1) {
    return `${(value * 1000).toFixed(1)} µs`;
  }
  if (value < 10) {
    return `${value.toFixed(2)} ms`;
  }
  return `${Math.round(value)} ms`;
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

export function ratio(value: number, floor: number): string {
  return floor > 0 ? `${(value / floor).toFixed(2)}×` : '—';
}

/** `ok` when `value <= limit`, else `MISSED`. */
export function atMost(value: number, limit: number): Verdict {
  return value <= limit ? 'ok' : 'MISSED';
}

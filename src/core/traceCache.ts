/**
 * The trace store's memory: traces by source and step (a saved file never stands in for the live
 * trace), least recently used first out, at most `maxEntries`, and their sizes counted in the shared
 * `MemoryBudget` with the rendered documents and the viewer's pending pieces. A trace held in use (on
 * screen in a panel) counts but stays. No `vscode` import, so it is unit-tested in Node.
 */
import type { LoadedTrace, TraceSource } from './lettaTypes';
import { MemoryBudget } from './memoryBudget';
import { approximateJsonSize } from './traceJson';
import { traceKey } from './traceSource';

export interface TraceCacheLimits {
  /** Total approximate size of the cached traces, in characters of JSON (when the cache has its own budget). */
  maxTotalSize: number;
  /** At most this many traces, however small. */
  maxEntries: number;
}

/** At most 100 traces; the size bound is the shared budget's. */
export const DEFAULT_MAX_ENTRIES = 100;

const BUDGET_PREFIX = 'trace\n';

export class TraceCache {
  /** Insertion order is recency order: the first entry is the least recently used. */
  private readonly entries = new Map<string, { trace: LoadedTrace; size: number }>();
  private total = 0;
  private readonly budget: MemoryBudget;
  private readonly maxEntries: number;

  /** With a `budget`, sizes count there (shared); else in a budget of `limits.maxTotalSize` of its own. */
  constructor(limits: Partial<TraceCacheLimits> = {}, budget?: MemoryBudget) {
    this.budget = budget ?? new MemoryBudget(limits.maxTotalSize ?? Number.POSITIVE_INFINITY);
    this.maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /** The cached trace, marked as just used. */
  get(stepId: string, source: TraceSource): LoadedTrace | undefined {
    const key = traceKey(stepId, source);
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.budget.touch(BUDGET_PREFIX + key);
    }
    return entry?.trace;
  }

  /** The cached trace, leaving the order alone. */
  peek(stepId: string, source: TraceSource): LoadedTrace | undefined {
    return this.entries.get(traceKey(stepId, source))?.trace;
  }

  has(stepId: string, source: TraceSource): boolean {
    return this.entries.has(traceKey(stepId, source));
  }

  /**
   * Adds (or replaces) a trace as the most recently used, then evicts the least recently used until
   * within the limits. The newest trace always stays, even alone over the size limit: it is on screen.
   */
  set(trace: LoadedTrace): void {
    const key = traceKey(trace.stepId, trace.source);
    if (this.entries.get(key)?.trace === trace) {
      // Already cached (shown again): a use, with no second walk over a large trace to size it.
      this.get(trace.stepId, trace.source);
      return;
    }
    this.forget(key);
    const size = approximateJsonSize(trace.trace) + (trace.step ? approximateJsonSize(trace.step) : 0);
    this.entries.set(key, { trace, size });
    this.total += size;
    this.budget.add(BUDGET_PREFIX + key, size, () => this.forget(key));
    // Past the entry limit the least recently used go too, except the newest and those on screen.
    for (const [k] of [...this.entries]) {
      if (this.entries.size <= Math.max(1, this.maxEntries)) {
        break;
      }
      if (k !== key && !this.budget.isHeld(BUDGET_PREFIX + k)) {
        this.delete(k);
      }
    }
  }

  /** Keeps `trace` from being evicted (it is on screen) until `release`; it still counts. */
  hold(trace: LoadedTrace): void {
    this.budget.hold(BUDGET_PREFIX + traceKey(trace.stepId, trace.source));
  }

  release(trace: LoadedTrace): void {
    this.budget.release(BUDGET_PREFIX + traceKey(trace.stepId, trace.source));
  }

  delete(stepIdOrKey: string, source?: TraceSource): boolean {
    const key = source ? traceKey(stepIdOrKey, source) : stepIdOrKey;
    if (!this.entries.has(key)) {
      return false;
    }
    this.forget(key);
    this.budget.remove(BUDGET_PREFIX + key);
    return true;
  }

  /** Removes every trace `drop` selects. */
  deleteWhere(drop: (trace: LoadedTrace) => boolean): void {
    for (const [key, entry] of [...this.entries]) {
      if (drop(entry.trace)) {
        this.delete(key);
      }
    }
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) {
      this.delete(key);
    }
  }

  /** The cached traces, most recently used first. */
  traces(): LoadedTrace[] {
    return [...this.entries.values()].reverse().map((e) => e.trace);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The approximate size of the cached traces, in characters of JSON. */
  get totalSize(): number {
    return this.total;
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.total -= entry.size;
    }
  }
}

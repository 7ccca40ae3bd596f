/**
 * The trace store's memory: least recently used first out, bounded by the traces' total size (one
 * 50 MB trace weighs more than a hundred small ones). No `vscode` import, so it is unit-tested in Node.
 */
import type { LoadedTrace } from './lettaTypes';
import { approximateJsonSize } from './traceJson';

export interface TraceCacheLimits {
  /** Total approximate size of the cached traces, in characters of JSON. */
  maxTotalSize: number;
  /** At most this many traces, however small. */
  maxEntries: number;
}

/** About 200 MB of JSON text, at most 100 traces. */
export const DEFAULT_CACHE_LIMITS: TraceCacheLimits = { maxTotalSize: 200 * 1024 * 1024, maxEntries: 100 };

export class TraceCache {
  /** Insertion order is recency order: the first entry is the least recently used. */
  private readonly entries = new Map<string, { trace: LoadedTrace; size: number }>();
  private total = 0;

  constructor(private readonly limits: TraceCacheLimits = DEFAULT_CACHE_LIMITS) {}

  /** The cached trace, marked as just used. */
  get(stepId: string): LoadedTrace | undefined {
    const entry = this.entries.get(stepId);
    if (entry) {
      this.entries.delete(stepId);
      this.entries.set(stepId, entry);
    }
    return entry?.trace;
  }

  /** The cached trace, leaving the order alone. */
  peek(stepId: string): LoadedTrace | undefined {
    return this.entries.get(stepId)?.trace;
  }

  has(stepId: string): boolean {
    return this.entries.has(stepId);
  }

  /**
   * Adds (or replaces) a trace as the most recently used, then evicts the least recently used until
   * within the limits. The newest trace always stays, even alone over the size limit: it is on screen.
   */
  set(trace: LoadedTrace): void {
    this.delete(trace.stepId);
    const size = approximateJsonSize(trace.trace) + (trace.step ? approximateJsonSize(trace.step) : 0);
    this.entries.set(trace.stepId, { trace, size });
    this.total += size;
    for (const [id] of this.entries) {
      if (this.entries.size <= 1 || (this.total <= this.limits.maxTotalSize && this.entries.size <= this.limits.maxEntries)) {
        break;
      }
      this.delete(id);
    }
  }

  delete(stepId: string): boolean {
    const entry = this.entries.get(stepId);
    if (!entry) {
      return false;
    }
    this.entries.delete(stepId);
    this.total -= entry.size;
    return true;
  }

  /** Removes every trace `drop` selects. */
  deleteWhere(drop: (trace: LoadedTrace) => boolean): void {
    for (const [id, entry] of [...this.entries]) {
      if (drop(entry.trace)) {
        this.delete(id);
      }
    }
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  /** Step IDs, most recently used first. */
  keys(): string[] {
    return [...this.entries.keys()].reverse();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The approximate size of everything cached, in characters of JSON. */
  get totalSize(): number {
    return this.total;
  }
}

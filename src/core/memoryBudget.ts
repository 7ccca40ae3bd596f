/**
 * One memory budget for everything the host keeps of traces: the trace cache, the rendered JSON
 * documents and the viewer's pieces waiting for their webview. Each holder adds what it keeps with
 * its size and a way to drop it; past the budget the least recently used droppable entry goes first,
 * whoever holds it. Entries in use (a trace on screen) count but are never dropped. Pure: no `vscode`.
 */

/** About 200 MB of JSON text: the sum of every cached trace, rendered document and pending piece. */
export const DEFAULT_MEMORY_BUDGET = 200 * 1024 * 1024;

interface Entry {
  size: number;
  /** Called when the budget drops the entry: the holder forgets what it kept. */
  drop: () => void;
  /** Held in use: counted, never dropped. */
  inUse: number;
}

export class MemoryBudget {
  /** Insertion order is recency order: the first entry is the least recently used. */
  private readonly entries = new Map<string, Entry>();
  private total = 0;

  constructor(readonly maxSize: number = DEFAULT_MEMORY_BUDGET) {}

  /**
   * Counts `size` under `key` (replacing what `key` had) as the most recently used, then drops the
   * least recently used entries until within the budget. The new entry itself is kept even alone over
   * the budget: it is what the user just asked for.
   */
  add(key: string, size: number, drop: () => void): void {
    const previous = this.entries.get(key);
    this.remove(key);
    this.entries.set(key, { size, drop, inUse: previous?.inUse ?? 0 });
    this.total += size;
    this.trim(key);
  }

  /** Marks `key` as just used. */
  touch(key: string): void {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
  }

  /** Stops counting `key` (its holder let it go); does not call its `drop`. */
  remove(key: string): void {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.total -= entry.size;
    }
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** True while `key` is held in use. */
  isHeld(key: string): boolean {
    return (this.entries.get(key)?.inUse ?? 0) > 0;
  }

  /** Keeps `key` from being dropped until as many `release` calls; a no-op for an unknown key. */
  hold(key: string): void {
    const entry = this.entries.get(key);
    if (entry) {
      entry.inUse++;
    }
  }

  release(key: string): void {
    const entry = this.entries.get(key);
    if (entry && entry.inUse > 0) {
      entry.inUse--;
      this.trim();
    }
  }

  /** Everything counted, in the holders' units (characters of JSON, bytes of rendered text). */
  get totalSize(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  private trim(keep?: string): void {
    if (this.total <= this.maxSize) {
      return;
    }
    for (const [key, entry] of [...this.entries]) {
      if (this.total <= this.maxSize) {
        return;
      }
      if (key === keep || entry.inUse > 0) {
        continue;
      }
      this.remove(key);
      entry.drop();
    }
  }
}

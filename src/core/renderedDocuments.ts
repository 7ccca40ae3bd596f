/**
 * What the trace file system keeps of rendered documents. VS Code asks `stat` then `readFile` for a
 * document: the bytes rendered for the `stat` wait for that one `readFile` and are then let go (the
 * editor holds its own copy of the text), so a 50 MB document is not kept twice. While waiting they
 * count in the shared `MemoryBudget`; only the size and mtime stay after. A failure is kept for a
 * moment only, so a stat/read pair does not load twice, yet opening the document again retries.
 * Pure: no `vscode`.
 */
import type { MemoryBudget } from './memoryBudget';

export interface RenderedMeta {
  size: number;
  /** The trace's load time: a refreshed trace gives its documents a new mtime, so editors reload. */
  mtime: number;
  ok: boolean;
}

/** How long a failed render is reused (for its stat/read pair). */
export const FAILED_RENDER_MS = 2000;
/** Size and mtime of at most this many documents are remembered (a few numbers each). */
const MAX_META = 1000;
const BUDGET_PREFIX = 'document\n';

export class RenderedDocuments {
  private readonly meta = new Map<string, RenderedMeta & { until: number }>();
  private readonly pending = new Map<string, Uint8Array>();

  constructor(
    private readonly budget: MemoryBudget,
    private readonly now: () => number = Date.now,
  ) {}

  /** Size and mtime of a rendered document still valid, with no render. */
  stat(key: string): RenderedMeta | undefined {
    const m = this.meta.get(key);
    if (!m) {
      return undefined;
    }
    if (m.until <= this.now()) {
      this.forget(key);
      return undefined;
    }
    return { size: m.size, mtime: m.mtime, ok: m.ok };
  }

  /** Keeps freshly rendered `bytes` for the next `take`, and their size and mtime. */
  put(key: string, bytes: Uint8Array, mtime: number, ok: boolean): void {
    this.forget(key);
    this.meta.set(key, { size: bytes.byteLength, mtime, ok, until: ok ? Number.POSITIVE_INFINITY : this.now() + FAILED_RENDER_MS });
    while (this.meta.size > MAX_META) {
      this.forget(this.meta.keys().next().value as string);
    }
    this.pending.set(key, bytes);
    this.budget.add(BUDGET_PREFIX + key, bytes.byteLength, () => this.pending.delete(key));
  }

  /** The bytes waiting for their `readFile`, handed over once (then only the size and mtime stay). */
  take(key: string): Uint8Array | undefined {
    if (this.stat(key) === undefined) {
      return undefined;
    }
    const bytes = this.pending.get(key);
    if (bytes) {
      this.pending.delete(key);
      this.budget.remove(BUDGET_PREFIX + key);
    }
    return bytes;
  }

  /** Forgets the documents whose key `drop` selects; gives their keys (to tell open editors). */
  invalidate(drop: (key: string) => boolean): string[] {
    const keys = [...this.meta.keys()].filter(drop);
    for (const key of keys) {
      this.forget(key);
    }
    return keys;
  }

  /** Bytes held now (waiting for a read). */
  get heldBytes(): number {
    let n = 0;
    for (const b of this.pending.values()) {
      n += b.byteLength;
    }
    return n;
  }

  clear(): void {
    this.invalidate(() => true);
  }

  private forget(key: string): void {
    this.meta.delete(key);
    if (this.pending.delete(key)) {
      this.budget.remove(BUDGET_PREFIX + key);
    }
  }
}

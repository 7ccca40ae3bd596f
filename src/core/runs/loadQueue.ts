/**
 * Loads a run's traces lazily, at most N at a time, with ONE backoff shared by every pending load:
 * when the server says 429, nothing new starts until the pause is over (it grows while 429s keep
 * coming, and resets on a success), and the limited load is tried again first — never a retry storm
 * of every worker on its own. Cancelling aborts what is in flight and drops what waits. Generic over
 * what a load returns; the host passes `(id, signal) => client.getTrace(id, { signal, maxRetries: 0 })`
 * so the queue, not the client, decides when to try again. Pure: no `vscode` import.
 */
import * as l10n from '@vscode/l10n';

export interface LoadQueueOptions<T> {
  /** Loads one item; must honour `signal`. */
  load: (id: string, signal: AbortSignal) => Promise<T>;
  /** At most this many loads at once. Default 4. */
  concurrency?: number;
  /** True for a failure that means "slow down" (a 429). Default: an error whose `kind` is `rate-limited`. */
  isRateLimited?: (error: unknown) => boolean;
  /** How long the server asked to wait, if it said (Retry-After); else the queue's own backoff applies. */
  retryAfterMs?: (error: unknown) => number | undefined;
  /** The shared pause after the n-th 429 in a row (n from 0). Default 500 ms doubling to 8 s. */
  backoffMs?: (consecutive: number) => number;
  /** A load limited this many times in a row fails with its last error. Default 4. */
  maxRateLimitRetries?: number;
}

export class LoadCancelledError extends Error {
  override readonly name = 'LoadCancelledError';
  constructor() {
    super(l10n.t('The load was cancelled.'));
  }
}

interface Entry<T> {
  id: string;
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
  limited: number;
  controller?: AbortController;
}

const defaultIsRateLimited = (e: unknown) => typeof e === 'object' && e !== null && (e as { kind?: unknown }).kind === 'rate-limited';
const defaultBackoff = (n: number) => Math.min(500 * 2 ** n, 8000);

export class LoadQueue<T> {
  private readonly waiting: Entry<T>[] = [];
  private readonly running = new Map<string, Entry<T>>();
  private readonly known = new Map<string, Entry<T>>();
  private readonly concurrency: number;
  private pausedUntil = 0;
  private consecutiveLimits = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private cancelled = false;

  constructor(private readonly options: LoadQueueOptions<T>) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  }

  /** Loads in flight. */
  get active(): number {
    return this.running.size;
  }

  /** Loads waiting for a free slot or for the pause to end. */
  get queued(): number {
    return this.waiting.length;
  }

  /** When new loads may start again after a 429 (ms since the epoch); 0 when not paused. */
  get pausedUntilMs(): number {
    return this.pausedUntil > Date.now() ? this.pausedUntil : 0;
  }

  /** Asks for `id`; the same ID asked again while it loads shares that load. Rejects with `LoadCancelledError` after `cancel()`. */
  request(id: string): Promise<T> {
    const known = this.known.get(id);
    if (known) {
      return known.promise;
    }
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A caller that only fires and forgets must not see an unhandled rejection on cancel.
    promise.catch(() => undefined);
    const entry: Entry<T> = { id, promise, resolve, reject, limited: 0 };
    this.known.set(id, entry);
    if (this.cancelled) {
      reject(new LoadCancelledError());
      return promise;
    }
    this.waiting.push(entry);
    this.pump();
    return promise;
  }

  /** Moves these waiting IDs to the front, in this order (the rows on screen first). */
  prioritise(ids: readonly string[]): void {
    const wanted = new Set(ids);
    const first = ids.map((id) => this.waiting.find((e) => e.id === id)).filter((e): e is Entry<T> => e !== undefined);
    const rest = this.waiting.filter((e) => !wanted.has(e.id));
    this.waiting.splice(0, this.waiting.length, ...first, ...rest);
  }

  /** Aborts every load in flight and rejects every waiting one; later requests reject at once. */
  cancel(): void {
    this.cancelled = true;
    clearTimeout(this.timer);
    for (const entry of this.waiting.splice(0)) {
      entry.reject(new LoadCancelledError());
    }
    for (const entry of this.running.values()) {
      entry.controller?.abort();
      entry.reject(new LoadCancelledError());
    }
    this.running.clear();
  }

  private pump(): void {
    if (this.cancelled) {
      return;
    }
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.pump(), wait);
      return;
    }
    while (this.running.size < this.concurrency && this.waiting.length > 0) {
      const entry = this.waiting.shift() as Entry<T>;
      this.start(entry);
    }
  }

  private start(entry: Entry<T>): void {
    const controller = new AbortController();
    entry.controller = controller;
    this.running.set(entry.id, entry);
    const settle = () => {
      if (this.running.get(entry.id) === entry) {
        this.running.delete(entry.id);
      }
    };
    this.options.load(entry.id, controller.signal).then(
      (value) => {
        if (controller.signal.aborted) {
          return;
        }
        settle();
        this.consecutiveLimits = 0;
        // Forgotten once loaded: the queue must not hold what it loaded (a 200-step run's traces);
        // the caller's cache answers an ID asked for again.
        this.known.delete(entry.id);
        entry.resolve(value);
        this.pump();
      },
      (error: unknown) => {
        if (controller.signal.aborted) {
          return;
        }
        settle();
        const limited = (this.options.isRateLimited ?? defaultIsRateLimited)(error);
        if (limited && entry.limited < (this.options.maxRateLimitRetries ?? 4)) {
          entry.limited++;
          // One pause for everyone: the longer of what the server asked and our backoff so far.
          const asked = this.options.retryAfterMs?.(error);
          const pause = Math.max(asked ?? 0, (this.options.backoffMs ?? defaultBackoff)(this.consecutiveLimits++));
          this.pausedUntil = Math.max(this.pausedUntil, Date.now() + pause);
          this.waiting.unshift(entry);
        } else {
          entry.reject(error);
          // A failed ID may be asked for again (a retry button): forget it.
          this.known.delete(entry.id);
        }
        this.pump();
      },
    );
  }
}

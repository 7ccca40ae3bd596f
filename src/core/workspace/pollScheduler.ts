/**
 * When to ask the server for an agent's new runs: one poll at a time, at most one every
 * `intervalMs`, none while the view is hidden or the window unfocused, and further apart after
 * errors (doubling up to `maxBackoffMs`; a 429's Retry-After is honoured when longer). Pure: the
 * clock is injected, so the unit tests drive it with a fake one.
 */

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** How one poll ended. */
export type PollOutcome = { ok: true } | { ok: false; rateLimited?: boolean; retryAfterMs?: number };

export interface PollSchedulerOptions {
  clock: Clock;
  /** Time between two polls, ms; clamped to at least `MIN_POLL_INTERVAL_MS`. */
  intervalMs: number;
  /** Longest wait after errors. Default 5 minutes. */
  maxBackoffMs?: number;
  /** One poll. It should not throw (a throw counts as an error). */
  poll: () => Promise<PollOutcome>;
}

export const MIN_POLL_INTERVAL_MS = 3000;
const DEFAULT_MAX_BACKOFF_MS = 5 * 60_000;

export class PollScheduler {
  private active = false;
  private timer: unknown;
  private running = false;
  private disposed = false;
  /** When the last poll started; -Infinity before the first. */
  private lastStart = Number.NEGATIVE_INFINITY;
  private failures = 0;
  /** The earliest the next poll may start (interval, or backoff after errors). */
  private notBefore = Number.NEGATIVE_INFINITY;
  private intervalMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: PollSchedulerOptions) {
    this.intervalMs = clampInterval(options.intervalMs);
    this.maxBackoffMs = Math.max(this.intervalMs, options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
  }

  /** Polls run only while active (view visible and window focused). */
  setActive(active: boolean): void {
    if (this.disposed || active === this.active) {
      return;
    }
    this.active = active;
    if (active) {
      this.schedule();
    } else {
      this.cancelTimer();
    }
  }

  get isActive(): boolean {
    return this.active;
  }

  /** The runs were just read another way (the first load): the next poll waits a full interval. */
  noteFetched(): void {
    this.lastStart = this.options.clock.now();
    this.notBefore = this.lastStart + this.intervalMs;
    if (this.timer !== undefined) {
      this.cancelTimer();
      this.schedule();
    }
  }

  setInterval(intervalMs: number): void {
    this.intervalMs = clampInterval(intervalMs);
    if (this.active && !this.running) {
      this.notBefore = this.lastStart + this.currentWait();
      this.cancelTimer();
      this.schedule();
    }
  }

  /** The wait after the last poll: the interval, doubled per failure in a row, capped. */
  currentWait(): number {
    return Math.min(this.maxBackoffMs, this.intervalMs * 2 ** Math.min(this.failures, 20));
  }

  /** Consecutive failed polls (0 after a success). */
  get failureCount(): number {
    return this.failures;
  }

  private schedule(): void {
    if (!this.active || this.running || this.timer !== undefined || this.disposed) {
      return;
    }
    const wait = Math.max(0, this.notBefore - this.options.clock.now());
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, wait);
  }

  private async run(): Promise<void> {
    if (!this.active || this.disposed) {
      return;
    }
    this.running = true;
    this.lastStart = this.options.clock.now();
    let outcome: PollOutcome;
    try {
      outcome = await this.options.poll();
    } catch {
      outcome = { ok: false };
    }
    this.running = false;
    if (outcome.ok) {
      this.failures = 0;
      this.notBefore = this.lastStart + this.intervalMs;
    } else {
      this.failures++;
      const retryAfter = outcome.retryAfterMs ?? 0;
      this.notBefore = this.lastStart + Math.max(this.currentWait(), Math.min(retryAfter, this.maxBackoffMs));
    }
    this.schedule();
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.options.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.active = false;
    this.cancelTimer();
  }
}

function clampInterval(ms: number): number {
  return Number.isFinite(ms) ? Math.max(MIN_POLL_INTERVAL_MS, ms) : MIN_POLL_INTERVAL_MS;
}

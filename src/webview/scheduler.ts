/**
 * Runs rendering work in slices of a few milliseconds, so a trace with thousands of messages shows
 * its first screen at once and the rest arrives without freezing the page.
 */

const SLICE_MS = 10;
/** When no frame comes (the page is hidden), slices still run this often. */
const HIDDEN_FRAME_MS = 50;

export class Scheduler {
  private queue: (() => void)[] = [];
  private scheduled = false;
  private readonly channel = new MessageChannel();
  private idleWaiters: (() => void)[] = [];

  constructor() {
    this.channel.port1.onmessage = () => this.run();
  }

  /** Drops queued work (a new trace arrived). */
  reset(): void {
    this.queue = [];
  }

  add(task: () => void): void {
    this.queue.push(task);
    this.kick();
  }

  /** Resolves when every queued task has run. */
  idle(): Promise<void> {
    if (this.queue.length === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Runs queued tasks now for up to `ms` (the first screen). */
  flushFor(ms: number): void {
    const end = performance.now() + ms;
    while (this.queue.length > 0 && performance.now() < end) {
      this.queue.shift()!();
    }
    this.settle();
  }

  private kick(): void {
    if (this.scheduled) {
      return;
    }
    this.scheduled = true;
    // One slice per frame: after the next frame is painted, a message-channel turn (no 4 ms clamp
    // like setTimeout). Back-to-back message-channel tasks alone would starve painting, so the
    // first screen would wait for the whole queue. A hidden page gets no frames: the timer goes on.
    let started = false;
    const slice = () => {
      if (!started) {
        started = true;
        clearTimeout(fallback);
        this.channel.port2.postMessage(null);
      }
    };
    const fallback = setTimeout(slice, HIDDEN_FRAME_MS);
    requestAnimationFrame(slice);
  }

  private run(): void {
    this.scheduled = false;
    const end = performance.now() + SLICE_MS;
    while (this.queue.length > 0 && performance.now() < end) {
      this.queue.shift()!();
    }
    if (this.queue.length > 0) {
      this.kick();
    }
    this.settle();
  }

  private settle(): void {
    if (this.queue.length === 0 && this.idleWaiters.length > 0) {
      for (const resolve of this.idleWaiters.splice(0)) {
        resolve();
      }
    }
  }
}

/** Yields to the browser (input, paint) before continuing a long loop. */
export function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

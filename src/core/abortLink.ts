/**
 * One abort signal for a request: it aborts when any of its sources does or when its time is up,
 * and lets go of its timer and listeners as soon as the request is done. `AbortSignal.timeout`
 * keeps its timer (and its signal) alive until the timeout passes, and `AbortSignal.any` keeps its
 * links until the garbage collector gets to them: a run's 200 trace requests left hundreds of each
 * behind, about a tenth of the fetch time in garbage collection. Pure: no `vscode` import.
 */

export interface AbortLink {
  /** The current signal: aborts with the first source's reason, with a `TimeoutError` once the time is up, or on `abort()`. */
  readonly signal: AbortSignal;
  /** True when the time ran out (not a source, not `abort()`). */
  readonly timedOut: boolean;
  /** Aborts the current signal only, not the sources: drops a response that will not be read. */
  abort(): void;
  /** A fresh current signal after `abort()` (a redirect's next hop), still linked; aborted at once if a source or the time already ended it. */
  renew(): AbortSignal;
  /** Clears the timer and the listeners; the signal stays as it is. Safe to call more than once. */
  dispose(): void;
}

/**
 * A signal linked to `sources` (absent ones skipped) and, when given, a timeout in ms. It creates
 * one `AbortSignal` (and one per `renew`): in Node 20 each costs more than the timer and the
 * listeners together.
 */
export function linkAbort(sources: readonly (AbortSignal | null | undefined)[], timeoutMs?: number): AbortLink {
  let controller = new AbortController();
  const listeners: [AbortSignal, () => void][] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  /** Set once a source or the time ended the link: every signal it gives is aborted with it. */
  let ended: { reason: unknown } | undefined;
  const dispose = () => {
    clearTimeout(timer);
    timer = undefined;
    for (const [source, listener] of listeners) {
      source.removeEventListener('abort', listener);
    }
    listeners.length = 0;
  };
  const end = (reason: unknown) => {
    if (ended === undefined) {
      ended = { reason };
      dispose();
      controller.abort(reason);
    }
  };
  for (const source of sources) {
    if (!source) {
      continue;
    }
    if (source.aborted) {
      end(source.reason);
      break;
    }
    const listener = () => end(source.reason);
    source.addEventListener('abort', listener, { once: true });
    listeners.push([source, listener]);
  }
  if (timeoutMs !== undefined && ended === undefined) {
    timer = setTimeout(() => {
      timedOut = true;
      // The reason AbortSignal.timeout gives, so whoever reads it sees the same error.
      end(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, timeoutMs);
    // Like AbortSignal.timeout's, the timer alone never keeps the process alive.
    (timer as { unref?: () => void }).unref?.();
  }
  return {
    get signal() {
      return controller.signal;
    },
    get timedOut() {
      return timedOut;
    },
    abort: () => controller.abort(new DOMException('This operation was aborted', 'AbortError')),
    renew: () => {
      controller = new AbortController();
      if (ended !== undefined) {
        controller.abort(ended.reason);
      }
      return controller.signal;
    },
    dispose,
  };
}

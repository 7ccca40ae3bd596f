/**
 * The host's side of the viewer's find: one search at a time per panel over the trace it holds
 * (`findInTrace`), its first match posted at once, the count as it grows and when done, and each
 * match sent when the page steps to it. Pure, so the Chromium tests' fake host answers as the panel.
 */
import type { HostMessage, WebviewMessage } from '../../shared/protocol';
import type { HeldTrace } from './traceRequests';
import { findInTrace, type FindMatch, type FindOptions } from './traceSearch';

export type FindRequest = Extract<WebviewMessage, { type: 'find' | 'findMatch' }>;

export function isFindRequest(message: WebviewMessage): message is FindRequest {
  return message?.type === 'find' || message?.type === 'findMatch';
}

/** How often the count so far is posted while a search runs. */
const PROGRESS_MS = 100;

export class TraceFind {
  private id = -1;
  private matches: FindMatch[] = [];
  private done = false;

  constructor(
    private readonly post: (message: HostMessage) => void,
    /** Lets the host's other work run between slices (setImmediate). */
    private readonly yieldNow: () => Promise<void>,
    /** Tells how long a search took (for the log). */
    private readonly onDone?: (info: { total: number; ms: number; longestSliceMs: number }) => void,
  ) {}

  /** Answers a `find` or `findMatch` from the page over `held`. */
  handle(held: HeldTrace, message: FindRequest): Promise<void> {
    if (message.stepId !== held.stepId) {
      return Promise.resolve();
    }
    return message.type === 'find' ? this.find(held, message) : Promise.resolve(this.matchAt(held, message));
  }

  /** Stops the search under way (a new trace is shown, the panel closed). */
  stop(): void {
    this.id = -1;
    this.matches = [];
  }

  private async find(held: HeldTrace, message: Extract<FindRequest, { type: 'find' }>): Promise<void> {
    // From the webview: checked, not trusted.
    const id = Number(message.id);
    const query = typeof message.query === 'string' ? message.query : '';
    const given = (message.options ?? {}) as Record<string, unknown>;
    const options: FindOptions = { caseSensitive: given.caseSensitive === true, wholeWord: given.wholeWord === true, regex: given.regex === true };
    this.id = id;
    this.done = false;
    const stepId = held.stepId;
    const started = performance.now();
    let postedAt = started;
    const matches: FindMatch[] = [];
    this.matches = matches;
    const result = await findInTrace(held.roots, query, options, {
      into: matches,
      yieldNow: this.yieldNow,
      isCancelled: () => this.id !== id,
      onFirst: (first) => this.post({ type: 'findResult', stepId, id, total: 1, done: false, first }),
      onProgress: (total) => {
        const t = performance.now();
        if (t - postedAt >= PROGRESS_MS) {
          postedAt = t;
          this.post({ type: 'findResult', stepId, id, total, done: false });
        }
      },
    });
    if (this.id !== id) {
      return;
    }
    if (!result.ok) {
      this.post({ type: 'findResult', stepId, id, total: 0, done: true, error: result.error });
      return;
    }
    this.done = true;
    this.post({ type: 'findResult', stepId, id, total: result.total, done: true, first: result.matches[0], capped: result.capped, kept: result.matches.length });
    this.onDone?.({ total: result.total, ms: performance.now() - started, longestSliceMs: result.longestSliceMs });
  }

  private matchAt(held: HeldTrace, message: Extract<FindRequest, { type: 'findMatch' }>): void {
    const id = Number(message.id);
    const index = Math.floor(Number(message.index));
    const answer = { type: 'findMatch' as const, stepId: held.stepId, id, index };
    if (id !== this.id) {
      this.post({ ...answer, error: 'This search is over: search again.' });
      return;
    }
    const match = this.matches[index];
    this.post(match ? { ...answer, match } : { ...answer, error: this.done ? `Only the first ${this.matches.length.toLocaleString('en-US')} matches can be shown.` : 'Still searching.' });
  }
}

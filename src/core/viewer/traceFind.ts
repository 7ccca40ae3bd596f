/**
 * The host's side of the viewer's find: one search at a time per panel over the trace it holds
 * (`findInTrace`), its first match posted at once, the count as it grows and when done, and each
 * match sent when the page steps to it. Pure, so the Chromium tests' fake host answers as the panel.
 */
import type { HostMessage, WebviewMessage } from '../../shared/protocol';
import type { HeldTrace } from './traceRequests';
import { findInTrace, FoundList, type FindHooks, type FindOptions, type FindResult } from './traceSearch';
import { buildTextIndex, findInIndex, indexAnswers, type TraceTextIndex } from './traceTextIndex';

export type FindRequest = Extract<WebviewMessage, { type: 'find' | 'findMatch' | 'findPrepare' }>;

export function isFindRequest(message: WebviewMessage): message is FindRequest {
  return message?.type === 'find' || message?.type === 'findMatch' || message?.type === 'findPrepare';
}

/** Tells the memory budget what a trace's index holds (`bytes`), or that it is gone (undefined); `drop` lets it go. */
export type IndexAccount = (bytes: number | undefined, drop: () => void) => void;

/** How often the count so far is posted while a search runs. */
const PROGRESS_MS = 100;

export class TraceFind {
  private id = -1;
  private matches = new FoundList();
  private done = false;
  /** The text index of the trace shown (by its roots), built once, when the find field is first focused or by the first search. */
  private index: { roots: HeldTrace['roots']; built: Promise<TraceTextIndex | undefined> } | undefined;

  constructor(
    private readonly post: (message: HostMessage) => void,
    /** Lets the host's other work run between slices (setImmediate). */
    private readonly yieldNow: () => Promise<void>,
    /** Tells how long a search took (for the log). */
    private readonly onDone?: (info: { total: number; ms: number; longestSliceMs: number; indexed: boolean }) => void,
    /** Counts the index in the memory budget. */
    private readonly account?: IndexAccount,
  ) {}

  /** Answers a `find` or `findMatch` from the page over `held`. */
  handle(held: HeldTrace, message: FindRequest): Promise<void> {
    if (message.stepId !== held.stepId) {
      return Promise.resolve();
    }
    switch (message.type) {
      case 'find':
        return this.find(held, message);
      case 'findMatch':
        this.matchAt(held, message);
        return Promise.resolve();
      case 'findPrepare':
        return this.indexOf(held).then(() => undefined);
    }
  }

  /** Stops the search under way and lets the index go (a new trace is shown, the panel closed). */
  stop(): void {
    this.id = -1;
    this.matches = new FoundList();
    this.dropIndex();
  }

  /** The index of `held`, built (in slices) the first time it is asked for. */
  private indexOf(held: HeldTrace): Promise<TraceTextIndex | undefined> {
    if (this.index?.roots !== held.roots) {
      this.dropIndex();
      const roots = held.roots;
      const built = buildTextIndex(roots, { yieldNow: this.yieldNow, isCancelled: () => this.index?.roots !== roots }).then((index) => {
        if (index && this.index?.roots === roots) {
          this.account?.(index.bytes, () => {
            if (this.index?.roots === roots) {
              this.index = undefined;
            }
          });
        }
        return index;
      });
      this.index = { roots, built };
    }
    return this.index.built;
  }

  private dropIndex(): void {
    if (this.index) {
      this.index = undefined;
      this.account?.(undefined, () => undefined);
    }
  }

  /** From the index where it can answer the query, else by walking the trace. */
  private async search(held: HeldTrace, query: string, options: FindOptions, hooks: FindHooks): Promise<{ result: FindResult | undefined; indexed: boolean }> {
    const index = indexAnswers(query, options) ? await this.indexOf(held) : undefined;
    if (hooks.isCancelled?.()) {
      return { result: undefined, indexed: false };
    }
    return index ? { result: await findInIndex(index, query, options, hooks), indexed: true } : { result: await findInTrace(held.roots, query, options, hooks), indexed: false };
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
    const matches = new FoundList();
    this.matches = matches;
    const { result, indexed } = await this.search(held, query, options, {
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
    if (this.id !== id || result === undefined) {
      return;
    }
    if (!result.ok) {
      this.post({ type: 'findResult', stepId, id, total: 0, done: true, error: result.error });
      return;
    }
    this.done = true;
    this.post({ type: 'findResult', stepId, id, total: result.total, done: true, first: result.found.at(0), capped: result.capped, kept: result.found.length });
    this.onDone?.({ total: result.total, ms: performance.now() - started, longestSliceMs: result.longestSliceMs, indexed });
  }

  private matchAt(held: HeldTrace, message: Extract<FindRequest, { type: 'findMatch' }>): void {
    const id = Number(message.id);
    const index = Math.floor(Number(message.index));
    const answer = { type: 'findMatch' as const, stepId: held.stepId, id, index };
    if (id !== this.id) {
      this.post({ ...answer, error: 'This search is over: search again.' });
      return;
    }
    const match = this.matches.at(index);
    this.post(match ? { ...answer, match } : { ...answer, error: this.done ? `Only the first ${this.matches.length.toLocaleString('en-US')} matches can be shown.` : 'Still searching.' });
  }
}

/**
 * Requests to the host for what the first post left there (raw JSON nodes, string slices),
 * each answered by a message carrying the same `id`.
 */
import type { PathSegment } from '../core/viewer/traceStubs';
import type { HostMessage } from '../shared/protocol';
import { post } from './bridge';

type Answer = Extract<HostMessage, { type: 'rawNode' | 'rawString' }>;

let nextId = 1;
const pending = new Map<number, (answer: Answer) => void>();

/** Hands an answer to the request waiting for it; false when none is (a stale or foreign id). */
export function settle(answer: Answer): boolean {
  const resolve = pending.get(answer.id);
  if (!resolve) {
    return false;
  }
  pending.delete(answer.id);
  resolve(answer);
  return true;
}

/** Forgets the requests of a trace no longer shown: their answers are dropped when they come. */
export function forgetRequests(): void {
  pending.clear();
}

function ask<T extends Answer['type']>(type: T, body: Record<string, unknown>): Promise<Extract<Answer, { type: T }>> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve as (answer: Answer) => void);
    post({ type, id, ...body } as never);
  });
}

/** What the raw tree asks the host for. */
export interface RawSource {
  node(path: PathSegment[], offset?: number): Promise<{ value?: unknown; total?: number; error?: string }>;
  slice(path: PathSegment[], offset: number): Promise<{ text?: string; total?: number; error?: string }>;
  copy(path: PathSegment[], label: string): void;
}

export function hostRawSource(stepId: string): RawSource {
  return {
    node: (path, offset = 0) => ask('rawNode', { stepId, path, offset }),
    slice: (path, offset) => ask('rawString', { stepId, path, offset }),
    copy: (path, label) => post({ type: 'copyRaw', stepId, path, label }),
  };
}

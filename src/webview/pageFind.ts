/**
 * The viewer's find for a trace whose raw JSON the page holds whole (posted as text: how the
 * Chromium tests and benchmarks render a trace; the extension keeps it in the host, `rawLazy`).
 * The same search session the panel runs (core/viewer/traceFind.ts), run here over the roots the
 * Raw JSON tab parsed, its answers handed to the find bar as the host's would be: one find, which
 * finds the same things however the trace arrived.
 */
import * as l10n from '@vscode/l10n';
import { TraceFind, type FindRequest } from '../core/viewer/traceFind';
import type { HeldTrace } from '../core/viewer/traceRequests';
import { stringSlice } from '../core/viewer/tracePaging';
import type { HostMessage } from '../shared/protocol';
import type { RawSource } from './hostRequests';
import type { RawRoots } from './rawView';
import { yieldToBrowser } from './scheduler';

export interface PageFind {
  /** Takes what the find bar would post to the host. */
  send(message: FindRequest): void;
  /** Stops the search under way (another trace is shown). */
  stop(): void;
}

function rootList(roots: RawRoots): HeldTrace['roots'] {
  return (['request', 'response', 'metadata'] as const).map((key) => ({ key, value: roots[key] }));
}

/** `roots` parses the raw JSON when first needed (undefined: it is not JSON); `deliver` gets the answers. */
export function pageFind(stepId: string, roots: () => Promise<RawRoots | undefined>, deliver: (message: HostMessage) => void): PageFind {
  const session = new TraceFind(deliver, yieldToBrowser);
  let held: Promise<HeldTrace | undefined> | undefined;
  return {
    send: (message) => {
      held ??= roots().then((r) => r && { stepId, messages: [], roots: rootList(r) });
      // Handled in the order posted: a `findMatch` after its `find` finds that find's session.
      void held.then((h) => {
        if (h) {
          return session.handle(h, message);
        }
        if (message.type === 'find') {
          deliver({ type: 'findResult', stepId, id: Number(message.id), total: 0, done: true, error: l10n.t('The raw JSON could not be read, so it cannot be searched.') });
        }
      });
    },
    stop: () => session.stop(),
  };
}

/** A long string's slice from the roots the page holds, as the host's `rawString` answers it. */
export function pageSlice(roots: RawRoots): RawSource['slice'] {
  return (path, offset) => {
    const [root, ...rest] = path;
    const value = root === 'request' || root === 'response' || root === 'metadata' ? roots[root] : undefined;
    return Promise.resolve(value === undefined ? { error: l10n.t('No such path in the trace.') } : stringSlice(value, rest, offset));
  };
}

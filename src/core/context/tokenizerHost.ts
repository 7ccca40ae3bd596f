/**
 * Token counting for the extension host: a worker thread running `dist/tokenizer.js`, started on
 * the first count and stopped after a minute without one (its rank tables hold tens of MB).
 * No `vscode` import: the host passes the worker file's path (`dist/tokenizer.js` beside the
 * extension bundle). The thread that asks is never blocked: it only posts texts and awaits counts.
 */
import * as l10n from '@vscode/l10n';
import { Worker } from 'node:worker_threads';
import { localizationContents } from '../localization';
import type { Encoding, TokenCounter } from './tokenCount';
import type { CountReply, CountRequest, TokenizerWorkerData } from './tokenizerWorker';

export interface WorkerTokenCounter {
  count: TokenCounter;
  /** Stops the worker; pending counts reject. */
  dispose(): void;
}

export const IDLE_MS = 60_000;

export function createWorkerTokenCounter(workerFile: string, idleMs = IDLE_MS): WorkerTokenCounter {
  let worker: Worker | undefined;
  let nextId = 1;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Map<number, { resolve: (counts: number[]) => void; reject: (e: Error) => void }>();

  const failAll = (error: Error) => {
    for (const p of pending.values()) {
      p.reject(error);
    }
    pending.clear();
  };
  const stop = () => {
    const w = worker;
    worker = undefined;
    clearTimeout(idleTimer);
    if (w) {
      void w.terminate();
    }
  };
  const armIdle = () => {
    clearTimeout(idleTimer);
    if (pending.size === 0) {
      idleTimer = setTimeout(stop, idleMs);
      idleTimer.unref?.();
    }
  };
  const start = (): Worker => {
    if (worker) {
      return worker;
    }
    // The worker has its own copy of @vscode/l10n: it gets the same translations.
    const w = new Worker(workerFile, { workerData: { l10n: localizationContents() } satisfies TokenizerWorkerData });
    w.unref();
    w.on('message', (reply: CountReply) => {
      const p = pending.get(reply.id);
      if (!p) {
        return;
      }
      pending.delete(reply.id);
      if ('counts' in reply) {
        p.resolve(reply.counts);
      } else {
        p.reject(new Error(l10n.t('Token counting failed: {0}', reply.error)));
      }
      armIdle();
    });
    w.on('error', (e) => {
      failAll(new Error(l10n.t('The tokenizer stopped: {0}', e.message)));
      if (worker === w) {
        worker = undefined;
      }
    });
    w.on('exit', () => {
      if (worker === w) {
        worker = undefined;
        failAll(new Error(l10n.t('The tokenizer stopped.')));
      }
    });
    worker = w;
    return w;
  };

  const count: TokenCounter = (texts: readonly string[], encoding: Encoding) =>
    new Promise<number[]>((resolve, reject) => {
      clearTimeout(idleTimer);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const request: CountRequest = { id, encoding, texts: [...texts] };
      start().postMessage(request);
    });

  return {
    count,
    dispose: () => {
      stop();
      failAll(new Error(l10n.t('The tokenizer was stopped.')));
    },
  };
}

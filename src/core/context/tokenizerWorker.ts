/**
 * The tokenizer's worker thread: the entry of `dist/tokenizer.js`. The extension host starts it on
 * the first count (tokenizerHost.ts), so loading the rank tables (most of a second) and counting a
 * 10 MB request never run on the extension host's thread. Messages: `{ id, encoding, texts }` in,
 * `{ id, counts }` or `{ id, error }` out; `{ cancel: id }` stops a count between slices.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { configureLocalization, type L10nContents } from '../localization';
import { countTokensChunked, type Encoding } from './tokenCount';
import { loadEncoder } from './tokenizerModule';

export interface CountRequest {
  id: number;
  encoding: Encoding;
  texts: string[];
}
export type CountReply = { id: number; counts: number[] } | { id: number; error: string };
/** What the host starts the worker with: its translation bundle (none for English). */
export interface TokenizerWorkerData {
  l10n: L10nContents | undefined;
}

configureLocalization((workerData as TokenizerWorkerData | null)?.l10n);

const cancelled = new Map<number, { aborted: boolean }>();

async function handle(request: CountRequest): Promise<CountReply> {
  const signal = { aborted: false };
  cancelled.set(request.id, signal);
  try {
    const encode = await loadEncoder(request.encoding === 'cl100k_base' ? 'cl100k_base' : 'o200k_base');
    return { id: request.id, counts: await countTokensChunked(request.texts, encode, { signal }) };
  } catch (e) {
    return { id: request.id, error: e instanceof Error ? e.message : String(e) };
  } finally {
    cancelled.delete(request.id);
  }
}

parentPort?.on('message', (message: CountRequest | { cancel: number }) => {
  if ('cancel' in message) {
    const signal = cancelled.get(message.cancel);
    if (signal) {
      signal.aborted = true;
    }
    return;
  }
  void handle(message).then((reply) => parentPort?.postMessage(reply));
});

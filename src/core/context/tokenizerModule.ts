/**
 * The tokenizer as its own bundle (`dist/tokenizer.js`, see esbuild.js): gpt-tokenizer's rank
 * tables are megabytes of code whose first evaluation takes most of a second, so they load only
 * when a count is asked for, in a worker thread (see tokenizerWorker.ts), never at activation.
 * Each encoding is imported on first use. Pure: no `vscode` import.
 */
import type { EncodeCount, Encoding } from './tokenCount';

/** Special-token text in a trace (`<|endoftext|>`) is counted as the text it is, never refused. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

type EncodingModule = typeof import('gpt-tokenizer/cjs/encoding/o200k_base');

const loaded = new Map<Encoding, EncodeCount>();

/**
 * `require`, not `import()`: the package exports its CommonJS files under the `require` condition
 * only, and esbuild keeps a required module unevaluated until this line runs.
 */
function requireEncoding(encoding: Encoding): EncodingModule {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return encoding === 'cl100k_base'
    ? (require('gpt-tokenizer/cjs/encoding/cl100k_base') as EncodingModule)
    : (require('gpt-tokenizer/cjs/encoding/o200k_base') as EncodingModule);
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export function loadEncoder(encoding: Encoding): Promise<EncodeCount> {
  let encoder = loaded.get(encoding);
  if (!encoder) {
    try {
      const m = requireEncoding(encoding);
      encoder = (text: string) => m.countTokens(text, AS_TEXT);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    loaded.set(encoding, encoder);
  }
  return Promise.resolve(encoder);
}

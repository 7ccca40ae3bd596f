/**
 * Token counting of a step's context window, 1 MB and 10 MB requests (the generated traces), the two
 * ways the extension can count: in the tokenizer's worker thread (the host's way: `dist/tokenizer.js`
 * started by tokenizerHost), and chunked on one thread (how a page could count). Each against the
 * floor: gpt-tokenizer's `countTokens` alone, on the same texts, in one synchronous call each.
 * The target is the issue's: the asking thread is never blocked for more than 50 ms at a time
 * (event-loop delay, max, sampled every ms; for the chunked way also its longest slice).
 */
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type * as ContextWindowModule from '../src/core/context/contextWindow';
import type * as StepContextModule from '../src/core/context/stepContext';
import type * as TokenCountModule from '../src/core/context/tokenCount';
import type * as TokenizerHostModule from '../src/core/context/tokenizerHost';
import type * as TokenizerModule from '../src/core/context/tokenizerModule';
import type * as Normalize from '../src/core/conversation/normalize';
import { errorMessage } from '../src/core/errorMessage';
import type { ProviderTrace } from '../src/core/lettaTypes';
import { largeTraceText } from './lib/data';
import { OUT, need } from './lib/paths';
import { emit, ms, notMeasured, ratio } from './lib/report';
import { median, runs } from './lib/stats';

const SIZES = [1, 10];
const BLOCK_TARGET_MS = 50;

/** Runs `fn` while sampling the event loop; returns its time and the longest the loop was held. */
async function timed(fn: () => Promise<unknown>): Promise<{ ms: number; blockMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const t0 = performance.now();
  await fn();
  const elapsed = performance.now() - t0;
  // Let the sampler see the end of the last block.
  await new Promise((r) => setTimeout(r, 5));
  h.disable();
  return { ms: elapsed, blockMs: h.max / 1e6 };
}

async function main(): Promise<void> {
  let mods: {
    normalize: typeof Normalize;
    ctx: typeof ContextWindowModule;
    step: typeof StepContextModule;
    count: typeof TokenCountModule;
    host: typeof TokenizerHostModule;
    tok: typeof TokenizerModule;
  };
  try {
    mods = {
      normalize: need<typeof Normalize>('src/core/conversation/normalize'),
      ctx: need<typeof ContextWindowModule>('src/core/context/contextWindow'),
      step: need<typeof StepContextModule>('src/core/context/stepContext'),
      count: need<typeof TokenCountModule>('src/core/context/tokenCount'),
      host: need<typeof TokenizerHostModule>('src/core/context/tokenizerHost'),
      tok: need<typeof TokenizerModule>('src/core/context/tokenizerModule'),
    };
  } catch (e) {
    for (const size of SIZES) {
      emit(notMeasured(`tokens ${size} MB request`, errorMessage(e)));
    }
    return;
  }
  const workerFile = path.join(OUT, 'src', 'core', 'context', 'tokenizerWorker.js');
  const counter = mods.host.createWorkerTokenCounter(workerFile);
  try {
    // Cold start: the worker thread loads the rank tables on its first count.
    const cold = await timed(() => counter.count(['warm up'], 'o200k_base'));
    emit({
      measure: 'tokenizer worker cold start (first count)',
      value: ms(cold.ms),
      floor: '—',
      ratio: '—',
      target: `longest block ≤ ${BLOCK_TARGET_MS} ms`,
      verdict: cold.blockMs <= BLOCK_TARGET_MS ? 'ok' : 'MISSED',
      note: `tokenizer cold start: the worker loads gpt-tokenizer's o200k ranks off the host's thread; the host's longest block meanwhile ${ms(cold.blockMs)}.`,
    });
    const encode = await mods.tok.loadEncoder('o200k_base');

    for (const size of SIZES) {
      const { text } = largeTraceText(size);
      const trace = JSON.parse(text) as ProviderTrace;
      const conversation = mods.normalize.normalizeTrace(trace);
      const located = mods.step.locateSystemPrompt(conversation);
      const texts = mods.ctx.contextPieces(conversation, located).pieces.map((p) => p.text);
      const chars = texts.reduce((n, t) => n + t.length, 0);
      const n = runs(size >= 10 ? 3 : 5);

      const floorRuns: number[] = [];
      const workerRuns: { ms: number; blockMs: number }[] = [];
      const chunkedRuns: { ms: number; blockMs: number; sliceMs: number }[] = [];
      let tokens = 0;
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        tokens = texts.reduce((sum, t) => sum + encode(t), 0);
        floorRuns.push(performance.now() - t0);
        // What the host does: the sections' texts built from the conversation, then the count in the worker.
        workerRuns.push(await timed(() => counter.count(mods.ctx.contextPieces(conversation, located).pieces.map((p) => p.text), 'o200k_base')));
        let slice = 0;
        const r = await timed(() => mods.count.countTokensChunked(texts, encode, { onSlice: (s) => (slice = Math.max(slice, s)) }));
        chunkedRuns.push({ ...r, sliceMs: slice });
      }
      const workerCounts = await counter.count(texts, 'o200k_base');
      const same = workerCounts.reduce((a, b) => a + b, 0) === tokens;
      const floor = median(floorRuns);
      const worker = median(workerRuns.map((r) => r.ms));
      const workerBlock = Math.max(...workerRuns.map((r) => r.blockMs));
      const chunked = median(chunkedRuns.map((r) => r.ms));
      const chunkedBlock = Math.max(...chunkedRuns.map((r) => r.blockMs));
      const longestSlice = Math.max(...chunkedRuns.map((r) => r.sliceMs));
      const floorText = `${ms(floor)} (countTokens alone, blocking)`;
      emit({
        measure: `tokens ${size} MB request: worker thread (host)`,
        value: `${ms(worker)}, longest block ${ms(workerBlock)}`,
        floor: floorText,
        ratio: ratio(worker, floor),
        target: `longest block ≤ ${BLOCK_TARGET_MS} ms`,
        verdict: workerBlock <= BLOCK_TARGET_MS && same ? 'ok' : 'MISSED',
        note: `tokens ${size} MB: worker time includes building the sections' texts from the conversation; ${texts.length} sections, ${(chars / 1e6).toFixed(1)} M characters, ${tokens.toLocaleString('en-US')} tokens (worker count ${same ? 'equals' : 'DIFFERS from'} the floor's); the floor blocks its thread for its whole time; median of ${n} runs, longest block is the max over runs.`,
      });
      emit({
        measure: `tokens ${size} MB request: chunked, one thread (page)`,
        value: `${ms(chunked)}, longest block ${ms(chunkedBlock)}`,
        floor: floorText,
        ratio: ratio(chunked, floor),
        target: `longest block ≤ ${BLOCK_TARGET_MS} ms`,
        verdict: chunkedBlock <= BLOCK_TARGET_MS ? 'ok' : 'MISSED',
        note: `tokens ${size} MB chunked: longest slice ${ms(longestSlice)} (slices of ${mods.count.SLICE_MS} ms, pieces of ≤ ${mods.count.PIECE_CHARS} characters).`,
      });
    }
  } finally {
    counter.dispose();
  }
}

void main();

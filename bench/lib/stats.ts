/** Timing helpers: medians over runs, after warm-up, with a GC between runs when exposed. */

export function median(values: number[]): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Collects garbage when Node runs with --expose-gc, so one run's garbage is not the next one's pause. */
export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Times `fn` `runs` times after `warmup` untimed calls; returns each run's ms. */
export async function timeRuns(fn: () => unknown, runs: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) {
    await fn();
  }
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * Times two functions alternately (a, b, a, b, …) so drift in the machine's load hits both alike:
 * the ratio of their medians is then fair even when the absolute numbers wander.
 */
export async function timePaired(a: () => unknown, b: () => unknown, runs: number, warmup = 1): Promise<{ a: number[]; b: number[] }> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const out = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so neither always runs on a heap the other just filled.
    const order: ['a' | 'b', () => unknown][] = i % 2 ? [['b', b], ['a', a]] : [['a', a], ['b', b]];
    for (const [name, fn] of order) {
      gc();
      const t0 = performance.now();
      await fn();
      out[name].push(performance.now() - t0);
    }
  }
  return out;
}

/** Runs of a measure: `BENCH_QUICK=1` cuts them to a smoke test of the harness. */
export function runs(normal: number): number {
  return process.env.BENCH_QUICK === '1' ? Math.min(normal, 2) : normal;
}

/** Like `timePaired` for any number of functions: each round runs them all, in a rotating order. */
export async function timeInterleaved(fns: (() => unknown)[], runs: number, warmup = 1): Promise<number[][]> {
  for (let i = 0; i < warmup; i++) {
    for (const fn of fns) {
      await fn();
    }
  }
  const out = fns.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < fns.length; k++) {
      const j = (i + k) % fns.length;
      gc();
      const t0 = performance.now();
      await fns[j]();
      out[j].push(performance.now() - t0);
    }
  }
  return out;
}

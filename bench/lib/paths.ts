/** Where things are: the repository, the compiled tree, the benchmark's cache of generated data. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NotMeasured } from './report';

function findRoot(): string {
  let dir = __dirname;
  while (!(fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'esbuild.js')))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`repository root not found above ${__dirname}`);
    }
    dir = parent;
  }
  return dir;
}

export const ROOT = findRoot();
/** The tsc output tree (`out/`), where `src/…` and `test/…` were compiled beside `bench/`. */
export const OUT = path.resolve(__dirname, '..', '..');
/** Generated data, reused across runs (git-ignored). */
export const CACHE = path.join(ROOT, '.bench');
/**
 * The production bundles measured: `.bench/dist/` (copied by scripts/bench.mjs right after
 * `node esbuild.js --production`, so another helper's development build cannot swap in), else `dist/`.
 */
export const BUNDLES = fs.existsSync(path.join(CACHE, 'dist', 'extension.js')) ? path.join(CACHE, 'dist') : path.join(ROOT, 'dist');

/**
 * Loads a compiled project module by its source path (`src/core/stepIds`), or throws `NotMeasured`
 * naming the file when its helper has not written it yet. Kept dynamic so this benchmark builds and
 * runs while other parts are still missing.
 */
export function need<T>(sourcePath: string): T {
  const source = path.join(ROOT, `${sourcePath}.ts`);
  const compiled = path.join(OUT, `${sourcePath}.js`);
  if (!fs.existsSync(source)) {
    throw new NotMeasured(`${sourcePath}.ts does not exist yet`);
  }
  if (!fs.existsSync(compiled)) {
    throw new NotMeasured(`${sourcePath}.ts is not compiled (run npx tsc -p . --outDir out)`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(compiled) as T;
}

/** Like `need`, but also checks that the module exports `name`. */
export function needExport<T>(sourcePath: string, name: string): T {
  const mod = need<Record<string, unknown>>(sourcePath);
  if (mod[name] === undefined) {
    throw new NotMeasured(`${sourcePath}.ts has no export ${name} yet`);
  }
  return mod[name] as T;
}

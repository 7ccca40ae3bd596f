/**
 * Size: the bundles and the package as shipped. The extension bundle has a target; the note names
 * what fills it (by npm package, from an esbuild metafile of the same production build).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../src/core/errorMessage';
import { atMost, emit, kb, notMeasured } from './lib/report';
import { BUNDLES, CACHE, ROOT } from './lib/paths';

const TARGET_KB = 200;

function size(file: string): number | undefined {
  return fs.existsSync(file) ? fs.statSync(file).size : undefined;
}

/** Bytes in a minified bundle by source package (or `src/<dir>` for ours), and the total. */
async function composition(file: 'extension.js' | 'client.js'): Promise<{ text: string; total?: number }> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require(path.join(ROOT, 'node_modules', 'esbuild')) as typeof import('esbuild');
    // The options esbuild.js builds with, minified, in memory, without its console-printing plugin.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require(path.join(ROOT, 'esbuild.js')) as { bundles: Record<string, import('esbuild').BuildOptions>; clientBundle: import('esbuild').Plugin };
    const result = await esbuild.build({
      ...config.bundles[file],
      absWorkingDir: ROOT,
      minify: true,
      sourcemap: false,
      plugins: file === 'extension.js' ? [config.clientBundle] : [],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const bySource = new Map<string, number>();
    const total = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
    for (const output of Object.values(result.metafile.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
        const key = m ? m[1] : input.startsWith('src/') ? `src/${input.split('/')[1]}` : input;
        bySource.set(key, (bySource.get(key) ?? 0) + bytesInOutput);
      }
    }
    const text = [...bySource]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([k, v]) => `${k} ${kb(v)}`)
      .join(', ');
    return { text, total };
  } catch (e) {
    return { text: `composition unknown (${errorMessage(e)})` };
  }
}

async function main(): Promise<void> {
  const bundle = path.join(BUNDLES, 'extension.js');
  let ext = size(bundle);
  const parts = await composition('extension.js');
  let caveat = '';
  // Another helper's `node esbuild.js` (a development build) may have replaced the production one.
  if (ext !== undefined && /sourceMappingURL=/.test(fs.readFileSync(bundle, 'utf8').slice(-300)) && parts.total) {
    caveat = ` dist/extension.js was a development build (${kb(ext)}); the value is an in-memory production build with esbuild.js's options.`;
    ext = parts.total;
  }
  if (ext === undefined) {
    emit(notMeasured('size: dist/extension.js (minified)', 'dist/extension.js is missing', `≤ ${TARGET_KB} KB`));
  } else {
    emit({
      measure: 'size: dist/extension.js (minified)',
      value: kb(ext),
      floor: '—',
      ratio: '—',
      target: `≤ ${TARGET_KB} KB`,
      verdict: atMost(ext / 1024, TARGET_KB),
      note: `extension bundle by source: ${parts.text}.${caveat}`,
    });
  }
  const client = size(path.join(BUNDLES, 'client.js'));
  if (client === undefined) {
    emit(notMeasured('size: dist/client.js (loaded on the first request)', 'dist/client.js is missing'));
  } else {
    const clientParts = await composition('client.js');
    emit({ measure: 'size: dist/client.js (loaded on the first request)', value: kb(client), floor: '—', ratio: '—', target: '—', verdict: 'info', note: `client bundle by source: ${clientParts.text}.` });
  }
  // Loaded on first use only (issue 16): the price table with the first cost, the tokenizer in its worker thread.
  for (const [file, what, by] of [
    ['prices.js', 'the price table, loaded with the first cost shown', '@pydantic/genai-prices'],
    ['tokenizer.js', "the tokenizer's worker thread, started on the first count", 'gpt-tokenizer (o200k + cl100k ranks)'],
    ['chat.js', 'the chat accounts, loaded with the first chat tool call', 'src/core/chat (with what they quote: the step Markdown, the comparison and diff)'],
    ['runs.js', 'the run model and the Markdown exports, loaded with the first run view or copy', 'src/core/runs (with diff) + src/core/markdown'],
    ['find.js', "the viewer's find over a whole trace, loaded with the first search", 'src/core/viewer/traceSearch + traceFind'],
  ] as const) {
    const bytes = size(path.join(BUNDLES, file));
    if (bytes === undefined) {
      emit(notMeasured(`size: dist/${file} (${what})`, `dist/${file} is missing`));
    } else {
      emit({ measure: `size: dist/${file} (${what})`, value: kb(bytes), floor: '—', ratio: '—', target: '—', verdict: 'info', note: `dist/${file}: ${by}; never part of dist/extension.js, so activation does not load it.` });
    }
  }
  const js = size(path.join(BUNDLES, 'webview.js'));
  const css = size(path.join(BUNDLES, 'webview.css'));
  if (js === undefined) {
    emit(notMeasured('size: dist/webview.js + webview.css', 'dist/webview.js is missing'));
  } else {
    emit({ measure: 'size: dist/webview.js + webview.css', value: `${kb(js)} + ${kb(css ?? 0)}`, floor: '—', ratio: '—', target: '—', verdict: 'info' });
  }
  const runJs = size(path.join(BUNDLES, 'run.js'));
  const runCss = size(path.join(BUNDLES, 'run.css'));
  if (runJs === undefined) {
    emit(notMeasured('size: dist/run.js + run.css (run view)', 'dist/run.js is missing'));
  } else {
    emit({ measure: 'size: dist/run.js + run.css (run view)', value: `${kb(runJs)} + ${kb(runCss ?? 0)}`, floor: '—', ratio: '—', target: '—', verdict: 'info' });
  }
  const vsixPath = process.env.BENCH_VSIX ?? path.join(CACHE, 'letta-step-trace.vsix');
  const vsix = size(vsixPath);
  if (vsix === undefined) {
    emit(notMeasured('size: letta-step-trace.vsix', process.env.BENCH_VSIX_ERROR ?? `${path.relative(ROOT, vsixPath)} was not built`));
  } else {
    emit({ measure: 'size: letta-step-trace.vsix', value: kb(vsix), floor: '—', ratio: '—', target: '—', verdict: 'info' });
  }
}

void main();

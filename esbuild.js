// Builds the bundles: the extension host (Node, CommonJS, `vscode` external) and its lazy parts,
// and the two webview programs (browser, IIFE): the trace viewer and the run view. Type-checking is `npm run typecheck`; esbuild does not type-check.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the shape of VS Code's `$esbuild-watch` problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/** The codicon font ships with the extension; the webview loads it from dist/. */
function copyCodicons() {
  const from = path.join(__dirname, 'node_modules', '@vscode', 'codicons', 'dist');
  const to = path.join(__dirname, 'dist', 'codicons');
  fs.mkdirSync(to, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, file), path.join(to, file));
}

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcher],
  legalComments: 'none',
};

/**
 * The host's `import('../core/clientModule')` stays a runtime require of `./client.js`, the bundle
 * beside it: the SDK and node-fetch then load on the first request instead of at activation.
 */
const clientBundle = {
  name: 'client-bundle',
  setup(build) {
    build.onResolve({ filter: /\/core\/clientModule$/ }, () => ({ path: './client.js', external: true }));
    // The price table the same way (`dist/prices.js`, loaded with the first cost shown).
    build.onResolve({ filter: /\/core\/context\/pricesModule$/ }, () => ({ path: './prices.js', external: true }));
    // The chat accounts and the run model (`dist/chat.js`, loaded with the first chat tool call).
    build.onResolve({ filter: /\/core\/chat\/chatModule$/ }, () => ({ path: './chat.js', external: true }));
    // The run model (with `diff`) and the Markdown exports (`dist/runs.js`, loaded with the first run view or copy).
    build.onResolve({ filter: /\/core\/runs\/runsModule$/ }, () => ({ path: './runs.js', external: true }));
    // The viewer's find over a whole trace (`dist/find.js`, loaded with the first search).
    build.onResolve({ filter: /\/core\/viewer\/findModule$/ }, () => ({ path: './find.js', external: true }));
  },
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // fetch-blob (under node-fetch) falls back to web-streams-polyfill only where globalThis.ReadableStream
  // is missing; the extension host (Node >= 20) always has it, so the 59 KB polyfill stays out.
  external: ['vscode', 'web-streams-polyfill', 'web-streams-polyfill/*'],
  metafile: true,
};

/** Every bundle, by its file in dist/ (the size benchmark builds the same ones). */
const bundles = {
  'extension.js': {
    ...node,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    plugins: [...common.plugins, clientBundle],
    // `import()` becomes `require()`: the extension host's CommonJS loader, not Node's ESM one.
    supported: { 'dynamic-import': false },
  },
  'client.js': { ...node, entryPoints: ['src/core/clientModule.ts'], outfile: 'dist/client.js' },
  // Loaded on first use, never at activation: the price table, and the tokenizer's worker thread
  // (its own file, started with `new Worker(dist/tokenizer.js)`; gpt-tokenizer's ranks are MBs).
  'prices.js': { ...node, entryPoints: ['src/core/context/pricesModule.ts'], outfile: 'dist/prices.js' },
  'chat.js': { ...node, entryPoints: ['src/core/chat/chatModule.ts'], outfile: 'dist/chat.js' },
  'runs.js': { ...node, entryPoints: ['src/core/runs/runsModule.ts'], outfile: 'dist/runs.js' },
  'find.js': { ...node, entryPoints: ['src/core/viewer/findModule.ts'], outfile: 'dist/find.js' },
  'tokenizer.js': { ...node, entryPoints: ['src/core/context/tokenizerWorker.ts'], outfile: 'dist/tokenizer.js' },
  'webview.js': { ...common, entryPoints: { webview: 'src/webview/main.ts' }, outdir: 'dist', platform: 'browser', format: 'iife', target: 'es2022', metafile: true },
  // The run view: its own app (dist/run.js + run.css), sharing the DOM helpers and base styles.
  'run.js': { ...common, entryPoints: { run: 'src/webview/run/main.ts' }, outdir: 'dist', platform: 'browser', format: 'iife', target: 'es2022', metafile: true },
};

async function main() {
  copyCodicons();
  const contexts = await Promise.all(Object.values(bundles).map((options) => esbuild.context(options)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

module.exports = { bundles, clientBundle };

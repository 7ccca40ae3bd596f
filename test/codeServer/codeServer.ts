/**
 * Runs the extension in a real VS Code: code-server (workbench + Node extension host from npm) driven
 * by Debian's Chromium through playwright-core. Each run is isolated in its own folder, and every
 * process it starts runs in its own process group so a failure or timeout still cleans up.
 *
 *   node out/test/codeServer/codeServer.js integration   → the mocha suite out/test/suite/index.js
 *
 * Used by scripts/test.mjs, the e2e flows and scripts/demo.mjs.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The project folder: the nearest parent with our package.json (works from `test/` and `out/test/`). */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'letta-step-trace') {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no letta-step-trace package.json above ${from}`);
    }
  }
}

export const ROOT = findRoot(__dirname);
/** Where scripts/install-code-server.sh puts code-server (CODE_SERVER_DIR overrides both). */
export const CODE_SERVER_DIR = process.env.CODE_SERVER_DIR ?? path.join(ROOT, '.test-work/code-server');
export const CODE_SERVER_BIN = path.join(CODE_SERVER_DIR, 'node_modules/.bin/code-server');
export const VSIX = path.join(ROOT, 'letta-step-trace.vsix');
export const EXTENSION_ID = 'letta-step-trace.letta-step-trace';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
// Noise from an offline workbench: no extension gallery, no vsda signing module.
const LOG_NOISE = /vsda|open-vsx|ENOTFOUND|Failed to load resource|marketplace|ERR_NAME_NOT_RESOLVED|update\.code\.visualstudio/i;

const groups = new Set<number>();
function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (pid === undefined) {
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
// A crash or Ctrl+C in the runner must not leave code-server, Chromium or the fake server behind.
process.on('exit', () => {
  for (const pid of groups) {
    killGroup(pid, 'SIGKILL');
  }
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const pid of groups) {
      killGroup(pid);
    }
    process.exit(130);
  });
}

function spawnGroup(cmd: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(cmd, args, { ...options, detached: true });
  if (child.pid !== undefined) {
    groups.add(child.pid);
    child.once('exit', () => groups.delete(child.pid as number));
  }
  return child;
}

async function stopGroup(child: ChildProcess | undefined, graceMs = 3000): Promise<void> {
  if (!child || child.pid === undefined) {
    return;
  }
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    killGroup(child.pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  killGroup(child.pid, 'SIGKILL'); // stragglers in the group (extension host, pty host, file watcher)
  groups.delete(child.pid);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
    }),
  ]);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh run folder under the system temp dir (short paths: code-server puts sockets in TMPDIR). */
export function makeRunDir(prefix: string): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `letta-${prefix}-`));
  for (const d of ['ud/User', 'ext', 'cfg', 'data', 'tmp', 'chrome', 'ws']) {
    fs.mkdirSync(path.join(base, d), { recursive: true });
  }
  return base;
}

export function removeRunDir(base: string): void {
  if (process.env.KEEP_RUN_DIRS) {
    console.log(`[code-server] kept ${base}`);
    return;
  }
  fs.rmSync(base, { recursive: true, force: true, maxRetries: 3 });
}

export interface FakeInfo {
  url: string;
  apiKey: string | null;
  agents: number;
  traces: number;
  /** The named runs' IDs (see test/fakeLetta/data.ts `NamedRuns`). */
  runs?: { memoryEdit: string; long: string; failed: string; nullTrace: string; nullTraceStepId: string } | null;
}

export interface SeenRequest {
  method: string;
  path: string;
  authorization?: string;
  outcome?: string;
}

export interface FakeProcess {
  url: string;
  info: FakeInfo;
  child: ChildProcess;
  data(): Promise<{ agents: { id: string; name: string }[]; traceStepIds: string[] }>;
  requests(): Promise<SeenRequest[]>;
  reset(): Promise<unknown>;
  setFaults(faults: unknown[]): Promise<unknown>;
  stop(): Promise<void>;
}

/** Starts the fake Letta server's CLI (compiled to out/) in its own process group. */
export async function startFake({ key = 'fake-key', noAuth = false, port = 0 }: { key?: string; noAuth?: boolean; port?: number } = {}): Promise<FakeProcess> {
  const cli = path.join(ROOT, 'out/test/fakeLetta/cli.js');
  if (!fs.existsSync(cli)) {
    throw new Error(`${path.relative(ROOT, cli)} is missing: run npm run compile-tests`);
  }
  const args = [cli, '--port', String(port), ...(noAuth ? ['--no-auth'] : ['--key', key])];
  const child = spawnGroup(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d) => (err += d));
  let info: FakeInfo;
  try {
    info = await withTimeout(
      new Promise<FakeInfo>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (d) => {
          out += d;
          const line = out.split('\n').find((l) => l.trim().startsWith('{'));
          if (line) {
            resolve(JSON.parse(line) as FakeInfo);
          }
        });
        child.once('exit', (code) => reject(new Error(`fake Letta server exited (${code}): ${err}`)));
      }),
      15000,
      'fake Letta server start',
    );
  } catch (e) {
    await stopGroup(child);
    throw e;
  }
  const url = info.url;
  const control = async <T>(p: string, body?: unknown): Promise<T> => {
    const init: RequestInit = body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
    const res = await fetch(`${url}/__fake/${p}`, init);
    return (await res.json()) as T;
  };
  return {
    url,
    info,
    child,
    data: () => control('data'),
    requests: () => control('requests'),
    reset: () => control('reset', {}),
    setFaults: (faults) => control('faults', faults),
    stop: () => stopGroup(child),
  };
}

function isolatedEnv(base: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(base, 'cfg'),
    XDG_DATA_HOME: path.join(base, 'data'),
    TMPDIR: path.join(base, 'tmp'),
    ...extra,
  };
}

function dirArgs(base: string): string[] {
  return ['--config', path.join(base, 'cfg/config.yaml'), '--user-data-dir', path.join(base, 'ud'), '--extensions-dir', path.join(base, 'ext')];
}

export function assertInstalled(): void {
  if (!fs.existsSync(CODE_SERVER_BIN)) {
    throw new Error('code-server is not installed: run bash scripts/install-code-server.sh');
  }
}

/** `code-server --install-extension x.vsix` into the run's own extensions dir. */
export function installVsix(base: string, vsix = VSIX, id = vsix === VSIX ? EXTENSION_ID : undefined): void {
  assertInstalled();
  if (!fs.existsSync(vsix)) {
    throw new Error(`${vsix} is missing: run npm run package`);
  }
  const r = spawnSync(CODE_SERVER_BIN, [...dirArgs(base), '--install-extension', vsix], { env: isolatedEnv(base), encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) {
    throw new Error(`installing ${path.basename(vsix)} failed (${r.status}): ${r.stderr || r.stdout}`);
  }
  const installed = fs.readdirSync(path.join(base, 'ext')).filter((d) => !id || d.startsWith(id));
  if (!installed.length) {
    throw new Error(`installing ${path.basename(vsix)} left no ${id ?? 'extension'} folder: ${r.stdout}`);
  }
}

export interface CodeServer {
  url: string;
  port: number;
  child: ChildProcess;
  folder: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts code-server for `folder` with user `settings` written before start. `env` reaches the
 * extension host (it inherits code-server's environment).
 */
export async function startCodeServer({
  base,
  folder,
  settings = {},
  env = {},
  port,
}: {
  base: string;
  folder: string;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  port?: number;
}): Promise<CodeServer> {
  assertInstalled();
  port ??= await freePort();
  fs.writeFileSync(
    path.join(base, 'ud/User/settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': false,
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        ...settings,
      },
      null,
      2,
    ),
  );
  const args = [
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--ignore-last-opened',
    ...dirArgs(base),
    folder,
  ];
  const child = spawnGroup(CODE_SERVER_BIN, args, { cwd: base, env: isolatedEnv(base, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited (${child.exitCode}):\n${log}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopGroup(child);
      throw new Error(`code-server did not answer /healthz within 30 s:\n${log}`);
    }
    await sleep(200);
  }
  return { url, port, child, folder, log: () => log, stop: () => stopGroup(child) };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
}

export async function launchBrowser(
  base: string,
  { viewport = { width: 1400, height: 900 }, clipboard = true, profile = 'chrome' }: { viewport?: { width: number; height: number }; clipboard?: boolean; profile?: string } = {},
): Promise<Browser> {
  const context = await chromium.launchPersistentContext(path.join(base, profile), {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    viewport,
    args: CHROMIUM_ARGS,
  });
  // The workbench's clipboard is the browser's: the step-ID box reads it for a default, and tests
  // read what "Copy" wrote. Without the permission reads fail, as in a browser that was never asked
  // (`clipboard: false`, the default of a new user's browser).
  if (clipboard) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

export function workbenchUrl(server: { url: string }, folder: string, payload?: [string, string][]): string {
  let u = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  if (payload) {
    u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  }
  return u;
}

export interface IntegrationResult {
  passed: number;
  failed: number;
  failures: { title: string; error: string }[];
  exitCode: number | null;
  error: string | null;
  ok: boolean;
}

/**
 * Mode (a): loads the extension from the work tree (no .vsix) as an extension under development and
 * runs the mocha suite in code-server's extension host. The outcome: `codeAutomationExit` and the
 * JSON results file the suite writes ({ passed, failed, failures }).
 */
export async function runIntegration({
  timeoutMs = 300000,
  settings = {},
  env = {},
  quiet = false,
  extensionPath = ROOT,
}: { timeoutMs?: number; settings?: Record<string, unknown>; env?: Record<string, string>; quiet?: boolean; extensionPath?: string } = {}): Promise<IntegrationResult> {
  const suite = path.join(extensionPath, 'out/test/suite/index.js');
  if (!fs.existsSync(suite)) {
    throw new Error(`${suite} is missing: run npm run compile-tests`);
  }
  const base = makeRunDir('it');
  const folder = path.join(base, 'ws');
  fs.writeFileSync(path.join(folder, 'README.txt'), 'Integration-test workspace for Letta Step Trace.\n');
  const resultsFile = path.join(base, 'results.json');
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const result: IntegrationResult = { passed: 0, failed: 0, failures: [], exitCode: null, error: null, ok: false };
  try {
    server = await startCodeServer({ base, folder, settings, env: { ...env, LETTA_TEST_RESULTS: resultsFile } });
    browser = await launchBrowser(base);
    const { page } = browser;
    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown) => {
      // The extension host forwards console.log's arguments unformatted (mocha logs '%d failing').
      const s = Array.isArray(args) ? util.format(...(args as unknown[])) : String(args);
      if (!quiet && !LOG_NOISE.test(s)) {
        console.log(s);
      }
    });
    const remote = (p: string): string => `vscode-remote://127.0.0.1:${server?.port}${p}`;
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', remote(extensionPath)],
      ['extensionTestsPath', remote(suite)],
    ];
    await page.goto(workbenchUrl(server, folder, payload), { waitUntil: 'domcontentloaded', timeout: 120_000 });
    result.exitCode = await withTimeout(exited, timeoutMs, 'integration suite');
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
  } finally {
    await browser?.context.close().catch(() => undefined);
    await server?.stop();
    if (fs.existsSync(resultsFile)) {
      try {
        const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Partial<IntegrationResult>;
        result.passed = Number(r.passed ?? 0);
        result.failed = Number(r.failed ?? 0);
        result.failures = r.failures ?? [];
      } catch (e) {
        result.error ??= `unreadable results file: ${(e as Error).message}`;
      }
    } else {
      result.error ??= 'the suite wrote no results file (did run() start?)';
    }
    if (result.error && server) {
      const logFile = path.join(os.tmpdir(), 'letta-it-code-server.log');
      fs.writeFileSync(logFile, server.log());
      result.error += ` (code-server's log: ${logFile})`;
    }
    removeRunDir(base);
  }
  result.ok = !result.error && result.exitCode === 0 && result.failed === 0 && result.passed > 0;
  return result;
}

async function main(): Promise<void> {
  const mode = process.argv[2] ?? 'integration';
  if (mode !== 'integration') {
    console.error('usage: node out/test/codeServer/codeServer.js integration');
    process.exit(2);
  }
  const t0 = Date.now();
  const r = await runIntegration();
  console.log(`\nintegration: ${r.passed} passed, ${r.failed} failed, exit ${r.exitCode} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  for (const f of r.failures) {
    console.log(`  ✗ ${f.title}: ${f.error.split('\n')[0]}`);
  }
  if (r.error) {
    console.log(`  error: ${r.error}`);
  }
  process.exit(r.ok ? 0 : 1);
}

if (require.main === module) {
  void main();
}

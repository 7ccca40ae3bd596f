/** Shared set-up for the integration suites: the extension's API and a fake Letta server it points at. */
import * as vscode from 'vscode';
import type { LettaTestApi } from '../../src/host/testApi';
import { startFakeLetta, type FakeLetta } from '../fakeLetta/server';

export const EXTENSION_ID = 'letta-step-trace.letta-step-trace';

export async function extensionApi(): Promise<LettaTestApi> {
  const extension = vscode.extensions.getExtension<LettaTestApi>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not installed in this host`);
  }
  return extension.activate();
}

/**
 * The extension as fresh: no cached trace, rendered document, Recent or Pinned entry or state left by
 * an earlier suite, so a suite runs alone or after any other.
 */
export async function resetExtension(): Promise<LettaTestApi> {
  const ext = await extensionApi();
  await ext.reset();
  return ext;
}

/** Starts a fake server, points `letta.baseUrl` at it and stores its key. */
export async function useFakeServer(options: { apiKey?: string | null; storeKey?: string | null } = {}): Promise<{ fake: FakeLetta; ext: LettaTestApi }> {
  const ext = await resetExtension();
  const fake = await startFakeLetta({ apiKey: options.apiKey, stepsPerAgent: 40 });
  await vscode.workspace.getConfiguration('letta').update('baseUrl', fake.url, vscode.ConfigurationTarget.Global);
  await vscode.workspace.getConfiguration('letta').update('openTraceIn', 'documents', vscode.ConfigurationTarget.Global);
  const key = options.storeKey === undefined ? 'fake-key' : options.storeKey;
  if (key) {
    await ext.keys.set(fake.url, key);
  }
  return { fake, ext };
}

export async function stopFakeServer(fake: FakeLetta, ext: LettaTestApi): Promise<void> {
  await ext.keys.delete(fake.url);
  await fake.close();
  await vscode.workspace.getConfiguration('letta').update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
  await vscode.workspace.getConfiguration('letta').update('openTraceIn', undefined, vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The extension and the fake server of a suite, set in its `suiteSetup`. */
export interface FakeServerSuite {
  readonly fake: FakeLetta;
  readonly ext: LettaTestApi;
}

/**
 * Registers a suite's hooks: a fake server for the whole suite (key stored), reset before each test,
 * stopped and forgotten after. Call it in the `suite` body; read `fake` and `ext` inside tests.
 */
export function fakeServerSuite(options: Parameters<typeof useFakeServer>[0] = {}): FakeServerSuite {
  let current: { fake: FakeLetta; ext: LettaTestApi } | undefined;
  suiteSetup(async () => {
    current = await useFakeServer(options);
  });
  suiteTeardown(async () => {
    if (current) {
      await stopFakeServer(current.fake, current.ext);
    }
  });
  setup(() => current?.fake.reset());
  const started = () => {
    if (!current) {
      throw new Error('the fake server is set in suiteSetup: read it inside a test');
    }
    return current;
  };
  return {
    get fake() {
      return started().fake;
    },
    get ext() {
      return started().ext;
    },
  };
}

/** Step IDs of the fixture traces the fake serves. */
export function fixtureStep(fake: FakeLetta, model: RegExp): string {
  for (const [id, trace] of fake.traces) {
    const name = trace.llm_config?.model;
    if (typeof name === 'string' && model.test(name)) {
      return id;
    }
  }
  throw new Error(`no fixture trace for ${model}`);
}

/** Waits until `check` holds (the UI settles asynchronously). */
export async function until<T>(get: () => T | PromiseLike<T>, check: (value: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (check(value) || Date.now() > end) {
      return value;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The text of the open `letta-trace:` documents, by path: those of a saved file with `from: 'file'`,
 * those of a server otherwise (a file's trace and the server's of one step are two documents).
 */
export function openTraceDocuments(from: 'server' | 'file' = 'server'): Map<string, string> {
  return new Map(
    vscode.workspace.textDocuments
      .filter((d) => d.uri.scheme === 'letta-trace' && d.uri.query.startsWith('file=') === (from === 'file'))
      .map((d) => [d.uri.path, d.getText()]),
  );
}

/**
 * What `activate` returns in `ExtensionMode.Test` only, for the integration suites. It hands out no
 * secret: keys can be stored, dropped and checked against a guess, never read. Outside test mode
 * `activate` returns nothing, so another extension's `getExtension(…).exports` reaches nothing.
 */
import type * as vscode from 'vscode';
import type { ApiKeys } from './auth/apiKeys';
import type { SettingsApiProvider } from './auth/apiProvider';
import type { TraceOpener } from './contracts';
import type { RunPanels } from './runs/registerRuns';
import type { Sidebar } from './sidebar/sidebar';
import type { CachedTraceStore } from './traces/traceStore';

export interface LettaTestApi {
  /** The trace cache: `peek(stepId)` (no request), `put(trace)`, `load(stepId)`, `cachedStepIds()`, `clear()`. */
  store: CachedTraceStore;
  /** Keys by origin, write-only: `set`, `delete`, `has`, `matches(origin, guess)`, `setNoKey`, `isNoKey`. */
  keys: {
    set(origin: string, key: string): Promise<void>;
    delete(origin: string): Promise<void>;
    has(origin: string): Promise<boolean>;
    matches(origin: string, guess: string): Promise<boolean>;
    setNoKey(origin: string, noKey: boolean): Promise<void>;
    isNoKey(origin: string): boolean;
  };
  /** The client of the configured server: `origin`, `getApi({ prompt })`, `onDidChange`. */
  api: SettingsApiProvider;
  opener: TraceOpener;
  /** The Letta log channel (never holds a key). */
  log: vscode.LogOutputChannel;
  tree: Sidebar;
  /** The status-bar item naming the server; `refresh()` redraws it now. */
  statusBar: { item: vscode.StatusBarItem; refresh(): Promise<void> };
  /** The run view panels: `get(runId)` gives an open one, whose `state` is what its page shows now. */
  runs: RunPanels;
  /** Where state and logs live, so tests can prove no secret reaches them. */
  storage: Pick<vscode.ExtensionContext, 'globalState' | 'workspaceState' | 'logUri'>;
}

export function testApi(parts: Omit<LettaTestApi, 'keys'> & { keys: ApiKeys }): LettaTestApi {
  const { keys } = parts;
  return {
    ...parts,
    keys: {
      set: (origin, key) => keys.set(origin, key),
      delete: (origin) => keys.delete(origin),
      has: async (origin) => Boolean(await keys.get(origin)),
      matches: async (origin, guess) => (await keys.get(origin)) === guess,
      setNoKey: (origin, noKey) => keys.setNoKey(origin, noKey),
      isNoKey: (origin) => keys.isNoKey(origin),
    },
  };
}

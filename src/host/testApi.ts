/**
 * What `activate` returns in `ExtensionMode.Test` only, for the integration suites. It hands out no
 * secret: keys can be stored, dropped and checked against a guess, never read. Outside test mode
 * `activate` returns nothing, so another extension's `getExtension(…).exports` reaches nothing.
 */
import * as vscode from 'vscode';
import type { MemoryBudget } from '../core/memoryBudget';
import type { ApiKeys } from './auth/apiKeys';
import type { SettingsApiProvider } from './auth/apiProvider';
import type { Chat } from './chat/registerChat';
import type { TraceOpener } from './contracts';
import type { RunPanels } from './runs/registerRuns';
import type { Sidebar } from './sidebar/sidebar';
import type { CachedTraceStore } from './traces/traceStore';
import type { TraceFileEditors } from './viewer/traceFileEditor';
import type { WorkspaceFeature } from './workspace/registerWorkspace';

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
  /** "This Workspace": the Letta Code project files, the view and its followers, the key offer. */
  workspace: WorkspaceFeature;
  /** The chat tools' data and `@letta`'s handler (called with a stand-in model). */
  chat: Chat;
  /** The run view panels: `get(runId)` gives an open one, whose `state` is what its page shows now. */
  runs: RunPanels;
  /** The open `*.letta-trace.json` custom editors: each one's file, the trace read from it (or why not), whether its webview loaded. */
  traceFileEditors: TraceFileEditors;
  /** Where state and logs live, so tests can prove no secret reaches them. */
  storage: Pick<vscode.ExtensionContext, 'globalState' | 'workspaceState' | 'logUri'>;
  /** The one memory budget of cached traces, rendered documents and pending viewer pieces. */
  budget: MemoryBudget;
  /**
   * Back to a fresh start, between suites: every cached trace (files too), rendered document and
   * hover summary forgotten, Recent and Pinned emptied, and all of this extension's global and
   * workspace state dropped, so each suite runs alone and in any order. Keys stay (tests own them).
   */
  reset(): Promise<void>;
}

/** What `reset` clears, each feature its own. */
export interface Resettable {
  reset(): void | Promise<void>;
}

export function testApi(parts: Omit<LettaTestApi, 'keys' | 'reset'> & { keys: ApiKeys; resetParts: Resettable[] }): LettaTestApi {
  const { keys, resetParts, ...rest } = parts;
  return {
    ...rest,
    async reset() {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const state of [parts.storage.globalState, parts.storage.workspaceState]) {
        for (const key of state.keys()) {
          await state.update(key, undefined);
        }
      }
      for (const part of resetParts) {
        await part.reset();
      }
    },
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

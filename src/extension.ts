// Composition root: builds the services and registers each feature. No logic lives here.
import * as vscode from 'vscode';
import { ApiKeys, registerKeyCommands } from './host/apiKeys';
import { registerChangeServerCommand, SettingsApiProvider } from './host/apiProvider';
import { registerCommands } from './host/commands';
import { registerTraceDocuments } from './host/traceDocuments';
import { ConfiguredTraceOpener } from './host/traceOpener';
import { CachedTraceStore } from './host/traceStore';
import { registerStepIdLinks } from './host/stepLinks';
import { registerTraceTree } from './host/traceTree';
import { registerTracePanels } from './host/tracePanel';

/**
 * What `activate` returns, for the integration tests (`vscode.extensions.getExtension(id).activate()`).
 * Not a public API: it may change with any release.
 */
export interface LettaExtensionApi {
  /** The trace cache: `peek(stepId)` (no request), `put(trace)`, `load(stepId)`, `cachedStepIds()`, `clear()`. */
  store: CachedTraceStore;
  /** Keys by server origin: `set(origin, key)`, `get(origin)`, `delete(origin)`, `setNoKey(origin, bool)`, `isNoKey(origin)`. */
  keys: ApiKeys;
  /** The client of the configured server: `origin`, `getApi({ prompt })`, `onDidChange`. */
  api: SettingsApiProvider;
  /** `open(stepId, view?)`, `show(trace, view?)`. */
  opener: ConfiguredTraceOpener;
  /** The Letta log channel (never holds a key). */
  log: vscode.LogOutputChannel;
  tree: ReturnType<typeof registerTraceTree>;
  /** Where state and logs live, so tests can prove no secret reaches them. */
  storage: Pick<vscode.ExtensionContext, 'globalState' | 'workspaceState' | 'logUri'>;
}

export function activate(context: vscode.ExtensionContext): LettaExtensionApi {
  const log = vscode.window.createOutputChannel('Letta', { log: true });
  const keys = new ApiKeys(context);
  const api = new SettingsApiProvider(keys, log);
  const store = new CachedTraceStore(api, log);
  const opener = new ConfiguredTraceOpener(store);
  context.subscriptions.push(log, keys, api, store);

  const documents = registerTraceDocuments(context, store, log);
  context.subscriptions.push(store.onDidRefresh((stepId) => documents.invalidate(stepId)));
  registerKeyCommands(context, keys, () => api.origin, log);
  registerChangeServerCommand(context, keys, log);
  registerCommands(context, { log, store, opener });

  opener.panels = registerTracePanels(context, { log, store });

  registerStepIdLinks(context, { log, store, api });

  const tree = registerTraceTree(context, { log, store, api, opener });

  return { store, keys, api, opener, log, tree, storage: context };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

// Composition root: builds the services and registers each feature. No logic lives here.
import * as vscode from 'vscode';
import { ApiKeys } from './host/apiKeys';
import { SettingsApiProvider } from './host/apiProvider';
import { registerCommands } from './host/commands';
import { registerTraceDocuments } from './host/traceDocuments';
import { ConfiguredTraceOpener } from './host/traceOpener';
import { CachedTraceStore } from './host/traceStore';
import { registerStepIdLinks } from './host/stepLinks';
import { registerTraceTree } from './host/traceTree';
import { registerTracePanels } from './host/tracePanel';

/** What `activate` returns: the services, for the integration tests. */
export interface LettaExtensionApi {
  store: CachedTraceStore;
  keys: ApiKeys;
  api: SettingsApiProvider;
  opener: ConfiguredTraceOpener;
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
  registerCommands(context, { log, store, api, keys, opener });

  opener.panels = registerTracePanels(context, { log, store });

  registerStepIdLinks(context, { log, store, api });

  const tree = registerTraceTree(context, { log, store, api, opener });

  return { store, keys, api, opener, tree, storage: context };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

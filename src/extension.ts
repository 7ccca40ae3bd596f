// Composition root: builds the services and registers each feature. No logic lives here.
import * as vscode from 'vscode';
import { registerAuth } from './host/auth/registerAuth';
import { registerCommands } from './host/commands/traceCommands';
import { configureCoreLocalization } from './host/localization';
import { registerTraceDocuments } from './host/documents/traceDocuments';
import { openWalkthroughOnFirstRun } from './host/onboarding/firstRun';
import { registerSidebar } from './host/sidebar/sidebar';
import { registerRuns } from './host/runs/registerRuns';
import { registerServerStatus } from './host/statusBar/serverStatus';
import { registerStepIds } from './host/stepIds/registerStepIds';
import { testApi, type LettaTestApi } from './host/testApi';
import { ConfiguredTraceOpener } from './host/traces/traceOpener';
import { CachedTraceStore } from './host/traces/traceStore';
import { registerViewer } from './host/viewer/registerViewer';

export function activate(context: vscode.ExtensionContext): LettaTestApi | undefined {
  const log = vscode.window.createOutputChannel('Letta', { log: true });
  context.subscriptions.push(log);
  configureCoreLocalization();
  const { keys, api } = registerAuth(context, log);
  const store = new CachedTraceStore(api, log);
  context.subscriptions.push(store);

  const documents = registerTraceDocuments(context, store, log);
  context.subscriptions.push(store.onDidRefresh((stepId) => documents.invalidate(stepId)));
  const panels = registerViewer(context, { log, store });
  const opener = new ConfiguredTraceOpener(store, panels);
  registerCommands(context, { log, store, opener });
  const runs = registerRuns(context, { log, store, api });
  registerStepIds(context, { log, store, api });
  const tree = registerSidebar(context, { log, store, api, opener });
  const statusBar = registerServerStatus(context, { api, keys });
  void openWalkthroughOnFirstRun(context, keys).catch((e: unknown) => log.warn(`Walkthrough: ${String(e)}`));

  // Nothing leaves this extension outside its own tests: `exports` is readable by every other extension.
  return context.extensionMode === vscode.ExtensionMode.Test ? testApi({ store, keys, api, opener, log, tree, statusBar, runs, storage: context }) : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

// Composition root: builds the services and registers each feature. No logic lives here.
import * as vscode from 'vscode';
import { registerAuth } from './host/auth/registerAuth';
import { registerChat } from './host/chat/registerChat';
import { registerCommands } from './host/commands/traceCommands';
import { registerCopyMarkdown } from './host/commands/copyMarkdown';
import { registerFeedback } from './host/feedback/registerFeedback';
import { configureCoreLocalization } from './host/localization';
import { registerTraceDocuments } from './host/documents/traceDocuments';
import { openWalkthroughOnFirstRun } from './host/onboarding/firstRun';
import { registerSidebar } from './host/sidebar/sidebar';
import { registerRuns } from './host/runs/registerRuns';
import { registerServerStatus } from './host/statusBar/serverStatus';
import { registerStepIds } from './host/stepIds/registerStepIds';
import { testApi, type LettaTestApi } from './host/testApi';
import { MemoryBudget } from './core/memoryBudget';
import { ConfiguredTraceOpener } from './host/traces/traceOpener';
import { CachedTraceStore } from './host/traces/traceStore';
import { registerViewer } from './host/viewer/registerViewer';
import { registerWorkspace } from './host/workspace/registerWorkspace';

export function activate(context: vscode.ExtensionContext): LettaTestApi | undefined {
  const log = vscode.window.createOutputChannel('Letta', { log: true });
  context.subscriptions.push(log);
  configureCoreLocalization();
  const { keys, api } = registerAuth(context, log);
  // One budget for every copy of trace data the host keeps: cached traces, rendered documents, pending viewer pieces.
  const budget = new MemoryBudget();
  const store = new CachedTraceStore(api, log, budget);
  context.subscriptions.push(store);

  const documents = registerTraceDocuments(context, { store, api, log, budget });
  const feedback = registerFeedback(context, { log, api, store });
  const panels = registerViewer(context, { log, store, budget, feedback });
  const opener = new ConfiguredTraceOpener(store, panels);
  registerCommands(context, { log, store, opener });
  registerCopyMarkdown(context, { log, store, panels });
  const runs = registerRuns(context, { log, store, api });
  const stepIds = registerStepIds(context, { log, store, api, onDidChangeFeedback: feedback.onDidChange });
  const tree = registerSidebar(context, { log, store, api, opener, onDidChangeFeedback: feedback.onDidChange });
  const statusBar = registerServerStatus(context, { api, keys });
  const workspace = registerWorkspace(context, { log, api, keys, sidebar: tree, setStatusAgent: (label) => statusBar.setWorkspaceAgent(label) });
  const chat = registerChat(context, { api, store, log, keyOf: (origin) => keys.get(origin) });
  void openWalkthroughOnFirstRun(context, keys).catch((e: unknown) => log.warn(`Walkthrough: ${String(e)}`));

  // Nothing leaves this extension outside its own tests: `exports` is readable by every other extension.
  return context.extensionMode === vscode.ExtensionMode.Test
    ? testApi({ store, keys, api, opener, log, tree, statusBar, workspace, chat, runs, traceFileEditors: panels.fileEditors, storage: context, budget, resetParts: [store, documents, stepIds, tree] })
    : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

// Composition root: builds the services and registers each feature. No logic lives here.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Letta', { log: true });
  context.subscriptions.push(log);

  // [host] settings, API keys, API provider, trace store, documents, opener, commands — the host helper builds these here.

  // [webview] registerTracePanels(context, { log, store }) — wired by the webview helper.

  // [links] registerStepIdLinks(context, { log, store, api }) — wired by the links helper.

  // [tree] registerTraceTree(context, { log, store, api, opener }) — wired by the tree helper.
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

/** Shows a trace where the user wants it: the viewer, the JSON documents, or both. */
import * as vscode from 'vscode';
import type { LoadedTrace } from '../core/lettaTypes';
import type { TraceOpener, TracePanels, TraceView } from './contracts';
import { traceDocumentUri } from './traceDocuments';
import type { CachedTraceStore } from './traceStore';
import { readSettings } from './settings';

export class ConfiguredTraceOpener implements TraceOpener {
  /** Set once the webview feature is registered; until then traces open as documents. */
  panels: TracePanels | undefined;

  constructor(private readonly store: CachedTraceStore) {}

  async open(stepId: string, view?: TraceView): Promise<void> {
    const trace = await this.store.load(stepId);
    if (trace) {
      await this.show(trace, view);
    }
  }

  async show(trace: LoadedTrace, view: TraceView = readSettings().openTraceIn): Promise<void> {
    this.store.put(trace);
    const wantsPanel = view !== 'documents' && this.panels !== undefined;
    if (wantsPanel) {
      this.panels?.show(trace);
    }
    if (!wantsPanel || view === 'both') {
      await openRequestAndResponse(trace.stepId);
    }
    this.store.noteOpened(trace);
  }
}

/** Request in the active column, response beside it. */
export async function openRequestAndResponse(stepId: string): Promise<void> {
  const request = await vscode.workspace.openTextDocument(traceDocumentUri(stepId, 'request'));
  await vscode.window.showTextDocument(request, { preview: false, viewColumn: vscode.ViewColumn.Active });
  const response = await vscode.workspace.openTextDocument(traceDocumentUri(stepId, 'response'));
  await vscode.window.showTextDocument(response, { preview: false, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
}

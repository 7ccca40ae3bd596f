/**
 * Read-only JSON documents for a trace's request, response and metadata. A content provider's
 * documents cannot be saved or edited in place, which is what keeps them read-only.
 */
import * as vscode from 'vscode';
import { prettyJson, tracePartValue } from '../core/traceJson';
import { parseTraceDocumentPath, TRACE_SCHEME, traceDocumentPath, type TracePart } from '../core/traceUri';
import type { TraceStore } from './contracts';

export function traceDocumentUri(stepId: string, part: TracePart): vscode.Uri {
  return vscode.Uri.from({ scheme: TRACE_SCHEME, path: traceDocumentPath(stepId, part) });
}

export class TraceDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly store: TraceStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = parseTraceDocumentPath(uri.path);
    if (!target) {
      return `// Not a Letta trace document: ${uri.toString()}`;
    }
    try {
      const loaded = this.store.peek(target.stepId) ?? (await this.store.load(target.stepId));
      if (!loaded) {
        return `// The trace of ${target.stepId} could not be loaded. Run "Letta: Open Step Trace" to try again.`;
      }
      return prettyJson(tracePartValue(loaded.trace, target.part));
    } catch (e) {
      this.log.error(`Trace document ${uri.toString()}: ${e instanceof Error ? e.message : String(e)}`);
      return `// The trace of ${target.stepId} could not be shown; see "Letta: Show Log".`;
    }
  }
}

/** Registers the `letta-trace:` documents. */
export function registerTraceDocuments(context: vscode.ExtensionContext, store: TraceStore, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(TRACE_SCHEME, new TraceDocumentProvider(store, log)));
}

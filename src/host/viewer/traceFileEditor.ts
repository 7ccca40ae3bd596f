/**
 * Saved traces (`*.letta-trace.json`, what Save As writes) open in the trace viewer: a read-only
 * custom editor. VS Code hands it a webview panel, as it hands the serializer a restored one, and the
 * viewer's own panel code shows the trace there; "Reopen Editor With… → Text Editor" is VS Code's.
 * The file is data: read and checked like Open as Letta Trace, its text posted to the webview, never run.
 */
import * as vscode from 'vscode';
import type { TraceSource } from '../../core/lettaTypes';
import { readTraceFile, type ReadTraceFile } from '../traces/traceFiles';

export const TRACE_FILE_VIEW_TYPE = 'letta.traceFile';

/** One open trace-file editor, as the tests see it: its file, the trace read from it (or why not), and whether its webview loaded. */
export interface TraceFileEditorState {
  readonly uri: vscode.Uri;
  readonly panel: vscode.WebviewPanel;
  stepId?: string;
  source?: TraceSource;
  error?: string;
  /** The webview said `ready`. */
  ready: boolean;
}

export interface TraceFileEditors {
  /** The open trace-file editors (for the tests). */
  open(): readonly TraceFileEditorState[];
}

/** Registers the custom editor; `present` shows a file's trace (or the reason it is not one) in the panel VS Code gave. */
export function registerTraceFileEditor(context: vscode.ExtensionContext, present: (panel: vscode.WebviewPanel, read: ReadTraceFile) => void): TraceFileEditors {
  const open = new Set<TraceFileEditorState>();
  const provider: vscode.CustomReadonlyEditorProvider = {
    // Nothing to hold per document: each editor reads its file when VS Code resolves it (a reload too).
    openCustomDocument: (uri) => ({ uri, dispose: () => undefined }),
    async resolveCustomEditor(document, panel) {
      const state: TraceFileEditorState = { uri: document.uri, panel, ready: false };
      let disposed = false;
      open.add(state);
      const subscriptions = [
        panel.webview.onDidReceiveMessage((m: { type?: unknown } | undefined) => {
          state.ready ||= m?.type === 'ready';
        }),
        panel.onDidDispose(() => {
          disposed = true;
          open.delete(state);
          vscode.Disposable.from(...subscriptions).dispose();
        }),
      ];
      const read = await readTraceFile(document.uri);
      if (disposed) {
        return;
      }
      if (read.ok) {
        state.stepId = read.trace.stepId;
        state.source = read.trace.source;
      } else {
        state.error = read.error;
      }
      present(panel, read);
    },
  };
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(TRACE_FILE_VIEW_TYPE, provider, {
      // As the viewer's own panels: hidden tabs keep their state, and Ctrl+F finds in the conversation.
      webviewOptions: { retainContextWhenHidden: true, enableFindWidget: true },
      supportsMultipleEditorsPerDocument: false,
    }),
  );
  return { open: () => [...open] };
}

/**
 * The trace viewer: one webview panel per trace (a step from a server, or from a file), restored
 * after a reload by a serializer that keeps the step ID and where it came from.
 */
import * as vscode from 'vscode';
import type { LoadedTrace, TraceSource } from '../../core/lettaTypes';
import { shortStepId } from '../../core/stepIds';
import { readTraceSource, traceKey } from '../../core/traceSource';
import { TRACE_VIEW_TYPE } from '../../shared/protocol';
import type { TracePanels } from '../contracts';
import { createWorkerTokenCounter } from '../../core/context/tokenizerHost';
import type { StepContextLater } from '../../core/context/stepContext';
import { runsModule } from '../runs/runsBundle';
import type { StepFeedbackService } from '../feedback/stepFeedback';
import { TracePanel, type TracePanelDeps } from './tracePanel';
import { registerTraceFileEditor, type TraceFileEditors } from './traceFileEditor';

function readViewState(value: unknown): { stepId: string; source?: TraceSource } | undefined {
  if (typeof value !== 'object' || value === null || typeof (value as { stepId?: unknown }).stepId !== 'string') {
    return undefined;
  }
  return { stepId: (value as { stepId: string }).stepId, source: readTraceSource((value as { source?: unknown }).source) };
}

/** Registers the viewer and its serializer; `show` opens or reveals the panel of a step. */
export function registerViewer(
  context: vscode.ExtensionContext,
  base: Omit<TracePanelDeps, 'context' | 'feedback'> & { feedback: Pick<StepFeedbackService, 'set' | 'onDidChange'> },
): TracePanels & { fileEditors: TraceFileEditors } {
  const panels = new Map<string, TracePanel>();
  // One tokenizer worker for every panel, started on the first count and stopped when idle.
  const counter = createWorkerTokenCounter(vscode.Uri.joinPath(context.extensionUri, 'dist', 'tokenizer.js').fsPath);
  context.subscriptions.push({ dispose: () => counter.dispose() });
  const deps: TracePanelDeps = {
    ...base,
    // Counted by dist/runs.js, loaded with the first context asked for.
    context: async (trace) =>
      (await runsModule()).stepContextLater(trace, {
        count: counter.count,
        loadPrices: async () => (await import('../../core/context/pricesModule')).calcPrice,
      }),
  };

  const adopt = (key: string, stepId: string, source: TraceSource | undefined, panel: vscode.WebviewPanel): TracePanel => {
    const open = new TracePanel(stepId, source, panel, context.extensionUri, deps, () => {
      if (panels.get(key) === open) {
        panels.delete(key);
      }
    });
    panels.set(key, open);
    return open;
  };

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(TRACE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const restored = readViewState(state);
        if (!restored) {
          deps.log.warn('A trace viewer could not be restored: it did not record its step.');
          panel.dispose();
          return;
        }
        // A panel saved before sources were recorded came from the configured server.
        const source = restored.source ?? deps.store.currentSource();
        const key = traceKey(restored.stepId, source);
        const existing = panels.get(key);
        if (existing) {
          // Two restored panels for one trace: keep one.
          panel.dispose();
          existing.panel.reveal();
          return;
        }
        const open = adopt(key, restored.stepId, source, panel);
        // From where it came: its file read again, or its server (never another server, never the file's step from the server).
        const loaded = deps.store.peek(restored.stepId, source) ?? (await deps.store.load(restored.stepId, { source }));
        if (loaded) {
          open.show(loaded);
        } else if (source.kind === 'file') {
          open.showError(vscode.l10n.t('This trace came from {0}, which cannot be read now. Open the file again with "Letta: Open as Letta Trace".', source.path));
        } else {
          const current = deps.store.currentSource();
          open.showError(
            current.kind === 'server' && current.origin !== source.origin
              ? vscode.l10n.t('This trace came from {0}, not the configured server {1}. Change the server to it, then Refresh.', source.origin, current.origin)
              : vscode.l10n.t('This trace is not loaded. Refresh to fetch it again.'),
          );
        }
      },
    }),
    {
      dispose: () => {
        for (const p of [...panels.values()]) {
          p.panel.dispose();
        }
      },
    },
  );

  // A saved trace opened as an editor: the same panel code, keyed like any trace of that file (so
  // Open as Letta Trace on it reveals this tab). A file that is no trace says why, in the panel.
  const fileEditors = registerTraceFileEditor(context, (panel, read) => {
    if (read.ok) {
      adopt(traceKey(read.trace.stepId, read.trace.source), read.trace.stepId, read.trace.source, panel).show(read.trace);
    } else {
      new TracePanel('', undefined, panel, context.extensionUri, deps, () => undefined).showError(
        `${read.error} ${vscode.l10n.t('"Reopen Editor With…" → "Text Editor" shows what the file holds.')}`,
      );
    }
  });

  context.subscriptions.push(base.feedback.onDidChange((step) => panels.get(traceKey(step.id, deps.store.currentSource()))?.feedbackChanged(step)));

  const create = (key: string, stepId: string, source: TraceSource): TracePanel => {
    const panel = vscode.window.createWebviewPanel(TRACE_VIEW_TYPE, shortStepId(stepId), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')],
      // Kept alive while hidden: switching tabs keeps every expanded node and scroll offset, and a
      // 50 MB trace is not posted and rendered again. A reload still restores from `ready` and state.
      retainContextWhenHidden: true,
      // Ctrl+F over what is on the page; the viewer's own find searches the whole trace in the host.
      enableFindWidget: true,
    });
    return adopt(key, stepId, source, panel);
  };

  return {
    fileEditors,
    async contextOf(trace: LoadedTrace): Promise<StepContextLater> {
      const open = panels.get(traceKey(trace.stepId, trace.source))?.computedContext();
      return open ?? deps.context(trace);
    },
    show(trace: LoadedTrace): void {
      const key = traceKey(trace.stepId, trace.source);
      const existing = panels.get(key);
      if (existing) {
        // The same trace already on screen: only reveal it, keeping every expanded node and scroll
        // offset (a 50 MB trace is not rebuilt and posted again). A refreshed trace is shown anew.
        if (existing.trace !== trace) {
          existing.show(trace);
        }
        existing.panel.reveal();
        return;
      }
      create(key, trace.stepId, trace.source).show(trace);
    },
    opening(stepId: string, source?: TraceSource): { cancel(): void } {
      const from = source ?? deps.store.currentSource();
      const key = traceKey(stepId, from);
      if (panels.has(key)) {
        return { cancel: () => {} };
      }
      const open = create(key, stepId, from);
      return {
        cancel: () => {
          // Closed only if nothing was shown in it: the store has told the user why.
          if (!open.everShown) {
            open.panel.dispose();
          }
        },
      };
    },
  };
}

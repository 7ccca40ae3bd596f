/**
 * The trace viewer: one webview panel per step, restored after a reload by a serializer that keeps
 * only the step ID.
 */
import * as vscode from 'vscode';
import type { LoadedTrace } from '../../core/lettaTypes';
import { shortStepId } from '../../core/stepIds';
import { TRACE_VIEW_TYPE, type TraceViewState } from '../../shared/protocol';
import type { TracePanels } from '../contracts';
import { createWorkerTokenCounter } from '../../core/context/tokenizerHost';
import { stepContextLater } from '../../core/context/stepContext';
import { TracePanel, type TracePanelDeps } from './tracePanel';

function isViewState(value: unknown): value is TraceViewState {
  return typeof value === 'object' && value !== null && typeof (value as TraceViewState).stepId === 'string';
}

/** Registers the viewer and its serializer; `show` opens or reveals the panel of a step. */
export function registerViewer(context: vscode.ExtensionContext, base: Omit<TracePanelDeps, 'context'>): TracePanels {
  const panels = new Map<string, TracePanel>();
  // One tokenizer worker for every panel, started on the first count and stopped when idle.
  const counter = createWorkerTokenCounter(vscode.Uri.joinPath(context.extensionUri, 'dist', 'tokenizer.js').fsPath);
  context.subscriptions.push({ dispose: () => counter.dispose() });
  const deps: TracePanelDeps = {
    ...base,
    context: (trace) =>
      stepContextLater(trace, {
        count: counter.count,
        loadPrices: async () => (await import('../../core/context/pricesModule')).calcPrice,
      }),
  };

  const adopt = (stepId: string, panel: vscode.WebviewPanel): TracePanel => {
    const open = new TracePanel(stepId, panel, context.extensionUri, deps, () => {
      if (panels.get(stepId) === open) {
        panels.delete(stepId);
      }
    });
    panels.set(stepId, open);
    return open;
  };

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(TRACE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        if (!isViewState(state)) {
          deps.log.warn('A trace viewer could not be restored: it did not record its step.');
          panel.dispose();
          return;
        }
        const stepId = state.stepId;
        const existing = panels.get(stepId);
        if (existing) {
          // Two restored panels for one step: keep one.
          panel.dispose();
          existing.panel.reveal();
          return;
        }
        const open = adopt(stepId, panel);
        const cached = deps.store.peek(stepId);
        if (cached) {
          open.show(cached);
          return;
        }
        const loaded = await deps.store.load(stepId);
        if (loaded) {
          open.show(loaded);
        } else {
          open.showError(vscode.l10n.t('This trace is not loaded. Refresh to fetch it again.'));
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

  const create = (stepId: string): TracePanel => {
      const panel = vscode.window.createWebviewPanel(TRACE_VIEW_TYPE, shortStepId(stepId), vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')],
        // Kept alive while hidden: switching tabs keeps every expanded node and scroll offset, and a
        // 50 MB trace is not posted and rendered again. A reload still restores from `ready` and state.
        retainContextWhenHidden: true,
        // Ctrl+F over the conversation; the Raw JSON tab has its own search over the whole tree.
        enableFindWidget: true,
      });
      return adopt(stepId, panel);
  };

  return {
    show(trace: LoadedTrace): void {
      const existing = panels.get(trace.stepId);
      if (existing) {
        existing.show(trace);
        existing.panel.reveal();
        return;
      }
      create(trace.stepId).show(trace);
    },
    opening(stepId: string): { cancel(): void } {
      if (panels.has(stepId)) {
        return { cancel: () => {} };
      }
      const open = create(stepId);
      return {
        cancel: () => {
          // Closed only if nothing was shown in it: the store has told the user why.
          if (!open.shown) {
            open.panel.dispose();
          }
        },
      };
    },
  };
}

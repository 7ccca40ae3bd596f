/**
 * Runs: `Letta: Open Run` and the run view panels (one per run, restored after a reload by a
 * serializer that keeps only the run ID). `registerRuns` owns every disposable of the feature.
 */
import * as vscode from 'vscode';
import { LazyPrices } from '../../core/context/lazyPrices';
import { errorMessage } from '../../core/errorMessage';
import { RUN_IDS } from '../../core/lettaIds';
import { RUN_VIEW_TYPE, type RunViewState } from '../../shared/runProtocol';
import { idAtEditor, idFromCommandArg } from '../stepIds/stepIdCursor';
import { copyRunMarkdown, runIdOfArg } from './copyRunMarkdown';
import type { RunLoadDeps } from './runLoad';
import { RunPanel } from './runPanel';

/** What other features (the sidebar, the test API) use. */
export interface RunPanels {
  /** Opens or reveals the run view of `runId` and (re)loads it when new. */
  open(runId: string): RunPanel;
  /** The open panel of `runId`, if any. */
  get(runId: string): RunPanel | undefined;
}

/** The input box for a run ID, validated as the user types, pre-filled from the editor or the clipboard. */
export async function askRunId(): Promise<string | undefined> {
  const fromEditor = idAtEditor(RUN_IDS, vscode.window.activeTextEditor);
  const fromClipboard = fromEditor ? undefined : RUN_IDS.parseInput((await vscode.env.clipboard.readText()).slice(0, 200));
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Letta: Open Run'),
    prompt: vscode.l10n.t('The ID of a run, as in the Letta logs and API: run-<uuid>'),
    placeHolder: 'run-3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b',
    value: fromEditor ?? fromClipboard ?? '',
    ignoreFocusOut: true,
    validateInput: (input) => RUN_IDS.describeProblem(input),
  });
  return value === undefined ? undefined : RUN_IDS.parseInput(value);
}

function isViewState(value: unknown): value is RunViewState {
  return typeof value === 'object' && value !== null && typeof (value as RunViewState).runId === 'string' && RUN_IDS.is((value as RunViewState).runId);
}

export function registerRuns(context: vscode.ExtensionContext, base: Omit<RunLoadDeps, 'prices'>): RunPanels {
  const panels = new Map<string, RunPanel>();
  // The price table (`dist/prices.js`) loads with the first run shown; a run view can wait for it.
  const prices = new LazyPrices(
    async () => (await import('../../core/context/pricesModule')).calcPrice,
    (e) => base.log.warn(`Runs: the price table could not be loaded: ${errorMessage(e)}`),
  );
  const deps: RunLoadDeps = { ...base, prices: () => prices.warm() };

  const adopt = (runId: string, panel: vscode.WebviewPanel): RunPanel => {
    const open = new RunPanel(runId, panel, context.extensionUri, deps, () => {
      if (panels.get(runId) === open) {
        panels.delete(runId);
      }
    });
    panels.set(runId, open);
    void open.load();
    return open;
  };

  const runPanels: RunPanels = {
    open(runId: string): RunPanel {
      const existing = panels.get(runId);
      if (existing) {
        existing.panel.reveal();
        return existing;
      }
      const panel = vscode.window.createWebviewPanel(RUN_VIEW_TYPE, RUN_IDS.short(runId), vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')],
        // A 200-step run is not read and drawn again on every tab switch.
        retainContextWhenHidden: true,
        enableFindWidget: true,
      });
      return adopt(runId, panel);
    },
    get: (runId) => panels.get(runId),
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('letta.openRun', async (arg?: unknown) => {
      // From the palette (no argument) the box always shows, pre-filled from the editor, as for steps.
      const runId = (arg !== undefined ? idFromCommandArg(RUN_IDS, 'runId', arg) : undefined) ?? (await askRunId());
      if (runId) {
        runPanels.open(runId);
      }
    }),
    vscode.commands.registerCommand('letta.copyRunAsMarkdown', async (arg?: unknown) => {
      // From the run view's title bar (or the palette while it has the focus): that run.
      const active = arg === undefined ? [...panels.values()].find((p) => p.panel.active)?.runId : undefined;
      const runId = (arg !== undefined ? runIdOfArg(arg) : active) ?? (await askRunId());
      return runId ? copyRunMarkdown(runId, panels.get(runId), deps) : false;
    }),
    vscode.commands.registerCommand('letta.copyRunId', async (arg?: unknown) => {
      const runId = (arg !== undefined ? idFromCommandArg(RUN_IDS, 'runId', arg) : undefined) ?? (await askRunId());
      if (runId) {
        await vscode.env.clipboard.writeText(runId);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', runId), 3000);
      }
    }),
    vscode.window.registerWebviewPanelSerializer(RUN_VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        if (!isViewState(state) || panels.has(state.runId)) {
          panel.dispose();
          return Promise.resolve();
        }
        adopt(state.runId, panel);
        return Promise.resolve();
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
  return runPanels;
}

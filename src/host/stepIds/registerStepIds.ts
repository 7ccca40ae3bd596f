/**
 * Step IDs and run IDs everywhere: the hover, Ctrl/Cmd+click links in documents and in the
 * terminal, and where the editor context menu offers Open Step Trace and Open Run. `registerStepIds`
 * owns all of their disposables.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { accessFix } from '../../core/serverAccess';
import { StepSummaryCache } from '../../core/stepSummaryCache';
import { LazyPrices } from '../../core/context/lazyPrices';
import type { Step } from '../../core/lettaTypes';
import { RunSummaryCache } from '../../core/runs/runSummary';
import type { ApiProvider, TraceStore } from '../contracts';
import { StepHoverProvider } from './stepHover';
import { STEP_ID_SCHEMES, StepDocumentLinkProvider, StepTerminalLinkProvider, stepIdSelector } from './stepLinks';

/**
 * Turning hovers off is often meant as "leave my step IDs alone": the links (Ctrl+click, underlines
 * in logs and terminals) are a setting of their own, so offer to turn them off too.
 */
async function offerLinksOff(): Promise<void> {
  const config = vscode.workspace.getConfiguration('letta');
  if (config.get<boolean>('hover.enabled', true) || !config.get<boolean>('links.enabled', true)) {
    return;
  }
  const turnOff = vscode.l10n.t('Turn Off Links Too');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Step-ID hovers are off. Step IDs still get Ctrl+click links in editors and terminals (letta.links.enabled).'),
    turnOff,
  );
  if (choice === turnOff) {
    await config.update('links.enabled', false, vscode.ConfigurationTarget.Global);
  }
}

/** The context key listing the schemes whose editors get "Open Step Trace" in their context menu. */
export const STEP_ID_SCHEMES_CONTEXT = 'letta.stepIdSchemes';

export interface StepIdLinksDeps {
  log: vscode.LogOutputChannel;
  store: TraceStore;
  api: ApiProvider;
  /** Accepted feedback: the hover's cached summary of that step is dropped, so the next hover shows it. */
  onDidChangeFeedback: vscode.Event<Step>;
}

/**
 * Registers the hover, document links, terminal links and the context menu's schemes, and keeps the
 * registrations in step with `letta.hover.*` and `letta.links.enabled`. `reset` forgets the hover summaries.
 */
export function registerStepIds(context: vscode.ExtensionContext, deps: StepIdLinksDeps): { reset(): void } {
  const { log, store, api } = deps;
  const cacheOptions = {
    getApi: () => api.getApi({ prompt: false }),
    whyNoApi: async () => {
      const access = await api.access();
      return access.kind === 'ready' ? undefined : accessFix(access);
    },
    onError: (id: string, e: unknown) => log.debug(`Hover: no details for ${id}: ${errorMessage(e)}`),
    // The hover waits for none of it (HOVER_WAIT_MS at most): a slow server's late answer is cached for the next hover.
    timeoutMs: 5000,
  };
  const summaries = new StepSummaryCache(cacheOptions);
  const runSummaries = new RunSummaryCache(cacheOptions);
  const prices = new LazyPrices(
    async () => (await import('../../core/context/pricesModule')).calcPrice,
    (e) => log.warn(`Hover: the price table could not be loaded: ${errorMessage(e)}`),
  );
  const hover = new StepHoverProvider(store, summaries, prices, runSummaries);
  const links = new StepDocumentLinkProvider(log);

  let registrations: vscode.Disposable[] = [];
  const register = () => {
    for (const r of registrations) {
      r.dispose();
    }
    const config = vscode.workspace.getConfiguration('letta');
    const languages = config.get<string[]>('hover.languages', []).filter((l) => typeof l === 'string' && l.trim() !== '');
    const selector = stepIdSelector(languages);
    registrations = [];
    if (config.get<boolean>('links.enabled', true)) {
      registrations.push(vscode.languages.registerDocumentLinkProvider(selector, links), vscode.window.registerTerminalLinkProvider(new StepTerminalLinkProvider()));
    }
    if (config.get<boolean>('hover.enabled', true)) {
      registrations.push(vscode.languages.registerHoverProvider(selector, hover));
    }
  };
  register();
  // The editor context menu's "Open Step Trace" shows in every editor of these schemes, decided in
  // the renderer when the menu opens; the command reads the word under the right-click itself.
  void vscode.commands.executeCommand('setContext', STEP_ID_SCHEMES_CONTEXT, [...STEP_ID_SCHEMES]);

  context.subscriptions.push(
    {
      dispose: () => {
        vscode.Disposable.from(...registrations).dispose();
      },
    },
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('letta.hover') || e.affectsConfiguration('letta.links.enabled')) {
        register();
      }
      if (e.affectsConfiguration('letta.hover.enabled')) {
        void offerLinksOff();
      }
    }),
    api.onDidChange(() => {
      summaries.clear();
      runSummaries.clear();
    }),
    deps.onDidChangeFeedback((step) => summaries.forget(step.id)),
    {
      dispose: () => {
        summaries.clear();
        runSummaries.clear();
      },
    },
  );
  return { reset: () => summaries.clear() };
}

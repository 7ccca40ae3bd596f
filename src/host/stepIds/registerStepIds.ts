/**
 * Step IDs and run IDs everywhere: the hover, Ctrl/Cmd+click links in documents and in the
 * terminal, and the editor context-menu keys. `registerStepIds` owns all of their disposables.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { accessFix } from '../../core/serverAccess';
import { StepSummaryCache } from '../../core/stepSummaryCache';
import { RunSummaryCache } from '../../core/runs/runSummary';
import type { ApiProvider, TraceStore } from '../contracts';
import { StepHoverProvider } from './stepHover';
import { StepIdCursorContext } from './stepIdCursor';
import { StepDocumentLinkProvider, StepTerminalLinkProvider, stepIdSelector } from './stepLinks';

export interface StepIdLinksDeps {
  log: vscode.LogOutputChannel;
  store: TraceStore;
  api: ApiProvider;
}

/**
 * Registers the hover, document links, terminal links and the cursor context key, and keeps the
 * hover and link registrations in step with `letta.hover.*`.
 */
export function registerStepIds(context: vscode.ExtensionContext, deps: StepIdLinksDeps): void {
  const { log, store, api } = deps;
  const cacheOptions = {
    getApi: () => api.getApi({ prompt: false }),
    whyNoApi: async () => {
      const access = await api.access();
      return access.kind === 'ready' ? undefined : accessFix(access);
    },
    onError: (id: string, e: unknown) => log.debug(`Hover: no details for ${id}: ${errorMessage(e)}`),
  };
  const summaries = new StepSummaryCache(cacheOptions);
  const runSummaries = new RunSummaryCache(cacheOptions);
  const hover = new StepHoverProvider(store, summaries, runSummaries);
  const links = new StepDocumentLinkProvider(log);

  let registrations: vscode.Disposable[] = [];
  const register = () => {
    for (const r of registrations) {
      r.dispose();
    }
    const config = vscode.workspace.getConfiguration('letta');
    const languages = config.get<string[]>('hover.languages', []).filter((l) => typeof l === 'string' && l.trim() !== '');
    const selector = stepIdSelector(languages);
    registrations = [vscode.languages.registerDocumentLinkProvider(selector, links)];
    if (config.get<boolean>('hover.enabled', true)) {
      registrations.push(vscode.languages.registerHoverProvider(selector, hover));
    }
  };
  register();

  context.subscriptions.push(
    {
      dispose: () => {
        vscode.Disposable.from(...registrations).dispose();
      },
    },
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('letta.hover')) {
        register();
      }
    }),
    api.onDidChange(() => {
      summaries.clear();
      runSummaries.clear();
    }),
    {
      dispose: () => {
        summaries.clear();
        runSummaries.clear();
      },
    },
    vscode.window.registerTerminalLinkProvider(new StepTerminalLinkProvider()),
    new StepIdCursorContext(),
  );
}

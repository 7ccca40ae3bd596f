/**
 * Copy as Markdown: a step's conversation, tool calls with their arguments, output, usage and cost,
 * ready to paste into an issue or a chat. Long texts are cut with a note (core/markdown). The
 * context window and cost come from the open viewer when counted there, else are counted now.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { shortStepId } from '../../core/stepIds';
import type { TracePanels, TraceStore } from '../contracts';
import { runsModule } from '../runs/runsBundle';
import { withTrace } from './stepPicker';

export function registerCopyMarkdown(context: vscode.ExtensionContext, deps: { log: vscode.LogOutputChannel; store: TraceStore; panels: Pick<TracePanels, 'contextOf'> }): void {
  const { log, store, panels } = deps;
  context.subscriptions.push(
    vscode.commands.registerCommand('letta.copyStepMarkdown', (arg: unknown) =>
      withTrace(store, arg, vscode.l10n.t('Copy Step as Markdown'), async (trace) => {
        const later = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Counting the context window of {0}…', shortStepId(trace.stepId)) }, () =>
          panels.contextOf(trace).catch((e: unknown) => {
            // The Markdown is still worth having without the context window and cost.
            log.warn(`Copy as Markdown: no context window for ${trace.stepId}: ${errorMessage(e)}`);
            return undefined;
          }),
        );
        // The Markdown export is in dist/runs.js, loaded on first use.
        const { loadedStepToMarkdown } = await runsModule();
        await vscode.env.clipboard.writeText(loadedStepToMarkdown(trace, later));
        vscode.window.setStatusBarMessage(vscode.l10n.t('{0} copied as Markdown', shortStepId(trace.stepId)), 3000);
      }),
    ),
  );
}

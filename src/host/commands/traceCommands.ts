/**
 * The trace commands: open, documents, copy, log (saving and opening files are in
 * `traceFileCommands`, comparing in `compareCommands`). Each command about a step
 * takes `string | { stepId: string }` first (tree items and hover links pass those), else asks.
 */
import * as vscode from 'vscode';
import type { TracePart } from '../../core/traceUri';
import type { TraceOpener, TraceStore } from '../contracts';
import { openRequestAndResponse, traceDocumentUri } from '../documents/traceDocuments';
import { resolveStep, withTrace } from './stepPicker';
import { registerTraceFileCommands } from './traceFileCommands';
import { registerCompareCommands } from './compareCommands';

export interface CommandDeps {
  log: vscode.LogOutputChannel;
  store: TraceStore;
  opener: TraceOpener;
}

export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const { log, store, opener } = deps;

  const openPart = (part: TracePart) => (arg: unknown) =>
    withTrace(store, arg, vscode.l10n.t('Open {0} JSON', part), async (trace) => {
      await vscode.window.showTextDocument(traceDocumentUri(trace, part), { preview: false });
      store.noteOpened(trace);
    });

  const register = (id: string, run: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, run));

  register('letta.openStepTrace', async (arg: unknown) => {
    const ref = await resolveStep(arg, vscode.l10n.t('Open Step Trace'));
    if (ref) {
      await opener.open(ref.stepId, undefined, ref.source);
    }
  });
  register('letta.openRequestJson', openPart('request'));
  register('letta.openResponseJson', openPart('response'));
  register('letta.openMetadataJson', openPart('metadata'));
  register('letta.openTraceDocuments', (arg: unknown) =>
    withTrace(store, arg, vscode.l10n.t('Open Trace as JSON Documents'), async (trace) => {
      await openRequestAndResponse(trace);
      store.noteOpened(trace);
    }),
  );

  register('letta.copyStepId', async (arg: unknown) => {
    const stepId = (await resolveStep(arg, vscode.l10n.t('Copy Step ID')))?.stepId;
    if (stepId) {
      await vscode.env.clipboard.writeText(stepId);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', stepId), 3000);
    }
  });

  register('letta.showLog', () => log.show());
  registerTraceFileCommands(context, deps);
  registerCompareCommands(context, deps);
}

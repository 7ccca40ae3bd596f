/**
 * The trace commands: open, documents, copy, compare, log (saving and opening files are in
 * `traceFileCommands`). Each command about a step
 * takes `string | { stepId: string }` first (tree items and hover links pass those), else asks.
 */
import * as vscode from 'vscode';
import { shortStepId } from '../../core/stepIds';
import type { TracePart } from '../../core/traceUri';
import type { TraceOpener, TraceStore } from '../contracts';
import { openRequestAndResponse, traceDocumentUri } from '../documents/traceDocuments';
import { pickOtherStep, resolveStep, withTrace } from './stepPicker';
import { registerTraceFileCommands } from './traceFileCommands';

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

  register('letta.compareWith', async (arg: unknown) => {
    const picked = await resolveStep(arg, vscode.l10n.t('Compare: first step'));
    if (!picked) {
      return;
    }
    // A step named by its ID alone is the configured server's: a saved file of it is another trace to compare with.
    const first = { stepId: picked.stepId, source: picked.source ?? store.currentSource() };
    const second = await pickOtherStep(first, store.cached());
    if (!second) {
      return;
    }
    // Each from its own source: a saved file and the live trace of one step are two traces.
    const again = () => vscode.commands.executeCommand('letta.compareWith', first);
    const a = await store.load(first.stepId, { source: first.source, retry: again });
    const b = a && (await store.load(second.stepId, { source: second.source, retry: again }));
    if (a && b) {
      await vscode.commands.executeCommand(
        'vscode.diff',
        traceDocumentUri(a, 'request'),
        traceDocumentUri(b, 'request'),
        vscode.l10n.t('Request: {0} ↔ {1}', shortStepId(a.stepId), shortStepId(b.stepId)),
      );
    }
  });

  register('letta.showLog', () => log.show());
  registerTraceFileCommands(context, deps);
}

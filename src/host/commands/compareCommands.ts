/**
 * Compare: two traces side by side in VS Code's diff editor, over the read-only `letta-trace:` JSON
 * documents (each naming its own source, so a saved file and the live trace of one step are two
 * traces). Compare with… takes two steps; Compare Trace Files takes two saved files.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LoadedTrace } from '../../core/lettaTypes';
import { shortStepId } from '../../core/stepIds';
import type { TracePart } from '../../core/traceUri';
import { traceDocumentUri } from '../documents/traceDocuments';
import { readTraceFile } from '../traces/traceFiles';
import { pickOtherStep, resolveStep } from './stepPicker';
import type { CommandDeps } from './traceCommands';

type Side = Pick<LoadedTrace, 'stepId' | 'source'>;

/** How one side is named in a diff title: a file by its name (two files may hold one step), a server's trace by its short ID. */
function sideLabel(side: Side): string {
  return side.source.kind === 'file' ? path.basename(side.source.path) : shortStepId(side.stepId);
}

/**
 * What to compare: the request, the response, or both. "Both" opens two diff editors rather than
 * one diff of `{request, response}`: each side stays the document Open Request/Response JSON shows,
 * and a response's few lines are not below a request of thousands (system prompt, tools).
 */
async function pickParts(a: Side, b: Side): Promise<TracePart[] | undefined> {
  const items: (vscode.QuickPickItem & { parts: TracePart[] })[] = [
    { label: `$(arrow-up) ${vscode.l10n.t('Request')}`, description: vscode.l10n.t('what was sent to the provider'), parts: ['request'] },
    { label: `$(arrow-down) ${vscode.l10n.t('Response')}`, description: vscode.l10n.t('what the provider answered'), parts: ['response'] },
    { label: `$(diff) ${vscode.l10n.t('Both')}`, description: vscode.l10n.t('two diff editors: request, then response'), parts: ['request', 'response'] },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Compare {0} with {1}', sideLabel(a), sideLabel(b)), placeHolder: vscode.l10n.t('What to compare') });
  return picked?.parts;
}

/** One diff editor per part, the last one in front. */
async function showDiffs(a: Side, b: Side, parts: TracePart[]): Promise<void> {
  for (const part of parts) {
    const name = part === 'request' ? vscode.l10n.t('Request') : vscode.l10n.t('Response');
    await vscode.commands.executeCommand(
      'vscode.diff',
      traceDocumentUri(a, part),
      traceDocumentUri(b, part),
      vscode.l10n.t('{0}: {1} ↔ {2}', name, sideLabel(a), sideLabel(b)),
      { preview: false },
    );
  }
}

/** The two files to compare: the explorer's selection of two, else asked for (one given: the other). */
async function pickTwoFiles(arg: unknown, selected: unknown): Promise<vscode.Uri[] | undefined> {
  const given = [...(Array.isArray(selected) ? (selected as unknown[]) : []), arg].filter((u): u is vscode.Uri => u instanceof vscode.Uri);
  const unique = given.filter((u, i) => given.findIndex((v) => v.toString() === u.toString()) === i);
  if (unique.length >= 2) {
    return unique.slice(0, 2);
  }
  const filters = { [vscode.l10n.t('Letta traces')]: ['json'] };
  const picked = await vscode.window.showOpenDialog({
    title: unique.length === 0 ? vscode.l10n.t('Compare two saved Letta traces') : vscode.l10n.t('Compare {0} with…', path.basename(unique[0].fsPath)),
    canSelectMany: unique.length === 0,
    filters,
  });
  if (!picked) {
    return undefined;
  }
  const all = [...unique, ...picked];
  if (all.length === 1) {
    const second = await vscode.window.showOpenDialog({ title: vscode.l10n.t('Compare {0} with…', path.basename(all[0].fsPath)), canSelectMany: false, filters });
    return second ? [all[0], second[0]] : undefined;
  }
  return all;
}

export function registerCompareCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const { store } = deps;
  const register = (id: string, run: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, run));

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
    const parts = a && b && (await pickParts(a, b));
    if (a && b && parts) {
      await showDiffs(a, b, parts);
    }
  });

  // From the explorer (two files selected: the clicked one and the selection) or the palette (asks).
  register('letta.compareTraceFiles', async (arg: unknown, selected: unknown) => {
    const uris = await pickTwoFiles(arg, selected);
    if (!uris) {
      return;
    }
    if (uris.length !== 2) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Pick two trace files to compare ({0} were picked).', uris.length));
      return;
    }
    if (uris[0].toString() === uris[1].toString()) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Pick two different trace files: both sides were {0}.', uris[0].fsPath));
      return;
    }
    const read = await Promise.all(uris.map((uri) => readTraceFile(uri)));
    const traces: LoadedTrace[] = [];
    for (const r of read) {
      if (!r.ok) {
        void vscode.window.showErrorMessage(r.error);
        return;
      }
      traces.push(r.trace);
    }
    // Each keeps its file as its source: neither stands in for the other, nor for the server's trace of its step.
    for (const trace of traces) {
      store.put(trace);
    }
    const parts = await pickParts(traces[0], traces[1]);
    if (parts) {
      await showDiffs(traces[0], traces[1], parts);
    }
  });
}

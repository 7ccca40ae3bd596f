/** Asking the user for a step: an input box that validates as they type, or a pick among loaded traces. */
import * as vscode from 'vscode';
import type { LoadedTrace } from '../../core/lettaTypes';
import { describeStepIdProblem, parseStepIdInput, shortStepId } from '../../core/stepIds';
import type { TraceStore } from '../contracts';
import { stepIdAtEditor, stepIdFromCommandArg } from '../stepIds/stepIdCursor';

/** The step a command is about: its argument, else asked for (defaulting to the editor or clipboard). */
export async function resolveStep(arg: unknown, title: string): Promise<string | undefined> {
  if (arg !== undefined) {
    const fromArg = stepIdFromCommandArg(arg);
    if (fromArg) {
      return fromArg;
    }
  }
  return askStepId(title);
}

/** Runs `run` on the trace of the step `arg` names (or the user picks), once loaded. */
export async function withTrace(store: TraceStore, arg: unknown, title: string, run: (trace: LoadedTrace) => Promise<void>): Promise<void> {
  const stepId = await resolveStep(arg, title);
  const trace = stepId ? await store.load(stepId) : undefined;
  if (trace) {
    await run(trace);
  }
}

/** The input box for a step ID, validating as the user types, with a default from the editor or the clipboard. */
export async function askStepId(title: string): Promise<string | undefined> {
  const fromEditor = stepIdAtEditor(vscode.window.activeTextEditor);
  const fromClipboard = fromEditor ? undefined : parseStepIdInput((await vscode.env.clipboard.readText()).slice(0, 200));
  const value = await vscode.window.showInputBox({
    title: `Letta: ${title}`,
    prompt: vscode.l10n.t('The ID of a step, as in the Letta logs and API: step-<uuid>'),
    placeHolder: 'step-3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b',
    value: fromEditor ?? fromClipboard ?? '',
    ignoreFocusOut: true,
    validateInput: (input) => describeStepIdProblem(input),
  });
  return value === undefined ? undefined : parseStepIdInput(value);
}

/** A second step for a diff: one already loaded (newest first, with its model and source), or a typed ID. */
export async function pickOtherStep(first: string, loaded: LoadedTrace[]): Promise<string | undefined> {
  const others = loaded.filter((t) => t.stepId !== first);
  if (others.length === 0) {
    return askStepId(vscode.l10n.t('Compare with step'));
  }
  const typeOne: vscode.QuickPickItem = { label: vscode.l10n.t('$(edit) Enter a step ID…'), alwaysShow: true };
  const items: (vscode.QuickPickItem & { stepId?: string })[] = [
    ...others.map((t) => ({ label: t.stepId, description: describeLoaded(t), stepId: t.stepId })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    typeOne,
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Compare {0} with…', shortStepId(first)), matchOnDescription: true });
  return picked === typeOne ? askStepId(vscode.l10n.t('Compare with step')) : picked?.stepId;
}

/** "model · where it came from", for pick lists. */
function describeLoaded(t: LoadedTrace): string {
  const model = t.trace.llm_config?.model ?? t.trace.request_json.model ?? t.step?.model;
  const where = t.source.kind === 'file' ? vscode.l10n.t('file') : t.source.origin;
  return [typeof model === 'string' ? model : undefined, where].filter(Boolean).join(' · ');
}

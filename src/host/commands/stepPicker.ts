/** Asking the user for a step: an input box that validates as they type, or a pick among loaded traces. */
import * as vscode from 'vscode';
import type { LoadedTrace } from '../../core/lettaTypes';
import { describeStepIdProblem, parseStepIdInput, shortStepId } from '../../core/stepIds';
import { traceKey } from '../../core/traceSource';
import type { TraceStore } from '../contracts';
import { stepIdAtEditor, traceRefFromCommandArg, type TraceRef } from '../stepIds/stepIdCursor';

/**
 * The step a command is about, and where from: its argument (the editor context menu passes the
 * document's Uri, read at the cursor), else asked for (defaulting to the ID at the editor's cursor).
 */
export async function resolveStep(arg: unknown, title: string): Promise<TraceRef | undefined> {
  if (arg !== undefined) {
    const fromArg = traceRefFromCommandArg(arg);
    if (fromArg) {
      return fromArg;
    }
  }
  const stepId = await askStepId(title);
  return stepId ? { stepId } : undefined;
}

/**
 * Runs `run` on the trace `arg` names (or the user picks), once loaded from its source; "Retry" on a
 * failure runs this again for the same trace.
 */
export async function withTrace(store: TraceStore, arg: unknown, title: string, run: (trace: LoadedTrace) => Promise<void>): Promise<void> {
  const ref = await resolveStep(arg, title);
  if (!ref) {
    return;
  }
  const again = () => withTrace(store, ref, title, run);
  const trace = await store.load(ref.stepId, { source: ref.source, retry: again });
  if (trace) {
    await run(trace);
  }
}

/**
 * The input box for a step ID, validating as the user types, defaulting to the ID at the editor's
 * cursor. The clipboard is read unasked only in the desktop app, where that never prompts: in a
 * browser a read raises a permission prompt or fails ("Unable to read from the browser's
 * clipboard"), so there the box offers "Paste step ID from clipboard" as a button the user picks.
 * A failed read never stops the command.
 */
export async function askStepId(title: string): Promise<string | undefined> {
  // While the user types, the API client's bundle loads: the first fetch after a reload need not wait for it.
  void import('../../core/clientModule').catch(() => undefined);
  const fromEditor = stepIdAtEditor(vscode.window.activeTextEditor);
  const desktop = vscode.env.uiKind === vscode.UIKind.Desktop;
  const fromClipboard = fromEditor || !desktop ? undefined : await clipboardStepId();
  const box = vscode.window.createInputBox();
  box.title = `Letta: ${title}`;
  box.prompt = vscode.l10n.t('The ID of a step, as in the Letta logs and API: step-<uuid>');
  box.placeholder = 'step-3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b';
  box.value = fromEditor ?? fromClipboard ?? '';
  box.ignoreFocusOut = true;
  const paste: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('clippy'), tooltip: vscode.l10n.t('Paste step ID from clipboard') };
  box.buttons = desktop ? [] : [paste];
  // An empty box shows its prompt, not a complaint; what was typed (or pasted) is checked as it changes.
  const validate = (force = false) => {
    box.validationMessage = box.value === '' && !force ? undefined : describeStepIdProblem(box.value);
  };
  validate();
  return new Promise<string | undefined>((resolve) => {
    let done = false;
    const finish = (value: string | undefined) => {
      if (!done) {
        done = true;
        resolve(value);
        box.dispose();
      }
    };
    box.onDidChangeValue(() => validate());
    box.onDidTriggerButton(async (button) => {
      if (button !== paste) {
        return;
      }
      const text = await readClipboard();
      if (text === undefined) {
        box.validationMessage = vscode.l10n.t('The clipboard could not be read here: paste with Ctrl+V (Cmd+V) instead.');
        return;
      }
      box.value = parseStepIdInput(text.slice(0, 200)) ?? text.trim().slice(0, 200);
      validate();
    });
    box.onDidAccept(() => {
      const id = parseStepIdInput(box.value);
      if (id) {
        finish(id);
      } else {
        validate(true);
      }
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

/** The clipboard's text, or undefined when it cannot be read (the read is never allowed to throw). */
async function readClipboard(): Promise<string | undefined> {
  try {
    return await vscode.env.clipboard.readText();
  } catch {
    return undefined;
  }
}

async function clipboardStepId(): Promise<string | undefined> {
  const text = await readClipboard();
  return text === undefined ? undefined : parseStepIdInput(text.slice(0, 200));
}

/**
 * A second trace for a diff: one already loaded (newest first, with its model and source: a file's
 * trace and the server's are two choices), or a typed ID (from the configured server).
 */
export async function pickOtherStep(first: TraceRef, loaded: LoadedTrace[]): Promise<TraceRef | undefined> {
  const firstKey = first.source ? traceKey(first.stepId, first.source) : undefined;
  const others = loaded.filter((t) => (firstKey ? traceKey(t.stepId, t.source) !== firstKey : t.stepId !== first.stepId));
  const typed = async () => {
    const stepId = await askStepId(vscode.l10n.t('Compare with step'));
    return stepId ? { stepId } : undefined;
  };
  if (others.length === 0) {
    return typed();
  }
  const typeOne: vscode.QuickPickItem = { label: vscode.l10n.t('$(edit) Enter a step ID…'), alwaysShow: true };
  const items: (vscode.QuickPickItem & { stepId?: string; source?: LoadedTrace['source'] })[] = [
    ...others.map((t) => ({ label: t.stepId, description: describeLoaded(t), stepId: t.stepId, source: t.source })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    typeOne,
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Compare {0} with…', shortStepId(first.stepId)), matchOnDescription: true });
  if (picked === typeOne) {
    return typed();
  }
  return picked?.stepId ? { stepId: picked.stepId, source: picked.source } : undefined;
}

/** "model · where it came from", for pick lists. */
function describeLoaded(t: LoadedTrace): string {
  const model = t.trace.llm_config?.model ?? t.trace.request_json.model ?? t.step?.model;
  const where = t.source.kind === 'file' ? vscode.l10n.t('file') : t.source.origin;
  return [typeof model === 'string' ? model : undefined, where].filter(Boolean).join(' · ');
}

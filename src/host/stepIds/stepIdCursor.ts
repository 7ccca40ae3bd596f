/**
 * The `letta.stepIdAtCursor` and `letta.runIdAtCursor` context keys, which show "Letta: Open Step
 * Trace" / "Letta: Open Run" in the editor's context menu when the selection or the word at the
 * cursor is such an ID. Kept cheap: only the
 * cursor's line is read, after the selection has settled.
 */
import * as vscode from 'vscode';
import { RUN_IDS, STEP_IDS, type IdKind } from '../../core/stepIds';

export const STEP_ID_AT_CURSOR_CONTEXT = 'letta.stepIdAtCursor';
/** The same for run IDs: shows "Letta: Open Run". */
export const RUN_ID_AT_CURSOR_CONTEXT = 'letta.runIdAtCursor';

/** A selection longer than this is not a step ID, so it is not read. */
const MAX_SELECTION_CHARS = 200;

/**
 * The ID of `kind` the editor points at: the selected text when it is one (quotes and white space
 * trimmed), else the ID under the cursor. What `letta.openStepTrace` / `letta.openRun` default to.
 */
export function idAtEditor(kind: IdKind, editor: vscode.TextEditor | undefined): string | undefined {
  if (!editor) {
    return undefined;
  }
  const { selection, document } = editor;
  if (!selection.isEmpty && selection.isSingleLine && selection.end.character - selection.start.character <= MAX_SELECTION_CHARS) {
    const selected = kind.parseInput(document.getText(selection));
    if (selected) {
      return selected;
    }
  }
  const active = selection.active;
  if (active.line >= document.lineCount) {
    return undefined;
  }
  return kind.at(document.lineAt(active.line).text, active.character)?.id;
}

/** The step ID the editor points at (see `idAtEditor`). */
export function stepIdAtEditor(editor: vscode.TextEditor | undefined): string | undefined {
  return idAtEditor(STEP_IDS, editor);
}

/**
 * The ID of `kind` a command was run for: a string argument (hover, document and terminal links), an
 * object with the ID under `key` (a tree item, a loaded trace), or, from the editor context menu, which
 * passes the document's Uri and not the ID, the selection or word at the cursor of that editor.
 * With no argument (palette, keybinding) the active editor is read too. Undefined: ask the user.
 */
export function idFromCommandArg(kind: IdKind, key: string, arg: unknown): string | undefined {
  if (typeof arg === 'string') {
    return kind.parseInput(arg);
  }
  if (arg instanceof vscode.Uri || arg === undefined) {
    const editor = vscode.window.activeTextEditor;
    if (editor && (arg === undefined || editor.document.uri.toString() === arg.toString())) {
      return idAtEditor(kind, editor);
    }
    return undefined;
  }
  if (typeof arg === 'object' && arg !== null && key in arg) {
    const value = (arg as Record<string, unknown>)[key];
    return typeof value === 'string' ? kind.parseInput(value) : undefined;
  }
  return undefined;
}

/** The step ID a command was run for (see `idFromCommandArg`). */
export function stepIdFromCommandArg(arg: unknown): string | undefined {
  return idFromCommandArg(STEP_IDS, 'stepId', arg);
}

/** Keeps the context key in step with the active editor's selection, debounced. */
export class StepIdCursorContext implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private current = { step: false, run: false };

  constructor(private readonly delayMs = 120) {
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === vscode.window.activeTextEditor) {
          this.schedule();
        }
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
    );
    this.update();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), this.delayMs);
  }

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    const next = { step: idAtEditor(STEP_IDS, editor) !== undefined, run: idAtEditor(RUN_IDS, editor) !== undefined };
    // setContext is a round trip to the renderer: send only changes.
    if (next.step !== this.current.step) {
      void vscode.commands.executeCommand('setContext', STEP_ID_AT_CURSOR_CONTEXT, next.step);
    }
    if (next.run !== this.current.run) {
      void vscode.commands.executeCommand('setContext', RUN_ID_AT_CURSOR_CONTEXT, next.run);
    }
    this.current = next;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) {
      d.dispose();
    }
    if (this.current.step) {
      void vscode.commands.executeCommand('setContext', STEP_ID_AT_CURSOR_CONTEXT, false);
    }
    if (this.current.run) {
      void vscode.commands.executeCommand('setContext', RUN_ID_AT_CURSOR_CONTEXT, false);
    }
  }
}

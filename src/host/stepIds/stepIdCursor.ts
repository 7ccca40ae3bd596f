/**
 * The `letta.stepIdAtCursor` context key, which shows "Letta: Open Step Trace" in the editor's
 * context menu when the selection or the word at the cursor is a step ID. Kept cheap: only the
 * cursor's line is read, after the selection has settled.
 */
import * as vscode from 'vscode';
import { parseStepIdInput, stepIdAt } from '../../core/stepIds';

export const STEP_ID_AT_CURSOR_CONTEXT = 'letta.stepIdAtCursor';

/** A selection longer than this is not a step ID, so it is not read. */
const MAX_SELECTION_CHARS = 200;

/**
 * The step ID the editor points at: the selected text when it is one (quotes and white space
 * trimmed), else the ID under the cursor. What `letta.openStepTrace` should default to.
 */
export function stepIdAtEditor(editor: vscode.TextEditor | undefined): string | undefined {
  if (!editor) {
    return undefined;
  }
  const { selection, document } = editor;
  if (!selection.isEmpty && selection.isSingleLine && selection.end.character - selection.start.character <= MAX_SELECTION_CHARS) {
    const selected = parseStepIdInput(document.getText(selection));
    if (selected) {
      return selected;
    }
  }
  const active = selection.active;
  if (active.line >= document.lineCount) {
    return undefined;
  }
  return stepIdAt(document.lineAt(active.line).text, active.character)?.id;
}

/**
 * The step ID a command was run for: a string argument (hover, document and terminal links), an
 * object with a `stepId` (a tree item, a loaded trace), or, from the editor context menu, which
 * passes the document's Uri and not the ID, the selection or word at the cursor of that editor.
 * With no argument (palette, keybinding) the active editor is read too. Undefined: ask the user.
 */
export function stepIdFromCommandArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') {
    return parseStepIdInput(arg);
  }
  if (arg instanceof vscode.Uri || arg === undefined) {
    const editor = vscode.window.activeTextEditor;
    if (editor && (arg === undefined || editor.document.uri.toString() === arg.toString())) {
      return stepIdAtEditor(editor);
    }
    return undefined;
  }
  if (typeof arg === 'object' && arg !== null && 'stepId' in arg && typeof arg.stepId === 'string') {
    return parseStepIdInput(arg.stepId);
  }
  return undefined;
}

/** Keeps the context key in step with the active editor's selection, debounced. */
export class StepIdCursorContext implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private current = false;

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
    const value = stepIdAtEditor(vscode.window.activeTextEditor) !== undefined;
    // setContext is a round trip to the renderer: send only changes.
    if (value !== this.current) {
      this.current = value;
      void vscode.commands.executeCommand('setContext', STEP_ID_AT_CURSOR_CONTEXT, value);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) {
      d.dispose();
    }
    if (this.current) {
      void vscode.commands.executeCommand('setContext', STEP_ID_AT_CURSOR_CONTEXT, false);
    }
  }
}

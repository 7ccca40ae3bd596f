/**
 * The step or run ID an editor points at, for the commands run from its context menu. The menu
 * items are contributed wherever IDs get hovers (no context key tracks the cursor: one updated after
 * the cursor moves lags behind a right-click), and the command reads the word under the right-click
 * when it runs, since a right-click moves the cursor there first. Only the cursor's line is read.
 */
import * as vscode from 'vscode';
import type { TraceSource } from '../../core/lettaTypes';
import { STEP_IDS, type IdKind } from '../../core/stepIds';
import { readTraceSource } from '../../core/traceSource';

/** A selection longer than this is not an ID, so it is not read. */
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

/** A step and where its trace comes from (absent: the configured server). */
export interface TraceRef {
  stepId: string;
  source?: TraceSource;
}

/**
 * The step and source a command was run for: as `stepIdFromCommandArg`, and the `source` an object
 * argument carries (a loaded trace, a Recent item of a file or another server, a viewer's action).
 */
export function traceRefFromCommandArg(arg: unknown): TraceRef | undefined {
  const stepId = stepIdFromCommandArg(arg);
  if (!stepId) {
    return undefined;
  }
  const source = typeof arg === 'object' && arg !== null && 'source' in arg ? readTraceSource(arg.source) : undefined;
  return source ? { stepId, source } : { stepId };
}

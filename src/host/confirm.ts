/** A modal yes/no question: the one way this extension asks before doing something that matters. */
import * as vscode from 'vscode';

/** Shows `message` with `detail` and one `action` button; true only when the user clicked it. */
export async function confirmModal(message: string, detail: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
}

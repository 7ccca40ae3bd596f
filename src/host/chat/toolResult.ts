/** A tool's answer to the model: one text part (an account, or a failure the model can act on). */
import * as vscode from 'vscode';

export function textResult(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}

/** Replaces `vscode.window` notification functions for a test, recording what the user would see. */
import * as vscode from 'vscode';

export interface ShownMessage {
  level: 'error' | 'warning' | 'information';
  message: string;
  buttons: string[];
}

type Answer = (message: ShownMessage) => string | undefined;

/** Records notifications; `answer` picks the button the "user" clicks (none by default). */
export function recordMessages(answer: Answer = () => undefined): { shown: ShownMessage[]; restore(): void } {
  const window = vscode.window as unknown as Record<string, unknown>;
  const originals = { error: window.showErrorMessage, warning: window.showWarningMessage, information: window.showInformationMessage };
  const shown: ShownMessage[] = [];
  const fake = (level: ShownMessage['level']) => (message: string, ...rest: unknown[]) => {
    const buttons = rest.filter((r): r is string => typeof r === 'string');
    const entry = { level, message, buttons };
    shown.push(entry);
    return Promise.resolve(answer(entry));
  };
  window.showErrorMessage = fake('error');
  window.showWarningMessage = fake('warning');
  window.showInformationMessage = fake('information');
  return {
    shown,
    restore() {
      window.showErrorMessage = originals.error;
      window.showWarningMessage = originals.warning;
      window.showInformationMessage = originals.information;
    },
  };
}

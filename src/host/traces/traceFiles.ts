/** Reading a saved trace file back: what Open as Letta Trace and the trace-file editor show, and how a restored view reopens one. */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import type { LoadedTrace } from '../../core/lettaTypes';
import { parseTraceFile } from '../../core/traceFile';

export type ReadTraceFile = { ok: true; trace: LoadedTrace } | { ok: false; error: string };

/** `uri` read as a saved trace; a file that cannot be read or is not one says why. */
export async function readTraceFile(uri: vscode.Uri): Promise<ReadTraceFile> {
  let text: string;
  try {
    text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  } catch (e) {
    return { ok: false, error: vscode.l10n.t('Could not read {0}: {1}', uri.fsPath, errorMessage(e)) };
  }
  const parsed = parseTraceFile(text);
  if (!parsed.ok) {
    return { ok: false, error: vscode.l10n.t('{0} is not a Letta trace: {1}', uri.fsPath, parsed.error) };
  }
  return { ok: true, trace: { stepId: parsed.stepId, trace: parsed.trace, step: parsed.step, source: { kind: 'file', path: uri.fsPath }, loadedAt: Date.now() } };
}

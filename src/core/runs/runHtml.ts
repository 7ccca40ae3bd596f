/** The run view's HTML shell (see `webviewHtml.ts`); the run ID is its only data. No `vscode` import. */
import { RUN_IDS } from '../lettaIds';
import type { RunViewState } from '../../shared/runProtocol';
import { webviewHtml, type WebviewShellOptions } from '../viewer/webviewHtml';

export interface RunHtmlOptions extends WebviewShellOptions {
  runId: string;
}

export function runHtml(o: RunHtmlOptions): string {
  const state: RunViewState = { runId: o.runId };
  return webviewHtml({ ...o, title: RUN_IDS.short(o.runId), state });
}

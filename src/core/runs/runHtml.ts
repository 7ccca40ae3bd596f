/** The run view's HTML shell (see `webviewHtml.ts`); the run ID is its only data. No `vscode` import. */
import { RUN_IDS } from '../lettaIds';
import type { RunViewState } from '../../shared/runProtocol';
import { webviewHtml } from '../viewer/webviewHtml';

export interface RunHtmlOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
  runId: string;
}

export function runHtml(o: RunHtmlOptions): string {
  const state: RunViewState = { runId: o.runId };
  return webviewHtml({ ...o, title: RUN_IDS.short(o.runId), state });
}

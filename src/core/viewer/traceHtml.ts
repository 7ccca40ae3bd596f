/**
 * The trace viewer's HTML shell (see `webviewHtml.ts`). No `vscode` import, so the Chromium tests
 * load exactly this page.
 */
import { shortStepId } from '../stepIds';
import type { TraceViewState } from '../../shared/protocol';
import { webviewHtml, type WebviewShellOptions } from './webviewHtml';

export interface TraceHtmlOptions extends WebviewShellOptions {
  stepId: string;
}

export function traceHtml(o: TraceHtmlOptions): string {
  const state: TraceViewState = { stepId: o.stepId };
  // The step ID is the page's only data (so a new panel can record it for the serializer before any
  // message); it is a validated ID, and escaped anyway.
  return webviewHtml({ ...o, title: shortStepId(o.stepId), state });
}

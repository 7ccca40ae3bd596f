/** The trace viewer's `acquireVsCodeApi()` handle, typed with its protocol (see webviewApi.ts). */
import type { TraceViewState, WebviewMessage } from '../shared/protocol';
import { webviewApi } from './webviewApi';

export const { post, getState, setState } = webviewApi<TraceViewState, WebviewMessage>('stepId');

export function copy(text: string, label: string): void {
  post({ type: 'copy', text, label });
}

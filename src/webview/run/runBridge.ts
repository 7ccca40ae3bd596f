/** The run view's `acquireVsCodeApi()` handle, typed with the run protocol (see webviewApi.ts). */
import type { RunViewState, RunWebviewMessage } from '../../shared/runProtocol';
import { webviewApi } from '../webviewApi';

export const { post, getState, setState } = webviewApi<RunViewState, RunWebviewMessage>('runId');

export function copy(text: string, label: string): void {
  post({ type: 'copy', text, label });
}

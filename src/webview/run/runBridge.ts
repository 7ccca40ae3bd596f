/** The run view's one `acquireVsCodeApi()` handle, typed with the run protocol. */
import type { RunViewState, RunWebviewMessage } from '../../shared/runProtocol';

const api = acquireVsCodeApi<RunViewState>();

export function post(message: RunWebviewMessage): void {
  api.postMessage(message);
}

export function copy(text: string, label: string): void {
  post({ type: 'copy', text, label });
}

/** The saved state, else the run ID the host wrote into the page (so the serializer can restore it). */
export function getState(): RunViewState | undefined {
  const state = api.getState();
  if (state && typeof state.runId === 'string') {
    return state;
  }
  try {
    const fromPage = JSON.parse(document.body.dataset.state ?? 'null') as RunViewState | null;
    return fromPage && typeof fromPage.runId === 'string' ? fromPage : undefined;
  } catch {
    return undefined;
  }
}

export function setState(state: RunViewState): void {
  api.setState(state);
}

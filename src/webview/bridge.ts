/** The one `acquireVsCodeApi()` handle, typed with the protocol, and the view state behind a small wrapper. */
import type { TraceViewState, WebviewMessage } from '../shared/protocol';

const api = acquireVsCodeApi<TraceViewState>();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function copy(text: string, label: string): void {
  post({ type: 'copy', text, label });
}

export function getState(): TraceViewState | undefined {
  const state = api.getState();
  if (state && typeof state.stepId === 'string') {
    return state;
  }
  // A new panel: the host wrote the step ID into the page, so the serializer can restore it later.
  try {
    const fromPage = JSON.parse(document.body.dataset.state ?? 'null') as TraceViewState | null;
    return fromPage && typeof fromPage.stepId === 'string' ? fromPage : undefined;
  } catch {
    return undefined;
  }
}

export function setState(state: TraceViewState): void {
  api.setState(state);
}

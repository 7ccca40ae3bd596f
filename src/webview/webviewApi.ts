/** The one `acquireVsCodeApi()` handle of a page, typed with its protocol; each app's bridge is this for its own types. */

export interface WebviewApi<State, Out> {
  post: (message: Out) => void;
  /** The saved state, else the one the host wrote into the page (so the serializer can restore it). */
  getState: () => State | undefined;
  setState: (state: State) => void;
}

/** `key` names the field (a string) that every valid state has: `stepId` for the viewer, `runId` for the run view. */
export function webviewApi<State extends object, Out>(key: keyof State & string): WebviewApi<State, Out> {
  const api = acquireVsCodeApi<State>();
  const isState = (value: unknown): value is State => typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[key] === 'string';
  return {
    post: (message) => api.postMessage(message),
    getState: () => {
      const state = api.getState();
      if (isState(state)) {
        return state;
      }
      // A new panel: the host wrote the state into the page, so the serializer can restore it later.
      try {
        const fromPage: unknown = JSON.parse(document.body.dataset.state ?? 'null');
        return isState(fromPage) ? fromPage : undefined;
      } catch {
        return undefined;
      }
    },
    setState: (state) => api.setState(state),
  };
}

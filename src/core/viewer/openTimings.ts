/**
 * Where the time of one trace's first screen went in the viewer, as one debug log line: from the
 * panel's creation to its webview's `ready`, to the trace's arrival (the fetch and parse, logged by
 * the transport in detail), its normalising and the first post, to the page's first paint. Pure.
 */

/** Times are `Date.now()` values; durations in ms. */
export interface OpenTimings {
  createdAt: number;
  /** When the webview said `ready` (absent when the trace was shown to an already loaded page). */
  readyAt?: number;
  /** When the trace was handed to the panel (fetched and parsed). */
  shownAt: number;
  normaliseMs: number;
  firstPostMs: number;
  firstPostBytes: number;
  messages: number;
  onRequest: number;
  /** When the first post went to the webview (at `ready`, or at once if it was ready). */
  sentAt: number;
  paintedAt: number;
  /** The page's own time from the message to its paint. */
  pageMs: number;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function describeOpenTimings(stepId: string, t: OpenTimings): string {
  const at = (when: number) => `${Math.max(0, Math.round(when - t.createdAt))} ms`;
  return (
    `Trace viewer: ${stepId} first screen ${at(t.paintedAt)} after the panel was created: ` +
    `${t.readyAt === undefined ? 'webview already loaded' : `webview ready at ${at(t.readyAt)}`}, ` +
    `trace fetched and parsed by ${at(t.shownAt)}, normalised in ${Math.round(t.normaliseMs)} ms, ` +
    `first post (${kb(t.firstPostBytes)}; ${t.messages} messages, ${t.onRequest} on request) built in ${Math.round(t.firstPostMs)} ms and sent at ${at(t.sentAt)}, ` +
    `painted at ${at(t.paintedAt)} (${Math.round(t.pageMs)} ms in the page).`
  );
}

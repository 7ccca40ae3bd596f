/** What the code-server first-screen benchmark and its extension-host half (benchHost.ts) share. */

/** What the empty panel shows: the benchmark polls the page for it. */
export const EMPTY_PANEL_TEXT = 'Empty benchmark panel';

/** One webview panel the host watched: created when, posted how much before its first paint. */
export interface PanelRecord {
  viewType: string;
  createdAt: number;
  paintedAt?: number;
  /** Bytes of every message posted to it before its page said `painted` (so far, while it has not). */
  bytesBeforePaint: number;
  messagesBeforePaint: number;
}

/** `GET /state`: the panels since the last `closeAll`, and the extension's debug log lines (`<ms> <text>`). */
export interface HostState {
  records: PanelRecord[];
  debugLines: string[];
}

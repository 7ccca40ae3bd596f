/**
 * Messages between the host and the run view (`src/webview/run/`), typed on both sides. The rows
 * are the run model's own plain data (`src/core/runs/runModel.ts`); trace text in them is untrusted
 * and the page puts it in as text only.
 */
import type { RunModel, RunStepRow, RunTotals, TranscriptEntry } from '../core/runs/runModel';

export type { RunModel, RunStepRow, RunTotals, TranscriptEntry };

/** Host → run view. */
export type RunHostMessage =
  /** The run and its steps are being read. */
  | { type: 'loading'; runId: string }
  /** The whole run: header, totals, every row (traces may still be pending), transcript. */
  | { type: 'run'; model: RunModel }
  /** Rows whose trace arrived (or failed) since the last message, with the totals and transcript that follow. */
  | { type: 'rows'; rows: RunStepRow[]; totals: RunTotals; transcript: TranscriptEntry[] }
  /** The run could not be read at all. */
  | { type: 'error'; message: string };

/** Run view → host. */
export type RunWebviewMessage =
  | { type: 'ready' }
  /** Open this step of the run in the trace viewer. */
  | { type: 'openStep'; stepId: string }
  | { type: 'copy'; text: string; label: string }
  /** Copy the whole run as Markdown (the host builds it: header, steps, what changed, transcript). */
  | { type: 'copyMarkdown' }
  /** Read the run again from the server. */
  | { type: 'refresh' };

/** What a run panel keeps for the serializer. */
export interface RunViewState {
  runId: string;
  /** The row that had the focus. */
  selected?: number;
}

export const RUN_VIEW_TYPE = 'letta.run';

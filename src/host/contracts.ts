/**
 * The seams between the host features, so each feature module depends on a small interface and
 * `extension.ts` wires the implementations together.
 */
import type * as vscode from 'vscode';
import type { LettaApi } from '../core/lettaApi';
import type { LoadedTrace, Step, TraceSource } from '../core/lettaTypes';
import type { ServerAccess } from '../core/serverAccess';
import type { StepContextLater } from '../core/context/stepContext';

/** Where a trace is shown. */
export type TraceView = 'webview' | 'documents' | 'both';

/** How a trace is loaded. */
export interface LoadOptions {
  /** Fetch again even when cached (the viewer's Refresh). */
  refresh?: boolean;
  /** Where the trace comes from; the configured server when absent. */
  source?: TraceSource;
  /** What "Retry" on a failure repeats: the caller's action (default: this load again). */
  retry?: () => unknown;
}

/**
 * Loads traces: from the cache, from a file, or from the server under a cancellable progress
 * notification. Traces are kept by source and step: a saved file never stands in for the live trace.
 */
export interface TraceStore {
  /**
   * The trace of `stepId` from `options.source` (default: the configured server). Failures are shown
   * to the user with their next step (Set API Key, Retry, Show Log) and give `undefined`, as does
   * cancelling; nothing is cached from a failure. A trace of another server is not fetched from
   * this one: the user is told which server it belongs to.
   */
  load(stepId: string, options?: LoadOptions): Promise<LoadedTrace | undefined>;
  /**
   * The trace of `stepId` from the configured server without any notification or key prompt (for the
   * chat tools): throws the request's `LettaApiError` instead of showing it; cached like `load`.
   */
  loadQuietly(stepId: string, options?: { signal?: AbortSignal; step?: Step; maxRetries?: number }): Promise<LoadedTrace>;
  /** The cached trace from `source` (default: the configured server), with no request. */
  peek(stepId: string, source?: TraceSource): LoadedTrace | undefined;
  /** The same without marking it as used (for listing what is cached). */
  peekQuietly(stepId: string, source?: TraceSource): LoadedTrace | undefined;
  /** The cached traces, most recently used first (for "Compare with…"). */
  cached(): LoadedTrace[];
  /** The configured server, as a source. */
  currentSource(): TraceSource;
  /** Adds a trace that came from elsewhere (a file), so every view can show it. */
  put(trace: LoadedTrace): void;
  /** Keeps `trace` in the cache while it is on screen (it still counts in the memory budget). */
  hold(trace: LoadedTrace): void;
  release(trace: LoadedTrace): void;
  /** Called once a trace is on screen: fires `onDidOpenTrace`. */
  noteOpened(trace: LoadedTrace): void;
  /** Fires after a trace is shown to the user (the sidebar's Recent list listens). */
  readonly onDidOpenTrace: vscode.Event<LoadedTrace>;
  /** Fires with the fresh trace when one was reloaded from its source (documents re-render). */
  readonly onDidRefresh: vscode.Event<LoadedTrace>;
}

/** A client for the configured server, with its key (asking for it when missing, if `prompt`). */
export interface ApiProvider {
  /** Undefined when the user dismissed the key prompt. */
  getApi(options?: { prompt?: boolean }): Promise<LettaApi | undefined>;
  /** Whether the server can be used now, and what is in the way when not (never prompts). */
  access(): Promise<ServerAccess>;
  /** The origin of the configured server, for labels. */
  readonly origin: string;
  /** Fires when the server or its key changes. */
  readonly onDidChange: vscode.Event<void>;
}

/** Opens a loaded trace in the views the user chose. */
export interface TraceOpener {
  /** Loads (cached, fetched or read) and shows `stepId` from `source` (default: the configured server); `view` overrides `letta.openTraceIn`. */
  open(stepId: string, view?: TraceView, source?: TraceSource): Promise<void>;
  /** Shows an already loaded trace. */
  show(trace: LoadedTrace, view?: TraceView): Promise<void>;
}

/** The trace viewer webview (one panel per step). */
export interface TracePanels {
  show(trace: LoadedTrace): void;
  /** The context window and cost of a trace: an open panel's when counted, else counted now (off the host's thread). */
  contextOf(trace: LoadedTrace): Promise<StepContextLater>;
  /**
   * Opens the step's panel before its trace is here (the page shows its frame and "Loading"), so
   * panel creation overlaps the fetch; `cancel` closes it again when the load gives nothing.
   */
  opening?(stepId: string, source?: TraceSource): { cancel(): void };
}

/**
 * The seams between the host features, so each feature module depends on a small interface and
 * `extension.ts` wires the implementations together.
 */
import type * as vscode from 'vscode';
import type { LettaApi } from '../core/lettaApi';
import type { LoadedTrace } from '../core/lettaTypes';
import type { ServerAccess } from '../core/serverAccess';

/** Where a trace is shown. */
export type TraceView = 'webview' | 'documents' | 'both';

/** Loads traces: from the cache, or from the server under a cancellable progress notification. */
export interface TraceStore {
  /**
   * The trace of `stepId`. Failures are shown to the user with their next step (Set API Key, Retry,
   * Show Log) and give `undefined`, as does cancelling; nothing is cached from a failure.
   */
  load(stepId: string, options?: { refresh?: boolean }): Promise<LoadedTrace | undefined>;
  /** The cached trace, with no request. */
  peek(stepId: string): LoadedTrace | undefined;
  /** The cached trace without marking it as used (for listing what is cached). */
  peekQuietly(stepId: string): LoadedTrace | undefined;
  /** Step IDs in the cache, most recently used first (for "Compare with…"). */
  cachedStepIds(): string[];
  /** Adds a trace that came from elsewhere (a file), so every view can show it. */
  put(trace: LoadedTrace): void;
  /** Called once a trace is on screen: fires `onDidOpenTrace`. */
  noteOpened(trace: LoadedTrace): void;
  /** Fires after a trace is shown to the user (the sidebar's Recent list listens). */
  readonly onDidOpenTrace: vscode.Event<LoadedTrace>;
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
  /** Loads (cached or fetched) and shows `stepId`; `view` overrides `letta.openTraceIn`. */
  open(stepId: string, view?: TraceView): Promise<void>;
  /** Shows an already loaded trace. */
  show(trace: LoadedTrace, view?: TraceView): Promise<void>;
}

/** The trace viewer webview (one panel per step). */
export interface TracePanels {
  show(trace: LoadedTrace): void;
  /**
   * Opens the step's panel before its trace is here (the page shows its frame and "Loading"), so
   * panel creation overlaps the fetch; `cancel` closes it again when the load gives nothing.
   */
  opening?(stepId: string): { cancel(): void };
}

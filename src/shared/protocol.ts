/**
 * The typed messages between the extension host and the trace viewer webview. Host and webview
 * import this one file; every message is a discriminated union member keyed by `type`.
 * The webview posts `ready` first; the host sends nothing before it.
 */
import type { StepContextLater, StepContextNow } from '../core/context/stepContext';
import type { Conversation, Message } from '../core/conversation/model';
import type { TraceSummary } from '../core/stepSummary';
import type { PathSegment } from '../core/viewer/traceStubs';
import type { FindMatch, FindOptions } from '../core/viewer/traceSearch';
export type { FindMatch, FindOptions } from '../core/viewer/traceSearch';

/** The header facts of a trace: the core's summary (a type-only import, so no host code reaches the webview). */
export type TraceHeader = TraceSummary;

/** Everything the viewer shows for one step. */
export interface TraceData {
  stepId: string;
  summary: TraceHeader;
  /**
   * Normalised in the host, so the webview only renders. For a long conversation `messages` holds
   * only the first and last ones; the middle follows in `messages` messages (see `omitted`).
   */
  conversation: Conversation;
  /** The request messages left out of `conversation.messages`: indices `start` .. `start + count - 1`. */
  omitted?: {
    start: number;
    count: number;
    /** The host sends these on request (`requestMessages`), as they scroll into view; else they follow unasked. */
    lazy?: boolean;
    /** Their size in JSON characters, so the page can hold about their height before they arrive. */
    chars?: number;
  };
  /** Indices of the messages sent with long strings cut; the page can ask for each whole. */
  cut?: number[];
  /** The raw JSON stays in the host: the page asks for it node by node (`rawNode`); the find (`find`) runs there too. */
  rawLazy?: boolean;
  /**
   * JSON text of `{ request, response, metadata }` (the trace as sent, metadata = every other trace
   * field plus the step record). Text, not objects, so the webview parses it only when the Raw JSON
   * view or the find needs it and the conversation shows first. Absent when it follows in `raw` chunks.
   */
  raw?: string;
  /** The server's origin (`https://api.letta.com`), for "Copy as cURL"; absent for a trace read from a file. */
  origin?: string;
  /** A file path when the trace came from disk. */
  file?: string;
  /**
   * Letta's system prompt in sections (memory blocks as cards) and the parameters at a glance.
   * The context window and the cost follow in a `context` message.
   */
  context?: StepContextNow;
}

/** The toolbar actions the host carries out (`feedbackTags` asks for the tags in a quick input). */
export type TraceAction = 'openDocuments' | 'save' | 'refresh' | 'copyCurl' | 'compare' | 'copyMarkdown' | 'feedbackTags' | 'openRun';

/** A step's feedback as the viewer shows it: the thumb (none when cleared) and its tags when known. */
export interface FeedbackState {
  feedback?: 'positive' | 'negative';
  tags?: string[];
}

/** Host → webview. */
export type HostMessage =
  /** The trace to show (first after `ready`, again after a refresh). */
  | { type: 'trace'; data: TraceData }
  /** Left-out request messages of the shown trace, from index `start`, in the order they were left out. */
  | { type: 'messages'; stepId: string; start: number; messages: Message[]; cut?: number[] }
  /** The answer to a `rawNode` request: the node's value one level deep (`total` children in all), or why not. */
  | { type: 'rawNode'; stepId: string; id: number; value?: unknown; total?: number; error?: string }
  /** The answer to a `rawString` request: characters from `offset` of a string `total` long. */
  | { type: 'rawString'; stepId: string; id: number; offset: number; text?: string; total?: number; error?: string }
  /**
   * Progress of a `find` (same `id`): `first` as soon as the first match is found, the count so far
   * now and then, the total when `done`; or why the query cannot be searched for (`error`).
   * `capped`: only the first `kept` matches can be stepped to (the count is exact beyond them).
   */
  | { type: 'findResult'; stepId: string; id: number; total: number; done: boolean; first?: FindMatch; capped?: boolean; kept?: number; error?: string }
  /** The answer to a `findMatch` request: match `index` of find `id`, or why not. */
  | { type: 'findMatch'; stepId: string; id: number; index: number; match?: FindMatch; error?: string }
  /** A piece of the shown trace's raw JSON text; the pieces joined are `TraceData.raw`, complete when `done`. */
  | { type: 'raw'; stepId: string; text: string; done: boolean }
  /** The shown step's context window by section and its cost, once counted and priced. */
  | { type: 'context'; stepId: string; context: StepContextLater }
  /**
   * The shown step's feedback after a change (from this viewer, the sidebar or a failed attempt,
   * which sends the unchanged state so the buttons are usable again).
   */
  | { type: 'feedback'; stepId: string; state: FeedbackState }
  /** A load or refresh is under way. */
  | { type: 'loading' }
  /** Loading failed; the text says what to do next. */
  | { type: 'error'; message: string };

/** Webview → host. */
export type WebviewMessage =
  /** The webview's script is running and listening: the host may send. */
  | { type: 'ready' }
  /** Put `text` on the clipboard; `label` names it in the status bar ("Step ID copied"). */
  | { type: 'copy'; text: string; label: string }
  /** Open a link the user clicked; the host accepts only http and https. */
  | { type: 'openLink'; url: string }
  /** Run a toolbar action on this panel's step. */
  | { type: 'action'; action: TraceAction }
  /** Set this panel's step's feedback: a thumb, or `null` to clear it (tags stay as they are). */
  | { type: 'feedback'; feedback: 'positive' | 'negative' | null }
  /** Send request messages `start` .. `start + count - 1` (strings cut unless `whole`); the host may send fewer. */
  | { type: 'requestMessages'; stepId: string; start: number; count: number; whole?: boolean }
  /** Send the raw JSON node at `path`, children from `offset`. */
  | { type: 'rawNode'; stepId: string; id: number; path: PathSegment[]; offset?: number }
  /** Send a slice of the raw string at `path`. */
  | { type: 'rawString'; stepId: string; id: number; path: PathSegment[]; offset: number }
  /** Find `query` in the whole trace (a newer `find` stops an older one); answered by `findResult`s. */
  | { type: 'find'; stepId: string; id: number; query: string; options: FindOptions }
  /** Send match `index` (from 0) of find `id`. */
  | { type: 'findMatch'; stepId: string; id: number; index: number }
  /** The find field has the focus: a search is likely, the host may get ready for it (its text index). */
  | { type: 'findPrepare'; stepId: string }
  /** Copy the raw value at `path` (indented JSON, or the string itself). */
  | { type: 'copyRaw'; stepId: string; path: PathSegment[]; label: string }
  /** The page painted its first screen of the trace (`ms` after the trace message arrived), for the host's timing log. */
  | { type: 'painted'; stepId: string; ms: number };

/** What the webview keeps in `setState`, so a restored panel knows its step. */
export interface TraceViewState {
  stepId: string;
  /** Where the trace came from: a restored panel reopens from there (or says it cannot). */
  source?: { kind: 'server'; origin: string } | { kind: 'file'; path: string };
  tab?: 'conversation' | 'raw';
  /** Scroll offset of each tab, restored when the webview is shown again. */
  scroll?: { conversation?: number; raw?: number };
}

/** The panel's view type, shared by the host and the serializer. */
export const TRACE_VIEW_TYPE = 'letta.trace';

/**
 * One conversation model for every provider format. Each normaliser turns a trace's
 * `request_json` / `response_json` into this; the webview renders only this (and the raw JSON).
 * Plain data (structured-clone safe), no classes. Pure: no `vscode` import.
 */

export type TraceFormat = 'openai-chat' | 'openai-responses' | 'anthropic' | 'google' | 'letta-stream' | 'unknown';

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

/**
 * A source a text cites: Anthropic `citations`, OpenAI `url_citation` / `file_citation` annotations,
 * Gemini grounding supports. `url` is shown as text and opened only through the host.
 */
export interface Citation {
  /** The passage of the source the text relies on (Anthropic `cited_text`, a Gemini chunk's text). */
  citedText?: string;
  title?: string;
  url?: string;
  /** A file, document or search result named without a URL (`filename`, `document_title`, `source`). */
  source?: string;
  /** The span of the text it supports, where the provider says (OpenAI annotations, Gemini segments). */
  quote?: string;
}

/** A search result, grounding chunk or fetched page: what a server-side tool found. */
export interface Source {
  title?: string;
  url?: string;
  /** Text of the source as returned (a retrieved chunk, a fetched page, a file-search hit). */
  text?: string;
  /** How old the page is, as the search said (`6 days ago`), or when it was fetched. */
  age?: string;
}

/**
 * Where a call ran: the client's own function (the default), a tool the provider ran itself (web
 * search, code execution, file search, ...), or a tool of a remote MCP server the provider called.
 */
export type ToolOrigin = 'server' | 'mcp';

/** A piece of a message's content. */
export type Part =
  | { kind: 'text'; text: string; citations?: Citation[] }
  /** An image, shown as a placeholder: never loaded. `bytes` is the decoded size of inline data. */
  | { kind: 'image'; mediaType?: string; bytes?: number; url?: string }
  /**
   * Model reasoning: Anthropic thinking, OpenAI reasoning summaries, Gemini thoughts. `redacted`: the
   * text was withheld; `encrypted` as well when only an encrypted blob came back (Anthropic
   * `redacted_thinking`, OpenAI `encrypted_content`), which the viewer never shows.
   */
  | { kind: 'thinking'; text: string; redacted?: boolean; encrypted?: boolean }
  /** A call the model asked for; `arguments` is parsed when it was JSON text, else the raw string. */
  | { kind: 'tool-call'; id?: string; name: string; arguments: unknown; origin?: ToolOrigin; server?: string }
  /** The result sent back for a tool call (or, for a server tool, returned by the provider). */
  | { kind: 'tool-result'; toolCallId?: string; name?: string; content: Part[]; isError?: boolean; origin?: ToolOrigin; server?: string }
  /** Search results, grounding chunks and the queries behind them (Gemini grounding, web and file search). */
  | { kind: 'sources'; label: string; sources: Source[]; queries?: string[] }
  /** The tools an MCP server listed (OpenAI Responses `mcp_list_tools`). */
  | { kind: 'tool-list'; server: string; tools: ToolDefinition[]; error?: string }
  /** Anything else, kept as JSON under a label (e.g. `file`, `audio`, an unknown block type). */
  | { kind: 'json'; label: string; value: unknown };

export interface Message {
  role: Role;
  /** A participant or tool name, where the format has one. */
  name?: string;
  parts: Part[];
}

/**
 * `function`: the client's own tool; `custom`: free-form input (OpenAI custom tools); `server`: a
 * tool the provider runs (web search, code execution, ...); `mcp`: a remote MCP server.
 */
export type ToolKind = 'function' | 'custom' | 'server' | 'mcp';

export interface ToolDefinition {
  name: string;
  description?: string;
  /** The JSON Schema of the parameters, as sent. */
  parameters?: unknown;
  /** Absent for plain function tools. */
  kind?: ToolKind;
  /** The provider's type name when it says more than the kind (`web_search_20250305`, `googleSearch`). */
  type?: string;
  /** The rest of the definition (limits, domains, server URL, allowed tools), without credentials. */
  config?: Record<string, unknown>;
}

/**
 * Token counts, all optional; names are the provider-neutral ones. Numbers are as the provider
 * reported them: Anthropic's `input_tokens` (→ `promptTokens`) excludes cache reads and writes, and
 * Anthropic reports no total.
 */
export interface Usage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
  cachedTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  /** Gemini `toolUsePromptTokenCount`: the prompt of built-in tools (search results read back), counted apart. */
  toolUsePromptTokens?: number;
  /** Audio within the prompt / the completion (OpenAI `*_tokens_details.audio_tokens`). */
  audioPromptTokens?: number;
  audioCompletionTokens?: number;
  /**
   * The total minus the parts it is made of, when the provider reports a total that its parts do
   * not add up to (positive: tokens the provider counted but did not name). Absent when they agree.
   */
  unaccountedTokens?: number;
}

export interface Conversation {
  /** The request's format when it was recognised, else the response's. */
  format: TraceFormat;
  /** e.g. "OpenAI Chat Completions"; "Anthropic Messages (streamed)" when the response is Letta's stream summary. */
  formatLabel: string;
  /** Each side is detected on its own: a streamed step pairs an OpenAI/Anthropic request with a `letta-stream` response. */
  requestFormat?: TraceFormat;
  responseFormat?: TraceFormat;
  model?: string;
  /** The request's messages, the system prompt first. */
  messages: Message[];
  tools: ToolDefinition[];
  /** Model parameters as sent: temperature, max tokens, tool choice, reasoning settings, ... */
  parameters: Record<string, unknown>;
  /** The response's messages (normally one assistant message). */
  output: Message[];
  finishReason?: string;
  /** The provider's words on why it stopped (Gemini `finishMessage`, Anthropic `stop_details`). */
  finishMessage?: string;
  usage?: Usage;
  /** Which sides of the trace were empty (`null`, absent or `{}`): shown as such, not as an unknown format. */
  missing?: ('request' | 'response')[];
  /** A failed call: the response was `{error, error_type}`. */
  error?: { message: string; type?: string };
  /** What the normaliser could not read, shown to the user (e.g. an unknown shape). */
  notes: string[];
}

/**
 * One conversation model for every provider format. Each normaliser turns a trace's
 * `request_json` / `response_json` into this; the webview renders only this (and the raw JSON).
 * Plain data (structured-clone safe), no classes. Pure: no `vscode` import.
 */

export type TraceFormat = 'openai-chat' | 'openai-responses' | 'anthropic' | 'google' | 'letta-stream' | 'unknown';

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

/** A piece of a message's content. */
export type Part =
  | { kind: 'text'; text: string }
  /** An image, shown as a placeholder: never loaded. `bytes` is the decoded size of inline data. */
  | { kind: 'image'; mediaType?: string; bytes?: number; url?: string }
  /** Model reasoning: Anthropic thinking, OpenAI reasoning summaries, Gemini thoughts. */
  | { kind: 'thinking'; text: string; redacted?: boolean }
  /** A call the model asked for; `arguments` is parsed when it was JSON text, else the raw string. */
  | { kind: 'tool-call'; id?: string; name: string; arguments: unknown }
  /** The result sent back for a tool call. */
  | { kind: 'tool-result'; toolCallId?: string; name?: string; content: Part[]; isError?: boolean }
  /** Anything else, kept as JSON under a label (e.g. `file`, `audio`, an unknown block type). */
  | { kind: 'json'; label: string; value: unknown };

export interface Message {
  role: Role;
  /** A participant or tool name, where the format has one. */
  name?: string;
  parts: Part[];
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** The JSON Schema of the parameters, as sent. */
  parameters?: unknown;
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
  usage?: Usage;
  /** A failed call: the response was `{error, error_type}`. */
  error?: { message: string; type?: string };
  /** What the normaliser could not read, shown to the user (e.g. an unknown shape). */
  notes: string[];
}

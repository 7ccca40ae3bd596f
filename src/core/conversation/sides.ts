/** What each format's normaliser returns for one side of the call; `normalize.ts` joins the two. */
import type { Message, ToolDefinition, Usage } from './model';

export interface RequestSide {
  model?: string;
  /** The request's messages, the system prompt first. */
  messages: Message[];
  tools: ToolDefinition[];
  parameters: Record<string, unknown>;
}

export interface ResponseSide {
  model?: string;
  output: Message[];
  finishReason?: string;
  finishMessage?: string;
  usage?: Usage;
}

/**
 * Token usage from any provider's usage object, under the neutral names. One reader for all
 * formats, because Letta's streamed summary can carry any provider's raw usage.
 */
import type { Usage } from './model';
import { asNumber, dropUndefined, isRecord, pick, type Json } from './util';

function num(obj: Json, ...keys: string[]): number | undefined {
  return asNumber(pick(obj, ...keys));
}

function detail(obj: Json, detailKeys: string[], ...keys: string[]): number | undefined {
  const details = pick(obj, ...detailKeys);
  return isRecord(details) ? num(details, ...keys) : undefined;
}

/** Reads a usage object (OpenAI, Responses, Anthropic, Gemini, Letta); undefined when it holds no counts. */
export function readUsage(raw: unknown): Usage | undefined {
  if (!isRecord(raw)) {
    return undefined;
  }
  const usage: Usage = dropUndefined({
    promptTokens: num(raw, 'prompt_tokens', 'input_tokens', 'prompt_token_count', 'promptTokenCount', 'promptTokens', 'inputTokens'),
    completionTokens: num(raw, 'completion_tokens', 'output_tokens', 'candidates_token_count', 'candidatesTokenCount', 'completionTokens', 'outputTokens'),
    totalTokens: num(raw, 'total_tokens', 'total_token_count', 'totalTokenCount', 'totalTokens'),
    cachedTokens:
      detail(raw, ['prompt_tokens_details', 'input_tokens_details'], 'cached_tokens') ??
      num(raw, 'cache_read_input_tokens', 'cached_content_token_count', 'cachedContentTokenCount', 'cached_tokens', 'cached_input_tokens', 'cachedTokens'),
    cacheWriteTokens:
      num(raw, 'cache_creation_input_tokens', 'cache_write_tokens', 'cacheWriteTokens') ??
      detail(raw, ['prompt_tokens_details', 'input_tokens_details'], 'cache_write_tokens', 'cache_creation_tokens'),
    reasoningTokens:
      detail(raw, ['completion_tokens_details', 'output_tokens_details'], 'reasoning_tokens') ??
      num(raw, 'thoughts_token_count', 'thoughtsTokenCount', 'reasoning_tokens', 'reasoningTokens'),
  });
  return Object.keys(usage).length > 0 ? usage : undefined;
}

/**
 * Token usage from any provider's usage object, under the neutral names. One reader for all
 * formats, because Letta's streamed summary can carry any provider's raw usage. Every detail the
 * providers report is read, and where a reported total is not the sum of its parts the difference
 * is kept (`unaccountedTokens`) so the viewer can show it instead of a sum that silently differs.
 */
import type { Usage } from './model';
import { asArray, asNumber, dropUndefined, isRecord, pick, type Json } from './util';

function num(obj: Json, ...keys: string[]): number | undefined {
  return asNumber(pick(obj, ...keys));
}

function detail(obj: Json, detailKeys: string[], ...keys: string[]): number | undefined {
  const details = pick(obj, ...detailKeys);
  return isRecord(details) ? num(details, ...keys) : undefined;
}

/** Gemini's per-modality list (`promptTokensDetails: [{modality: "AUDIO", tokenCount}]`): the count of one modality. */
function modality(obj: Json, listKeys: string[], name: string): number | undefined {
  let total: number | undefined;
  for (const entry of asArray(pick(obj, ...listKeys))) {
    if (isRecord(entry) && String(entry.modality).toUpperCase() === name) {
      total = (total ?? 0) + (num(entry, 'tokenCount', 'token_count') ?? 0);
    }
  }
  return total;
}

const PROMPT_DETAILS = ['prompt_tokens_details', 'input_tokens_details'];
const COMPLETION_DETAILS = ['completion_tokens_details', 'output_tokens_details'];
const GEMINI_KEYS = ['prompt_token_count', 'promptTokenCount', 'candidates_token_count', 'candidatesTokenCount', 'total_token_count', 'totalTokenCount'];

/**
 * What the total should be, by each provider's rule: OpenAI (Chat and Responses) count cached and
 * audio tokens inside the prompt and reasoning inside the completion, so total = prompt +
 * completion; Gemini counts thoughts and the tool-use prompt apart from both, so total = prompt +
 * candidates + thoughts + tool-use prompt. Anthropic reports no total.
 */
function expectedTotal(raw: Json, usage: Usage): number | undefined {
  if (usage.promptTokens === undefined && usage.completionTokens === undefined) {
    return undefined;
  }
  const base = (usage.promptTokens ?? 0) + (usage.completionTokens ?? 0);
  if (GEMINI_KEYS.some((k) => k in raw)) {
    return base + (usage.reasoningTokens ?? 0) + (usage.toolUsePromptTokens ?? 0);
  }
  return base;
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
      detail(raw, PROMPT_DETAILS, 'cached_tokens') ??
      num(raw, 'cache_read_input_tokens', 'cached_content_token_count', 'cachedContentTokenCount', 'cached_tokens', 'cached_input_tokens', 'cachedTokens'),
    cacheWriteTokens:
      num(raw, 'cache_creation_input_tokens', 'cache_write_tokens', 'cacheWriteTokens') ??
      detail(raw, PROMPT_DETAILS, 'cache_write_tokens', 'cache_creation_tokens'),
    // Anthropic reports thinking as `output_tokens_details.thinking_tokens`, OpenAI as `reasoning_tokens`
    reasoningTokens:
      detail(raw, COMPLETION_DETAILS, 'reasoning_tokens', 'thinking_tokens') ??
      num(raw, 'thoughts_token_count', 'thoughtsTokenCount', 'reasoning_tokens', 'reasoningTokens', 'thinking_tokens'),
    toolUsePromptTokens: num(raw, 'tool_use_prompt_token_count', 'toolUsePromptTokenCount'),
    audioPromptTokens: detail(raw, PROMPT_DETAILS, 'audio_tokens') ?? modality(raw, ['prompt_tokens_details', 'promptTokensDetails'], 'AUDIO'),
    audioCompletionTokens: detail(raw, COMPLETION_DETAILS, 'audio_tokens') ?? modality(raw, ['candidates_tokens_details', 'candidatesTokensDetails'], 'AUDIO'),
  });
  if (usage.totalTokens !== undefined) {
    const expected = expectedTotal(raw, usage);
    if (expected !== undefined && expected !== usage.totalTokens) {
      usage.unaccountedTokens = usage.totalTokens - expected;
    }
  }
  return Object.keys(usage).length > 0 ? usage : undefined;
}

/**
 * Which public tokenizer counts a model's tokens. OpenAI publishes its encodings (o200k for the
 * GPT-4o generation on, cl100k for GPT-4 and GPT-3.5); Anthropic, Google and the rest do not, so
 * their counts use o200k and are marked estimated. Pure: no `vscode`.
 */
import type { Encoding } from './tokenCount';

export interface EncodingChoice {
  encoding: Encoding;
  /** False when the model's own tokenizer is not public: the count is an estimate. */
  exact: boolean;
}

/** `openai/gpt-4o-mini` → `gpt-4o-mini`; Letta handles and provider prefixes are dropped. */
function bareModel(model: string): string {
  return model.trim().toLowerCase().split('/').pop() ?? '';
}

const O200K = /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o1|o3|o4|codex-mini|computer-use)/;
const CL100K = /^(gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada-002)/;

export function encodingForModel(model: string | undefined): EncodingChoice {
  const name = model === undefined ? '' : bareModel(model);
  if (O200K.test(name)) {
    return { encoding: 'o200k_base', exact: true };
  }
  if (CL100K.test(name)) {
    return { encoding: 'cl100k_base', exact: true };
  }
  return { encoding: 'o200k_base', exact: false };
}

/**
 * What a step cost, from its usage and model, by `@pydantic/genai-prices` (an offline price table,
 * loaded on first use from its own bundle, see pricesModule.ts): input, cached input, cache
 * writes, output and the reasoning part of the output. A model the table does not know, or usage
 * it cannot price, is "cost unknown" with the reason: never a guess. Pure: no `vscode`; the price
 * function is passed in, so this module costs nothing to import.
 */
import * as l10n from '@vscode/l10n';
import type { calcPrice } from '@pydantic/genai-prices';
import type { TraceFormat, Usage } from '../conversation/model';

export type PriceFunction = typeof calcPrice;

/** The pinned price table (package.json pins this version; a unit test checks they agree). */
export const PRICE_TABLE = { package: '@pydantic/genai-prices', version: '0.1.8', date: '2026-09-23' } as const;

export interface CostBreakdown {
  /** Uncached input. */
  input?: number;
  cachedInput?: number;
  cacheWrite?: number;
  /** Output other than reasoning. */
  output?: number;
  /** Reasoning tokens, billed as output. */
  reasoning?: number;
}

/** The tokens priced, as the table counts them: input includes cache reads and writes, output includes reasoning. */
export interface PricedTokens {
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
}

export type StepCost =
  | {
      known: true;
      currency: 'USD';
      total: number;
      inputTotal: number;
      outputTotal: number;
      /** Per kind of token (absent when the table's prices for the model are not per token). */
      breakdown?: CostBreakdown;
      tokens: PricedTokens;
      provider: string;
      model: string;
      table: typeof PRICE_TABLE;
    }
  | { known: false; reason: string; table: typeof PRICE_TABLE };

/** Letta's endpoint types and provider names → the table's provider ids. */
const PROVIDERS: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google_ai: 'google',
  google_vertex: 'google',
  google: 'google',
  gemini: 'google',
  azure: 'azure',
  groq: 'groq',
  together: 'together',
  deepseek: 'deepseek',
  mistral: 'mistral',
  xai: 'x-ai',
  openrouter: 'openrouter',
  bedrock: 'aws',
};

export interface CostInput {
  usage?: Usage;
  model?: string;
  /** Letta's `model_endpoint_type` or provider name. */
  provider?: string;
  /** The request format: it decides what the provider's counts include. */
  format: TraceFormat;
  /** When the call was made (prices change on dates). */
  at?: string;
}

/** The usage in the table's terms: input includes cache reads and writes; output includes reasoning. */
function tableTokens(usage: Usage, format: TraceFormat): PricedTokens {
  const cacheRead = usage.cachedTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const reasoning = usage.reasoningTokens ?? 0;
  const prompt = usage.promptTokens ?? 0;
  const completion = usage.completionTokens ?? 0;
  switch (format) {
    case 'anthropic':
      // Anthropic's input_tokens excludes cache reads and writes; thinking is inside output_tokens.
      return { input: prompt + cacheRead + cacheWrite, cacheRead, cacheWrite, output: completion, reasoning };
    case 'google':
      // Gemini's candidates count leaves out the thoughts, which are billed as output.
      return { input: prompt, cacheRead, cacheWrite, output: completion + reasoning, reasoning };
    default:
      return { input: prompt, cacheRead, cacheWrite, output: completion, reasoning };
  }
}

/**
 * A price per million tokens: a flat number, or tiered (`{base, tiers: [{start, price}]}`), where
 * the whole call pays the rate of the highest tier its total input passed, as the table does.
 */
function rateOf(price: unknown, totalInput: number): number | undefined {
  if (typeof price === 'number' && Number.isFinite(price)) {
    return price;
  }
  if (typeof price !== 'object' || price === null) {
    return undefined;
  }
  const { base, tiers } = price as { base?: unknown; tiers?: unknown };
  if (typeof base !== 'number' || !Array.isArray(tiers)) {
    return undefined;
  }
  let rate = base;
  for (const tier of [...(tiers as { start?: unknown; price?: unknown }[])].sort((a, b) => Number(a.start) - Number(b.start))) {
    if (typeof tier.start === 'number' && typeof tier.price === 'number' && totalInput > tier.start) {
      rate = tier.price;
    }
  }
  return rate;
}

export function priceStep(input: CostInput, calc: PriceFunction): StepCost {
  const unknown = (reason: string): StepCost => ({ known: false, reason, table: PRICE_TABLE });
  const model = input.model?.trim();
  if (!model) {
    return unknown(l10n.t('The trace names no model.'));
  }
  const usage = input.usage;
  if (!usage || (usage.promptTokens === undefined && usage.completionTokens === undefined)) {
    return unknown(l10n.t('The step reports no token usage.'));
  }
  const tokens = tableTokens(usage, input.format);
  const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
  const providerId = input.provider ? PROVIDERS[input.provider.toLowerCase()] : undefined;
  const timestamp = input.at && !Number.isNaN(new Date(input.at).getTime()) ? new Date(input.at) : undefined;
  const usageForTable = { input_tokens: tokens.input, cache_read_tokens: tokens.cacheRead, cache_write_tokens: tokens.cacheWrite, output_tokens: tokens.output };
  let result: ReturnType<PriceFunction>;
  try {
    result = calc(usageForTable, bare, { ...(providerId ? { providerId } : {}), ...(timestamp ? { timestamp } : {}) });
    if (!result && providerId) {
      // A provider the table files differently (a gateway, say): the model's own provider's prices.
      result = calc(usageForTable, bare, timestamp ? { timestamp } : {});
    }
  } catch (e) {
    return unknown(l10n.t('The usage could not be priced: {0}', e instanceof Error ? e.message : String(e)));
  }
  if (!result) {
    return unknown(l10n.t('The price table ({0} {1}) does not know {2}.', PRICE_TABLE.package, PRICE_TABLE.version, JSON.stringify(model)));
  }
  const prices = result.model_price;
  const rate = (key: string) => rateOf(prices[key], tokens.input);
  const perToken = (n: number, mtok: number | undefined) => (mtok === undefined ? undefined : (n * mtok) / 1e6);
  const inputRate = rate('input_mtok');
  const outputRate = rate('output_mtok');
  let breakdown: CostBreakdown | undefined;
  if (inputRate !== undefined && outputRate !== undefined) {
    breakdown = {
      input: perToken(tokens.input - tokens.cacheRead - tokens.cacheWrite, inputRate),
      cachedInput: tokens.cacheRead > 0 ? perToken(tokens.cacheRead, rate('cache_read_mtok') ?? inputRate) : undefined,
      cacheWrite: tokens.cacheWrite > 0 ? perToken(tokens.cacheWrite, rate('cache_write_mtok') ?? inputRate) : undefined,
      output: perToken(tokens.output - tokens.reasoning, outputRate),
      reasoning: tokens.reasoning > 0 ? perToken(tokens.reasoning, outputRate) : undefined,
    };
    for (const key of Object.keys(breakdown) as (keyof CostBreakdown)[]) {
      if (breakdown[key] === undefined) {
        delete breakdown[key];
      }
    }
  }
  return {
    known: true,
    currency: 'USD',
    total: result.total_price,
    inputTotal: result.input_price,
    outputTotal: result.output_price,
    ...(breakdown ? { breakdown } : {}),
    tokens,
    provider: result.provider.name,
    model: result.model.name ?? result.model.id,
    table: PRICE_TABLE,
  };
}

/** `$0.0329`, `$1.24`, `<$0.0001`: dollars with enough digits to see a small step's cost. */
export function formatUsd(amount: number): string {
  if (!Number.isFinite(amount)) {
    return '–';
  }
  if (amount === 0) {
    return '$0';
  }
  if (amount < 0.0001) {
    return '<$0.0001';
  }
  if (amount < 1) {
    return `$${amount.toPrecision(3).replace(/0+$/, '').replace(/\.$/, '')}`;
  }
  return `$${amount.toFixed(2)}`;
}

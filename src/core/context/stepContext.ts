/**
 * Everything issue 16 adds to a step's view, built from a loaded trace: at once (sync, in the
 * viewer's first payload) the parsed Letta system prompt and the parameters at a glance; then,
 * asynchronously (tokens counted off the host's thread, prices loaded on first use), the context
 * window by section and the cost. Pure: no `vscode`; the counter and the price function are passed in.
 */
import * as l10n from '@vscode/l10n';
import { normalizeTrace } from '../conversation/normalize';
import type { Conversation } from '../conversation/model';
import type { LoadedTrace } from '../lettaTypes';
import { stepUsage, summarizeTrace } from '../stepSummary';
import { computeContextWindow, type ContextWindow } from './contextWindow';
import { PRICE_TABLE, priceStep, type PriceFunction, type StepCost } from './cost';
import { glanceParameters, type GlanceParameter } from './parameters';
import { parseSystemPrompt, type ParsedSystemPrompt } from './systemPrompt';
import type { TokenCounter } from './tokenCount';

/** Where the Letta system prompt is in the conversation, and its sections. */
export interface LocatedSystemPrompt {
  messageIndex: number;
  partIndex: number;
  parsed: ParsedSystemPrompt;
}

/** The part of the step context that is ready with the first payload. */
export interface StepContextNow {
  /** Absent when the first message is not a Letta system prompt (it then renders as text). */
  systemPrompt?: LocatedSystemPrompt;
  parameters: GlanceParameter[];
}

/** What follows once tokens are counted and prices loaded. */
export interface StepContextLater {
  window?: ContextWindow;
  /** Why the window could not be counted (the tokenizer failed to load, say). */
  windowError?: string;
  cost: StepCost;
}

/** The first text part of the first system (or developer) message that reads as Letta's prompt. */
export function locateSystemPrompt(conversation: Conversation): LocatedSystemPrompt | undefined {
  const first = conversation.messages[0];
  if (!first || (first.role !== 'system' && first.role !== 'developer')) {
    return undefined;
  }
  for (const [partIndex, part] of first.parts.entries()) {
    if (part.kind === 'text') {
      const parsed = parseSystemPrompt(part.text);
      if (parsed.isLetta) {
        return { messageIndex: 0, partIndex, parsed };
      }
    }
  }
  return undefined;
}

export function stepContextNow(conversation: Conversation): StepContextNow {
  const now: StepContextNow = { parameters: glanceParameters(conversation.parameters, conversation.requestFormat ?? conversation.format) };
  const located = locateSystemPrompt(conversation);
  if (located) {
    now.systemPrompt = located;
  }
  return now;
}

function positiveNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

export interface StepContextDeps {
  count: TokenCounter;
  /** Loads the price function (the `dist/prices.js` bundle in the host). */
  loadPrices: () => Promise<PriceFunction>;
  /** The conversation already normalised for the payload (normalised again when absent). */
  conversation?: Conversation;
}

/** The context window and cost of a loaded step; never throws (failures become `windowError` / "cost unknown"). */
export async function stepContextLater(loaded: LoadedTrace, deps: StepContextDeps): Promise<StepContextLater> {
  const conversation = deps.conversation ?? normalizeTrace(loaded.trace);
  const summary = summarizeTrace(loaded.trace, loaded.step);
  const format = conversation.requestFormat && conversation.requestFormat !== 'unknown' ? conversation.requestFormat : conversation.format;
  // The response's own usage first: its format says what the counts include. The step record's as a fallback.
  const usage = conversation.usage ?? stepUsage(loaded.step);
  const llm = loaded.trace.llm_config ?? {};

  const costPromise: Promise<StepCost> = deps
    .loadPrices()
    .then((calc) => priceStep({ usage, model: summary.model, provider: summary.provider, format: conversation.usage ? format : 'openai-chat', at: summary.createdAt }, calc))
    .catch((e: unknown) => ({ known: false, reason: l10n.t('The price table could not be loaded: {0}', e instanceof Error ? e.message : String(e)), table: PRICE_TABLE }));

  const later: StepContextLater = { cost: { known: false, reason: l10n.t('Not priced yet.'), table: PRICE_TABLE } };
  try {
    later.window = await computeContextWindow(
      conversation,
      {
        model: summary.model,
        stepLimit: positiveNumber(loaded.step?.context_window_limit),
        configLimit: positiveNumber((llm).context_window),
        usage,
        systemPrompt: locateSystemPrompt(conversation),
      },
      deps.count,
    );
  } catch (e) {
    later.windowError = l10n.t('The tokens could not be counted: {0}', e instanceof Error ? e.message : String(e));
  }
  later.cost = await costPromise;
  return later;
}

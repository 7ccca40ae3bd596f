/**
 * What one step of a run costs, priced as the trace viewer prices it (`priceStep`: the response's
 * own usage first, in its format; the step record's as a fallback). The run's total and its text
 * are in runCostTotal.ts (the run view's page uses them). Pure: no `vscode`; the price function is passed in.
 */
import type { Conversation } from '../conversation/model';
import { priceStep, type CostInput, type PriceFunction, type StepCost } from '../context/cost';
import type { ProviderTrace, Step } from '../lettaTypes';
import { stepUsage, summaryFromStep } from '../stepSummary';

/**
 * What to price one step with: from its trace when loaded (normalised as `conversation`), else from
 * the step record alone; undefined while there is nothing to price yet (no usage, trace still to come).
 */
export function stepCostInput(step: Step, trace: ProviderTrace | undefined, conversation: Conversation | undefined, pending: boolean): CostInput | undefined {
  const usage = conversation?.usage ?? stepUsage(step);
  if (!usage && pending) {
    return undefined;
  }
  // The fields summarizeTrace would pick, read directly: this runs for every row built, and the
  // conversation is already normalised.
  const record = summaryFromStep(step);
  const llm = trace?.llm_config ?? {};
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  const model = text(llm.model) ?? conversation?.model ?? record.model;
  const provider = text(llm.model_endpoint_type) ?? text(llm.provider_name) ?? record.provider;
  const at = text(trace?.created_at) ?? text(step.created_at);
  const own = conversation?.requestFormat && conversation.requestFormat !== 'unknown' ? conversation.requestFormat : conversation?.format;
  // The response's usage is read in its own format; a Step record's counts are OpenAI-style.
  const format = conversation?.usage && own ? own : 'openai-chat';
  return { usage, model, provider, format, at };
}

/** The step's cost, or undefined while there is nothing to price yet. */
export function stepCostOf(input: CostInput | undefined, calc: PriceFunction): StepCost | undefined {
  return input ? priceStep(input, calc) : undefined;
}

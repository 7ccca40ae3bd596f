/**
 * The price table for places that must not wait for it (the hover): the first `price` starts loading
 * it and answers undefined; once it is loaded every `price` answers at once. A table that failed to
 * load is tried again on a later call. Pure: no `vscode`; the loader is passed in.
 */
import * as l10n from '@vscode/l10n';
import type { TraceFormat } from '../conversation/model';
import type { StepSummary } from '../stepSummary';
import { formatUsd, priceStep, type PriceFunction, type StepCost } from './cost';

export class LazyPrices {
  private calc: PriceFunction | undefined;
  private loading: Promise<PriceFunction | undefined> | undefined;

  constructor(
    private readonly load: () => Promise<PriceFunction>,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  /** Starts loading the table (if not loaded or loading); resolves once it is there, or failed. */
  warm(): Promise<PriceFunction | undefined> {
    if (this.calc) {
      return Promise.resolve(this.calc);
    }
    this.loading ??= this.load().then(
      (calc) => {
        this.calc = calc;
        return calc;
      },
      (e: unknown) => {
        this.loading = undefined;
        this.onError(e);
        return undefined;
      },
    );
    return this.loading;
  }

  /**
   * The cost of a step's summary, or undefined while the table loads (loading starts) and when the
   * summary has no model or no usage (nothing to price, and nothing to say). `format` says what the
   * usage counts include: a Step record's counts are OpenAI-style (prompt includes cached).
   */
  price(summary: Pick<StepSummary, 'usage' | 'model' | 'provider' | 'createdAt'>, format: TraceFormat = 'openai-chat'): StepCost | undefined {
    const usage = summary.usage;
    if (!summary.model || !usage || (usage.promptTokens === undefined && usage.completionTokens === undefined)) {
      return undefined;
    }
    if (!this.calc) {
      void this.warm();
      return undefined;
    }
    return priceStep({ usage, model: summary.model, provider: summary.provider, format, at: summary.createdAt }, this.calc);
  }
}

/** `cost $0.0123`, or `cost unknown` for a model the table does not know: one part of the hover's line. */
export function costPart(cost: StepCost | undefined): string | undefined {
  if (!cost) {
    return undefined;
  }
  return cost.known ? l10n.t('cost {0}', formatUsd(cost.total)) : l10n.t('cost unknown');
}

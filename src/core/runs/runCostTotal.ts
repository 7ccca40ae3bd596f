/**
 * A run's cost over its steps, for the run view's header, the run's Markdown and the totals: a sum
 * that never hides a step it could not price ("≥ $0.0123, 2 steps unpriced"). Pure and light (the
 * run view's page bundles it): no `vscode`, no price table.
 */
import * as l10n from '@vscode/l10n';
import { PRICE_TABLE, formatUsd, type StepCost } from '../context/cost';

/** The run's cost over its steps: the sum of those priced, and how many were not. */
export interface RunCost {
  /** USD over the steps priced. */
  total: number;
  priced: number;
  /** Steps the table could not price (unknown model, no usage): the total is a lower bound when > 0. */
  unpriced: number;
  /** Steps with nothing to price yet (no usage on the step record, trace still loading). */
  pending: number;
  table: typeof PRICE_TABLE;
}

/** The total over the steps' costs (undefined entries are steps not priced yet). */
export function runCostOf(costs: readonly (StepCost | undefined)[]): RunCost {
  const cost: RunCost = { total: 0, priced: 0, unpriced: 0, pending: 0, table: PRICE_TABLE };
  for (const c of costs) {
    if (!c) {
      cost.pending++;
    } else if (c.known) {
      cost.total += c.total;
      cost.priced++;
    } else {
      cost.unpriced++;
    }
  }
  return cost;
}

/** `$0.0123`; `≥ $0.0123, 2 steps unpriced`; `cost unknown` when no step could be priced. */
export function describeRunCost(cost: RunCost): string {
  if (cost.priced === 0) {
    return cost.pending > 0 && cost.unpriced === 0 ? l10n.t('cost not known yet') : l10n.t('cost unknown');
  }
  const usd = formatUsd(cost.total);
  const open: string[] = [];
  if (cost.unpriced > 0) {
    open.push(cost.unpriced === 1 ? l10n.t('1 step unpriced') : l10n.t('{0} steps unpriced', cost.unpriced));
  }
  if (cost.pending > 0) {
    open.push(cost.pending === 1 ? l10n.t('1 step not priced yet') : l10n.t('{0} steps not priced yet', cost.pending));
  }
  return open.length === 0 ? usd : `≥ ${usd}, ${open.join(', ')}`;
}

/** One step's cost in a few characters: `$0.0021`, or `cost unknown`. */
export function describeStepCost(cost: StepCost): string {
  return cost.known ? formatUsd(cost.total) : l10n.t('cost unknown');
}

/** Where the prices come from: `@pydantic/genai-prices 0.1.8, prices of 2026-09-23`. */
export function priceTableNote(table: typeof PRICE_TABLE = PRICE_TABLE): string {
  return l10n.t('{0} {1}, prices of {2}', table.package, table.version, table.date);
}

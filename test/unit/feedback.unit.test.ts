import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calcPrice } from '@pydantic/genai-prices';
import { costPart, LazyPrices } from '../../src/core/context/lazyPrices';
import { formatUsd, priceStep, type PriceFunction } from '../../src/core/context/cost';
import type { Step } from '../../src/core/lettaTypes';
import { isStepFilter, PagedList, replaceItem, emptyPage, appendPage } from '../../src/core/sidebar/treeModel';
import { feedbackState, MAX_TAG_CHARS, MAX_TAGS, parseFeedbackTags } from '../../src/core/stepFeedback';

describe('feedback tags and state', () => {
  it('reads comma-separated tags: trimmed, no empties, no repeats, in order', () => {
    assert.deepEqual(parseFeedbackTags(' hallucination, wrong-tool ,, hallucination,'), { tags: ['hallucination', 'wrong-tool'] });
    assert.deepEqual(parseFeedbackTags(''), { tags: [] }, 'empty removes the tags');
    assert.deepEqual(parseFeedbackTags('a tag with spaces'), { tags: ['a tag with spaces'] });
  });

  it('says what is wrong with too long a tag or too many', () => {
    assert.match(parseFeedbackTags('x'.repeat(MAX_TAG_CHARS + 1)).problem ?? '', /at most 100 characters/);
    assert.equal(parseFeedbackTags('x'.repeat(MAX_TAG_CHARS)).problem, undefined);
    const many = Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`).join(',');
    assert.match(parseFeedbackTags(many).problem ?? '', /At most 20 tags/);
  });

  it('the viewer state of a step: a known thumb, string tags; odd values show as none', () => {
    assert.deepEqual(feedbackState({ feedback: 'positive', tags: ['good'] }), { feedback: 'positive', tags: ['good'] });
    assert.deepEqual(feedbackState({ feedback: null, tags: null }), {});
    assert.deepEqual(feedbackState({ feedback: 'meh' as Step['feedback'], tags: ['a', 3 as unknown as string] }), { tags: ['a'] });
    assert.deepEqual(feedbackState(undefined), {});
  });
});

describe('sidebar: a step updated in place, a filter given as an argument', () => {
  it('replaceItem puts the updated step in place of the loaded one, and leaves a list without it as it is', () => {
    const page = appendPage(emptyPage<Step>(), [{ id: 'a' }, { id: 'b', feedback: null }, { id: 'c' }], 3);
    const next = replaceItem(page, { id: 'b', feedback: 'positive' });
    assert.deepEqual(next.items.map((s) => [s.id, s.feedback]), [['a', undefined], ['b', 'positive'], ['c', undefined]]);
    assert.equal(next.cursor, page.cursor);
    assert.equal(next.hasMore, page.hasMore);
    assert.equal(replaceItem(page, { id: 'zz' }), page);
  });

  it('PagedList.replace says whether the step was loaded', async () => {
    const list = new PagedList<Step>();
    await list.loadNext(() => Promise.resolve([{ id: 'a' }, { id: 'b' }]), 10);
    assert.equal(list.replace({ id: 'b', feedback: 'negative' }), true);
    assert.equal(list.state.items[1].feedback, 'negative');
    assert.equal(list.replace({ id: 'nope' }), false);
  });

  it('isStepFilter takes only known fields of the right kind', () => {
    assert.equal(isStepFilter({ feedback: 'positive' }), true);
    assert.equal(isStepFilter({ feedback: 'any', model: 'gpt-4o', status: 'failed', text: 'x' }), true);
    assert.equal(isStepFilter({}), true);
    assert.equal(isStepFilter({ feedback: 'great' }), false);
    assert.equal(isStepFilter({ status: 'exploded' }), false);
    assert.equal(isStepFilter({ model: 3 }), false);
    assert.equal(isStepFilter({ feedback: 'positive', extra: 1 }), false);
    assert.equal(isStepFilter('positive'), false);
    assert.equal(isStepFilter(null), false);
    assert.equal(isStepFilter([]), false);
  });
});

describe('LazyPrices: the hover never waits for the price table', () => {
  const summary = { model: 'gpt-4o-mini', provider: 'openai', usage: { promptTokens: 10_000, completionTokens: 1_000 } };

  it('answers nothing until the table is loaded, starting the load once; then the same cost as priceStep', async () => {
    let loads = 0;
    let release: (calc: PriceFunction) => void = () => undefined;
    const prices = new LazyPrices(() => {
      loads++;
      return new Promise<PriceFunction>((resolve) => (release = resolve));
    });
    assert.equal(prices.price(summary), undefined, 'not loaded: no cost, and no wait');
    assert.equal(prices.price(summary), undefined);
    assert.equal(loads, 1, 'one load for many hovers');
    const ready = prices.warm();
    release(calcPrice);
    await ready;
    const cost = prices.price(summary);
    assert.deepEqual(cost, priceStep({ ...summary, format: 'openai-chat' }, calcPrice));
    assert.ok(cost?.known && cost.total > 0);
    assert.equal(costPart(cost), `cost ${formatUsd(cost.known ? cost.total : 0)}`);
    assert.equal(loads, 1);
  });

  it('prices nothing without a model or usage, and says "cost unknown" for a model the table does not know', async () => {
    const prices = new LazyPrices(() => Promise.resolve(calcPrice));
    await prices.warm();
    assert.equal(prices.price({ usage: summary.usage }), undefined);
    assert.equal(prices.price({ model: 'gpt-4o-mini' }), undefined);
    assert.equal(prices.price({ model: 'gpt-4o-mini', usage: { totalTokens: 5 } }), undefined, 'a total alone cannot be priced');
    const unknown = prices.price({ model: 'my-own-finetune-9000', usage: summary.usage });
    assert.equal(unknown?.known, false);
    assert.equal(costPart(unknown), 'cost unknown');
    assert.equal(costPart(undefined), undefined);
  });

  it('a table that failed to load is reported and tried again on a later hover', async () => {
    const errors: unknown[] = [];
    let tries = 0;
    const prices = new LazyPrices(
      () => (++tries === 1 ? Promise.reject(new Error('no prices.js')) : Promise.resolve(calcPrice)),
      (e) => errors.push(e),
    );
    assert.equal(await prices.warm(), undefined);
    assert.equal(errors.length, 1);
    assert.equal(prices.price(summary), undefined, 'this hover starts the second try');
    await prices.warm();
    assert.equal(tries, 2);
    assert.equal(prices.price(summary)?.known, true);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LettaApiError, type CallOptions, type LettaApi } from '../../src/core/lettaApi';
import type { Step } from '../../src/core/lettaTypes';
import { StepSummaryCache } from '../../src/core/stepSummaryCache';
import { formatStepSummary, formatTime, summaryFromLoaded, summaryFromStep } from '../../src/core/stepSummary';

const ID = 'step-3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b';

/** A LettaApi whose getStep answers from `respond`, recording each call's options. */
class RecordingApi implements LettaApi {
  readonly origin = 'http://localhost:8283';
  readonly calls: { stepId: string; options?: CallOptions }[] = [];
  constructor(private readonly respond: (stepId: string, options?: CallOptions) => Promise<Step>) {}
  getStep(stepId: string, options?: CallOptions): Promise<Step> {
    this.calls.push({ stepId, options });
    return this.respond(stepId, options);
  }
  getTrace(): Promise<never> {
    return Promise.reject(new Error('a hover never loads a whole trace'));
  }
  listSteps(): Promise<Step[]> {
    return Promise.reject(new Error('unused'));
  }
  listAgents(): Promise<never[]> {
    return Promise.reject(new Error('unused'));
  }
  setFeedback(): Promise<Step> {
    return Promise.reject(new Error('unused'));
  }
  // A hover on a step ID reads no runs.
  readonly getRun = unused;
  readonly getAgent = unused;
  readonly listRunSteps = unused;
  readonly getRunUsage = unused;
  readonly getRunMetrics = unused;
  readonly listRuns = unused;
  readonly getRunTrace = unused;
}

function unused(): Promise<never> {
  return Promise.reject(new Error('unused'));
}

const step: Step = {
  id: ID,
  model: 'gpt-4o-mini',
  status: 'success',
  stop_reason: 'end_turn',
  prompt_tokens: 1200,
  completion_tokens: 34,
  total_tokens: 1234,
};

/** Resolves when `signal` aborts, rejecting like a client would. */
function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    signal?.addEventListener('abort', () => reject(new LettaApiError('cancelled', 'Cancelled.')), { once: true });
  });
}

describe('step summaries', () => {
  it('takes model, status and tokens from a Step', () => {
    assert.deepEqual(summaryFromStep(step), {
      stepId: ID,
      model: 'gpt-4o-mini',
      status: 'success',
      stopReason: 'end_turn',
      usage: { promptTokens: 1200, completionTokens: 34, totalTokens: 1234 },
    });
    assert.deepEqual(formatStepSummary(summaryFromStep(step)), ['success (end_turn)', 'gpt-4o-mini', '1,234 tokens (1,200 in · 34 out)']);
    const bare = summaryFromStep({ id: ID, model: null, model_handle: 'openai/gpt-4o', prompt_tokens: null });
    assert.equal(bare.model, 'openai/gpt-4o');
    assert.equal(bare.usage, undefined);
  });

  it('takes what a loaded trace has: model, usage of each provider, time and latency', () => {
    const anthropic = summaryFromLoaded({
      stepId: ID,
      source: { kind: 'server', origin: 'http://x' },
      loadedAt: 0,
      trace: {
        request_json: { model: 'claude-sonnet-4', max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }] },
        response_json: { type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hello' }], usage: { input_tokens: 10, output_tokens: 5 } },
        created_at: '2026-11-28T10:00:05.123Z',
        latency_ms: 812.4,
      },
    });
    assert.equal(anthropic.model, 'claude-sonnet-4');
    assert.deepEqual(formatStepSummary(anthropic).slice(1), ['15 tokens (10 in · 5 out)', '812 ms', '2026-11-28 10:00:05 UTC']);

    const google = summaryFromLoaded({
      stepId: ID,
      source: { kind: 'file', path: '/t.json' },
      loadedAt: 0,
      trace: {
        request_json: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], config: {} },
        response_json: {
          candidates: [{ content: { role: 'model', parts: [{ text: 'yo' }] } }],
          usage_metadata: { prompt_token_count: 7, candidates_token_count: 3, total_token_count: 11 },
        },
        llm_config: { model: 'gemini-2.5-pro' },
      },
      step: { id: ID, status: 'success' },
    });
    assert.equal(google.model, 'gemini-2.5-pro');
    assert.equal(google.status, 'success');
    assert.equal(google.usage?.totalTokens, 11);

    const failed = summaryFromLoaded({
      stepId: ID,
      source: { kind: 'file', path: '/t.json' },
      loadedAt: 0,
      trace: { request_json: {}, response_json: { error: 'boom', error_type: 'RateLimit' } },
    });
    assert.equal(failed.status, 'failed');
  });

  it('formats only what is known', () => {
    assert.deepEqual(formatStepSummary({}), []);
    assert.deepEqual(formatStepSummary({ usage: { totalTokens: 1234 } }), ['1,234 tokens']);
    assert.deepEqual(formatStepSummary({ usage: { promptTokens: 3 } }), ['tokens: 3 in']);
    assert.deepEqual(formatStepSummary({ status: 'failed', stopReason: 'error' }), ['failed (error)']);
    assert.equal(formatTime('not a date'), undefined);
    assert.deepEqual(formatStepSummary({ createdAt: 'yesterday' }), []);
    assert.deepEqual(formatStepSummary({ feedback: 'negative' }), ['feedback: 👎']);
  });
});

describe('StepSummaryCache', () => {
  it('fetches once with a short timeout and no retries, then answers from the cache', async () => {
    const api = new RecordingApi(() => Promise.resolve(step));
    const cache = new StepSummaryCache({ getApi: () => Promise.resolve(api), timeoutMs: 1500 });
    const first = await cache.get(ID);
    assert.deepEqual(first, { kind: 'ok', summary: summaryFromStep(step) });
    assert.equal(api.calls.length, 1);
    assert.equal(api.calls[0].options?.timeoutMs, 1500);
    assert.equal(api.calls[0].options?.maxRetries, 0);
    assert.ok(api.calls[0].options?.signal instanceof AbortSignal);
    assert.deepEqual(cache.peek(ID), first);
    assert.deepEqual(await cache.get(ID), first);
    assert.equal(api.calls.length, 1, 'the second hover is served from the cache');
  });

  it('forgets one step (its feedback changed): the next hover asks again and sees the new feedback', async () => {
    let current: Step = step;
    const api = new RecordingApi(() => Promise.resolve(current));
    const cache = new StepSummaryCache({ getApi: () => Promise.resolve(api) });
    await cache.get(ID);
    current = { ...step, feedback: 'negative' };
    const stale = await cache.get(ID);
    assert.equal(stale?.kind, 'ok');
    assert.equal(stale?.kind === 'ok' ? stale.summary.feedback : 'none', undefined, 'cached: still the old step');
    cache.forget(ID);
    assert.equal(cache.peek(ID), undefined);
    const fresh = await cache.get(ID);
    assert.equal(fresh?.kind === 'ok' ? fresh.summary.feedback : undefined, 'negative');
    assert.equal(api.calls.length, 2);
  });

  it('forgetting a step abandons its request in flight, so an answer from before the change is not kept', async () => {
    const api = new RecordingApi((_, options) => untilAborted(options?.signal));
    const cache = new StepSummaryCache({ getApi: () => Promise.resolve(api) });
    const waiting = cache.get(ID);
    await new Promise((r) => setTimeout(r, 10));
    cache.forget(ID);
    assert.ok(api.calls[0].options?.signal?.aborted);
    assert.equal(await waiting, undefined);
    assert.equal(cache.peek(ID), undefined);
  });

  it('shares one request between concurrent hovers', async () => {
    let release: (s: Step) => void = () => undefined;
    const api = new RecordingApi(() => new Promise<Step>((resolve) => (release = resolve)));
    const cache = new StepSummaryCache({ getApi: () => Promise.resolve(api) });
    const a = cache.get(ID);
    const b = cache.get(ID);
    await new Promise((r) => setImmediate(r));
    assert.equal(api.calls.length, 1);
    release(step);
    assert.deepEqual(await a, await b);
    assert.equal((await a)?.kind, 'ok');
  });

  it('caches failures briefly and then asks again', async () => {
    let now = 1_000;
    let fail = true;
    const api = new RecordingApi(() =>
      fail ? Promise.reject(new LettaApiError('network', 'connect ECONNREFUSED 127.0.0.1:9')) : Promise.resolve(step),
    );
    const errors: unknown[] = [];
    const cache = new StepSummaryCache({
      getApi: () => Promise.resolve(api),
      failureTtlMs: 15_000,
      now: () => now,
      onError: (_id, e) => errors.push(e),
    });
    assert.deepEqual(await cache.get(ID), { kind: 'error', message: 'The Letta server did not answer.' });
    assert.equal(errors.length, 1);
    now += 10_000;
    assert.equal((await cache.get(ID))?.kind, 'error');
    assert.equal(api.calls.length, 1, 'a failure is reused for a while');
    now += 6_000;
    fail = false;
    assert.equal((await cache.get(ID))?.kind, 'ok');
    assert.equal(api.calls.length, 2);
  });

  it('keeps a pending step only briefly, a finished one for long', async () => {
    let now = 0;
    let status: Step['status'] = 'pending';
    const api = new RecordingApi(() => Promise.resolve({ ...step, status }));
    const cache = new StepSummaryCache({ getApi: () => Promise.resolve(api), failureTtlMs: 1000, okTtlMs: 60_000, now: () => now });
    await cache.get(ID);
    now += 1500;
    status = 'success';
    const second = await cache.get(ID);
    assert.equal(second?.kind === 'ok' ? second.summary.status : undefined, 'success');
    assert.equal(second?.kind === 'ok' ? second.summary.usage?.totalTokens : undefined, 1234);
    now += 30_000;
    await cache.get(ID);
    assert.equal(api.calls.length, 2);
  });

  it('says there is no key without asking for one', async () => {
    let asked = 0;
    const cache = new StepSummaryCache({
      getApi: () => {
        asked++;
        return Promise.resolve(undefined);
      },
    });
    const blocked = await cache.get(ID);
    assert.equal(blocked?.kind, 'blocked');
    assert.equal(blocked?.kind === 'blocked' && blocked.fix.command, 'letta.setApiKey');
    assert.deepEqual(await cache.get(ID), blocked);
    assert.equal(asked, 1);
    cache.clear();
    assert.equal(cache.peek(ID), undefined, 'a new key clears the cache');
  });

  it('aborts the request when the only waiting hover is cancelled, and caches nothing', async () => {
    const api = new RecordingApi((_id, options) => untilAborted(options?.signal));
    const cache = new StepSummaryCache({ getApi: () => Promise.resolve(api) });
    const hover = new AbortController();
    const pending = cache.get(ID, hover.signal);
    await new Promise((r) => setImmediate(r));
    hover.abort();
    assert.equal(await pending, undefined);
    assert.equal(api.calls[0].options?.signal?.aborted, true);
    assert.equal(cache.peek(ID), undefined);
  });

  it('keeps the request going while another hover still waits for it', async () => {
    let release: (s: Step) => void = () => undefined;
    const api = new RecordingApi(() => new Promise<Step>((resolve) => (release = resolve)));
    const cache = new StepSummaryCache({ getApi: () => Promise.resolve(api) });
    const first = new AbortController();
    const a = cache.get(ID, first.signal);
    const b = cache.get(ID);
    await new Promise((r) => setImmediate(r));
    first.abort();
    assert.equal(await a, undefined);
    assert.equal(api.calls[0].options?.signal?.aborted, false);
    release(step);
    assert.equal((await b)?.kind, 'ok');
  });

  it('gives up on a client that ignores its timeout', async () => {
    const api = new RecordingApi((_id, options) => untilAborted(options?.signal));
    const cache = new StepSummaryCache({ getApi: () => Promise.resolve(api), timeoutMs: 20 });
    const t0 = Date.now();
    assert.equal(await cache.get(ID), undefined);
    assert.ok(Date.now() - t0 < 2000);
    assert.equal(api.calls[0].options?.signal?.aborted, true);
  });

  it('keeps at most maxEntries', async () => {
    const api = new RecordingApi((id) => Promise.resolve({ ...step, id }));
    const cache = new StepSummaryCache({ getApi: () => Promise.resolve(api), maxEntries: 2 });
    const ids = ['0', '1', '2'].map((d) => ID.slice(0, -1) + d);
    for (const id of ids) {
      await cache.get(id);
    }
    assert.equal(cache.peek(ids[0]), undefined);
    assert.equal(cache.peek(ids[2])?.kind, 'ok');
  });
});

describe('StepSummaryCache.within: what a hover shows at once', () => {
  it('a slow answer: pending within the wait, then cached for the next hover with no new request', async () => {
    let release: (s: Step) => void = () => undefined;
    const api = new RecordingApi(() => new Promise<Step>((resolve) => (release = resolve)));
    const cache = new StepSummaryCache({ getApi: () => Promise.resolve(api) });
    assert.equal(await cache.within(ID, 20), 'pending');
    assert.equal(api.calls[0].options?.signal?.aborted, false, 'the request goes on after the hover stopped waiting');
    release(step);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(await cache.within(ID, 20), { kind: 'ok', summary: summaryFromStep(step) });
    assert.equal(api.calls.length, 1);
  });

  it('an answer within the wait is shown at once', async () => {
    const cache = new StepSummaryCache({ getApi: () => Promise.resolve(new RecordingApi(() => Promise.resolve(step))) });
    assert.equal(((await cache.within(ID, 5_000)) as { kind?: string } | undefined)?.kind, 'ok');
  });

  it('a cancelled hover stops waiting, but its request still lands in the cache', async () => {
    let release: (s: Step) => void = () => undefined;
    const api = new RecordingApi(() => new Promise<Step>((resolve) => (release = resolve)));
    const cache = new StepSummaryCache({ getApi: () => Promise.resolve(api) });
    const hover = new AbortController();
    const waiting = cache.within(ID, 60_000, hover.signal);
    await new Promise((r) => setImmediate(r));
    hover.abort();
    assert.equal(await waiting, 'pending');
    release(step);
    await new Promise((r) => setImmediate(r));
    assert.equal(cache.peek(ID)?.kind, 'ok');
  });
});

// The fake Letta server's runs and its simulated agents: the routes under /v1/runs/ with paging and
// order, the named runs (memory edit, 200 steps, failure, null trace), and demo data that looks like
// real agents (one model each, requests growing step by step, token counts that vary).
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { normalizeTrace } from '../../src/core/conversation/normalize';
import { RUN_IDS } from '../../src/core/lettaIds';
import type { Run, Step } from '../../src/core/lettaTypes';
import { loadFixtureTraces } from '../fixtures/fixtures';
import { startFakeLetta, type FakeLetta } from '../fakeLetta/server';

const KEY = 'fake-key';

describe('fake Letta server: runs', () => {
  let fake: FakeLetta;
  before(async () => {
    fake = await startFakeLetta();
  });
  after(() => fake.close());

  const get = async (p: string) => {
    const res = await fetch(fake.url + p, { headers: { authorization: `Bearer ${KEY}` } });
    return { status: res.status, body: (await res.json()) };
  };
  const json = async <T>(p: string): Promise<T> => {
    const { status, body } = await get(p);
    assert.equal(status, 200, p);
    return body as T;
  };
  const named = () => {
    assert.ok(fake.named, 'the Memory Tester agent holds the named runs');
    return fake.named;
  };
  const conversationOf = (stepId: string) => {
    const trace = fake.traces.get(stepId);
    assert.ok(trace, stepId);
    return normalizeTrace(trace);
  };
  /** A run's steps in the order they happened. */
  const stepsOf = (runId: string) => fake.steps.filter((s) => s.run_id === runId).reverse();

  it('lists an agent’s runs newest first, paged by run ID, ascending on request', async () => {
    const agentId = fake.agents[0].id;
    const mine = fake.runs.filter((r) => r.run.agent_id === agentId).map((r) => r.run.id);
    assert.ok(mine.length > 30, 'Support Bot has its fixtures’ runs and dozens of simulated ones');
    assert.ok(mine.every((id) => RUN_IDS.is(id)));
    const ids = async (q: string) => (await json<Run[]>(`/v1/runs/?agent_id=${agentId}&${q}`)).map((r) => r.id);
    assert.deepEqual(await ids(''), mine, 'default limit 100 covers them');
    assert.deepEqual(await ids('limit=5'), mine.slice(0, 5));
    assert.deepEqual(await ids(`limit=5&after=${mine[4]}`), mine.slice(5, 10));
    assert.deepEqual(await ids(`limit=2&before=${mine[4]}`), mine.slice(2, 4));
    assert.deepEqual(await ids('limit=3&order=asc'), mine.slice(-3).reverse());
    const created = (await json<Run[]>(`/v1/runs/?agent_id=${agentId}`)).map((r) => Date.parse(r.created_at ?? ''));
    assert.deepEqual(created, [...created].sort((a, b) => b - a), 'newest first by created_at');
    const all = await json<Run[]>('/v1/runs/?limit=1000');
    assert.equal(all.length, fake.runs.length);
  });

  it('serves a run, its steps (desc by default, asc on request, cursors, limit), usage and metrics', async () => {
    const { long } = named();
    const run = await json<Run>(`/v1/runs/${long}`);
    assert.equal(run.id, long);
    assert.equal(run.status, 'completed');
    const inOrder = stepsOf(long).map((s) => s.id);
    assert.equal(inOrder.length, 200);
    const ids = async (q: string) => (await json<Step[]>(`/v1/runs/${long}/steps?${q}`)).map((s) => s.id);
    assert.deepEqual(await ids(''), [...inOrder].reverse().slice(0, 100), 'newest first, 100 by default');
    assert.deepEqual(await ids('order=asc&limit=50'), inOrder.slice(0, 50));
    assert.deepEqual(await ids(`order=asc&limit=50&after=${inOrder[49]}`), inOrder.slice(50, 100));
    assert.deepEqual(await ids(`order=asc&limit=3&before=${inOrder[10]}`), inOrder.slice(7, 10));
    assert.deepEqual(await ids(`order=asc&after=${inOrder[199]}`), []);

    const steps = stepsOf(long);
    const usage = await json<{ prompt_tokens: number; completion_tokens: number; total_tokens: number; prompt_tokens_details: { cached_tokens: number } }>(`/v1/runs/${long}/usage`);
    assert.equal(usage.prompt_tokens, steps.reduce((n, s) => n + (s.prompt_tokens ?? 0), 0));
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    assert.ok(usage.prompt_tokens_details.cached_tokens > 0);
    const metrics = await json<{ id: string; num_steps: number; run_ns: number; run_start_ns: number; tools_used: string[] }>(`/v1/runs/${long}/metrics`);
    assert.equal(metrics.id, long);
    assert.equal(metrics.num_steps, 200);
    assert.equal(metrics.run_ns, run.total_duration_ns);
    assert.equal(metrics.run_start_ns, Date.parse(run.created_at ?? '') * 1_000_000);
    assert.ok(metrics.tools_used.length >= 2 && metrics.tools_used.every((t) => t.startsWith('tool-')));
  });

  it('answers 501 for a run trace (no ClickHouse) and 404 for an unknown run', async () => {
    const trace = await get(`/v1/runs/${named().memoryEdit}/trace`);
    assert.equal(trace.status, 501);
    assert.match((trace.body as { detail: string }).detail, /ClickHouse/);
    const unknown = 'run-0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a';
    for (const p of ['', '/steps', '/usage', '/metrics', '/trace']) {
      assert.equal((await get(`/v1/runs/${unknown}${p}`)).status, 404, p);
    }
  });

  it('the 4-step run edits the human block with step 2, and steps 3 and 4 see the new value', () => {
    const steps = stepsOf(named().memoryEdit);
    assert.equal(steps.length, 4);
    const systems = steps.map((s) => {
      const first = conversationOf(s.id).messages[0];
      assert.equal(first.role, 'system');
      return first.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
    });
    assert.ok(systems.slice(0, 2).every((s) => s.includes('Location: Amsterdam office') && !s.includes('Berlin')));
    assert.ok(systems.slice(2).every((s) => s.includes('Location: Berlin office (since February)\nGoes by: Pri') && !s.includes('Amsterdam')));
    const second = conversationOf(steps[1].id).output[0].parts.find((p) => p.kind === 'tool-call');
    assert.equal(second?.kind === 'tool-call' ? second.name : '', 'core_memory_replace');
  });

  it('the failed run fails on its second step; the null-trace run lacks only its middle trace', async () => {
    const { failed, nullTrace, nullTraceStepId } = named();
    const run = await json<Run>(`/v1/runs/${failed}`);
    assert.deepEqual([run.status, run.stop_reason], ['failed', 'llm_api_error']);
    const steps = stepsOf(failed);
    assert.deepEqual(steps.map((s) => s.status), ['success', 'failed']);
    assert.ok(typeof fake.traces.get(steps[1].id)?.response_json.error === 'string');
    const nulls = stepsOf(nullTrace);
    assert.equal(nulls.length, 3);
    assert.equal(nulls[1].id, nullTraceStepId);
    assert.deepEqual(nulls.map((s) => fake.traces.has(s.id)), [true, false, true]);
    const { status, body } = await get(`/v1/steps/${nullTraceStepId}/trace`);
    assert.deepEqual([status, body], [200, null]);
  });

  it('looks like real agents: one model per agent, requests that grow step by step, varying tokens', () => {
    const fixtureSteps = new Set(loadFixtureTraces().map((f) => f.trace.step_id));
    for (const agent of fake.agents) {
      const simulated = fake.steps.filter((s) => s.agent_id === agent.id && !fixtureSteps.has(s.id));
      assert.deepEqual([...new Set(simulated.map((s) => s.model))], [agent.llm_config?.model], agent.name ?? '');
      const totals = new Set(simulated.map((s) => s.total_tokens));
      assert.ok(totals.size > simulated.length / 2, `${agent.name}: token counts vary`);
    }
    for (const { run } of fake.runs.filter((r) => r.run.agent_id !== fake.agents[0].id || !fake.steps.some((s) => s.run_id === r.run.id && fixtureSteps.has(s.id)))) {
      const steps = stepsOf(run.id).filter((s) => fake.traces.has(s.id));
      for (let i = 1; i < steps.length; i++) {
        const before = conversationOf(steps[i - 1].id).messages;
        const now = conversationOf(steps[i].id).messages;
        const gap = stepsOf(run.id).indexOf(steps[i]) - stepsOf(run.id).indexOf(steps[i - 1]);
        assert.equal(now.length, before.length + 2 * gap, `${run.id} step ${i}: each step adds a tool call and its result`);
        // After the system prompt, the earlier request is a prefix of the later one.
        assert.deepEqual(now.slice(1, before.length), before.slice(1), `${run.id} step ${i}`);
      }
    }
  });
});

/**
 * The fake server's data: the recorded fixture traces plus generated agents and steps, all with
 * deterministic IDs so tests and the demo can name them.
 */
import { createHash } from 'node:crypto';
import { loadFixtureTraces } from '../fixtures/fixtures';
import type { Agent, ProviderTrace, Step } from '../../src/core/lettaTypes';

/** A stable `<prefix>-<uuid4>` from a seed. */
export function fakeId(prefix: string, seed: string): string {
  const h = createHash('sha256').update(`${prefix}:${seed}`).digest('hex');
  const variant = '89ab'[parseInt(h[16], 16) % 4];
  return `${prefix}-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface FakeData {
  agents: Agent[];
  /** Every agent's steps, newest first. */
  steps: Step[];
  traces: Map<string, ProviderTrace>;
}

const MODELS = [
  { model: 'gpt-4.1-mini', endpoint: 'openai', provider: 'openai' },
  { model: 'claude-sonnet-4-5-20250929', endpoint: 'anthropic', provider: 'anthropic' },
  { model: 'gemini-2.5-flash', endpoint: 'google_ai', provider: 'google_ai' },
];

function agentState(id: string, name: string, model: (typeof MODELS)[number]): Agent {
  return {
    id,
    name,
    system: `You are ${name}, a Letta agent.`,
    agent_type: 'letta_v1_agent',
    llm_config: { model: model.model, model_endpoint_type: model.endpoint, context_window: 128000, handle: `${model.provider}/${model.model}` },
    memory: { blocks: [] },
    blocks: [],
    tools: [],
    sources: [],
    tags: [],
    created_at: '2026-03-14T09:00:00Z',
  };
}

function textOf(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function stepFromTrace(trace: ProviderTrace): Step {
  // A failed call is stored as `{error, error_type}`; OpenAI Responses bodies carry `"error": null` when all went well.
  const failed = (trace.response_json.error ?? null) !== null;
  const model = typeof trace.llm_config?.model === 'string' ? trace.llm_config.model : 'gpt-4.1-mini';
  return {
    id: trace.step_id as string,
    agent_id: trace.agent_id ?? null,
    run_id: trace.run_id ?? null,
    model,
    model_handle: null,
    provider_name: typeof trace.llm_config?.model_endpoint_type === 'string' ? trace.llm_config.model_endpoint_type : null,
    prompt_tokens: failed ? 0 : 3187,
    completion_tokens: failed ? 0 : 74,
    total_tokens: failed ? 0 : 3261,
    stop_reason: failed ? 'llm_api_error' : 'end_turn',
    status: failed ? 'failed' : 'success',
    error_type: failed ? textOf(trace.response_json.error_type, 'llm_error') : null,
    error_data: failed ? { message: textOf(trace.response_json.error, '') } : null,
    tags: [],
  };
}

/**
 * Three agents: "Support Bot" owns the fixture traces and `stepsPerAgent` generated steps (to test
 * paging), the others a few steps each. Generated steps share the fixtures' traces in turn.
 */
export function buildFakeData(options: { agents?: number; stepsPerAgent?: number } = {}): FakeData {
  const fixtures = loadFixtureTraces();
  const traces = new Map<string, ProviderTrace>();
  const agentCount = Math.max(1, options.agents ?? 3);
  const perAgent = options.stepsPerAgent ?? 120;
  const names = ['Support Bot', 'Research Assistant', 'Memory Tester', 'Scheduler', 'Planner'];
  const agents: Agent[] = [];
  const steps: Step[] = [];
  for (let a = 0; a < agentCount; a++) {
    const name = names[a % names.length] + (a >= names.length ? ` ${a}` : '');
    const id = a === 0 && fixtures[0]?.trace.agent_id ? fixtures[0].trace.agent_id : fakeId('agent', String(a));
    agents.push(agentState(id, name, MODELS[a % MODELS.length]));
    const count = a === 0 ? perAgent : Math.min(perAgent, 7);
    // Newest first: the fixtures, then generated steps going back in time.
    if (a === 0) {
      for (const { trace } of fixtures) {
        traces.set(trace.step_id as string, trace);
        steps.push(stepFromTrace(trace));
      }
    }
    for (let i = 0; i < count; i++) {
      const base = fixtures[i % Math.max(1, fixtures.length)]?.trace;
      const stepId = fakeId('step', `${a}:${i}`);
      if (base) {
        const trace: ProviderTrace = { ...base, id: fakeId('provider_trace', `${a}:${i}`), step_id: stepId, agent_id: id, created_at: new Date(Date.UTC(2026, 2, 14, 9) - i * 60_000).toISOString() };
        traces.set(stepId, trace);
        steps.push({ ...stepFromTrace(trace), id: stepId });
      } else {
        steps.push({ id: stepId, agent_id: id, model: MODELS[a % MODELS.length].model, status: 'success' });
      }
    }
  }
  return { agents, steps, traces };
}

/** `GET /v1/steps/{id}/metrics`: durations in nanoseconds, from the trace's time and latency when it has them. */
export function stepMetrics(step: Step, trace: ProviderTrace | undefined): Record<string, unknown> {
  const startMs = Date.parse(trace?.created_at ?? '2026-03-14T09:00:00Z');
  const llmMs = typeof trace?.latency_ms === 'number' ? trace.latency_ms : 1200;
  const ms = 1_000_000;
  return {
    id: step.id,
    provider_id: null,
    run_id: step.run_id ?? null,
    agent_id: step.agent_id ?? null,
    step_start_ns: startMs * ms,
    llm_request_start_ns: (startMs + 15) * ms,
    llm_request_ns: llmMs * ms,
    tool_execution_ns: 40 * ms,
    step_ns: (llmMs + 80) * ms,
    project_id: null,
  };
}

/**
 * The fake server's data: the recorded fixture traces plus simulated agents (agentSim.ts), all with
 * deterministic IDs so tests and the demo can name them. Each simulated agent keeps one model; its
 * steps group into runs whose requests grow step by step.
 */
import { createHash } from 'node:crypto';
import { loadFixtureTraces } from '../fixtures/fixtures';
import type { Agent, ProviderTrace, Run, RunMetrics, Step, UsageStatistics } from '../../src/core/lettaTypes';
import { SIM_MODELS, defaultBlocks, failedScript, memoryEditScript, nullTraceScript, ordinaryScript, simulateRun, type RunScript, type SimAgent, type SimModel, type SimRun } from './agentSim';

/** A stable `<prefix>-<uuid4>` from a seed. */
export function fakeId(prefix: string, seed: string): string {
  const h = createHash('sha256').update(`${prefix}:${seed}`).digest('hex');
  const variant = '89ab'[parseInt(h[16], 16) % 4];
  return `${prefix}-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** What `GET /v1/runs/{id}/metrics` and the run itself are built from. */
export interface RunRecord {
  run: Run;
  startMs: number;
  endMs: number;
  toolsUsed: string[];
}

/** The runs tests and the demo name. */
export interface NamedRuns {
  /** Memory Tester: 4 steps, the human block edited by step 2 (seen from step 3 on). */
  memoryEdit: string;
  /** Memory Tester: 200 steps. */
  long: string;
  /** Memory Tester: 2 steps, the second a failed LLM call; the run failed. */
  failed: string;
  /** Memory Tester: 3 steps, the middle one without a trace (the server answers `null`). */
  nullTrace: string;
  nullTraceStepId: string;
}

export interface FakeData {
  agents: Agent[];
  /** Every agent's steps, newest first. */
  steps: Step[];
  traces: Map<string, ProviderTrace>;
  /** Every agent's runs, newest first, with what their metrics need. */
  runs: RunRecord[];
  /** Present when the Memory Tester agent is (three agents or more). */
  named?: NamedRuns;
}

/** The model of each agent, by position: one model per agent, as a real agent keeps. */
const AGENT_MODELS: SimModel[] = [SIM_MODELS.gpt, SIM_MODELS.gemini, SIM_MODELS.claude];
const NAMES = ['Support Bot', 'Research Assistant', 'Memory Tester', 'Scheduler', 'Planner'];
/** Generated history ends here (the fixtures are later that day). */
const HISTORY_END_MS = Date.UTC(2026, 2, 14, 9);
const RUN_GAP_MS = 20 * 60_000;
/** Lengths of ordinary runs, newest first, cycled: one step (a greeting) to six. */
const RUN_LENGTHS = [3, 1, 4, 2, 6, 2, 5, 3, 1, 4];

function agentState(sim: SimAgent): Agent {
  const { model } = sim;
  return {
    id: sim.id,
    name: sim.name,
    system: `You are ${sim.name}, a Letta agent.`,
    agent_type: 'letta_v1_agent',
    llm_config: { model: model.model, model_endpoint_type: model.endpoint, context_window: 128000, handle: `${model.provider}/${model.model}` },
    memory: { blocks: [] },
    blocks: [],
    tools: [],
    sources: [],
    tags: [],
    created_at: '2026-03-01T09:00:00Z',
  };
}

function textOf(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** A fixture's step. Fixtures are recorded examples, one per provider format: their token counts are their own. */
function stepFromFixture(trace: ProviderTrace): Step {
  // A failed call is stored as `{error, error_type}`; OpenAI Responses bodies carry `"error": null` when all went well.
  const failed = (trace.response_json.error ?? null) !== null;
  const model = typeof trace.llm_config?.model === 'string' ? trace.llm_config.model : 'gpt-4.1-mini';
  const usage = (trace.response_json.usage ?? trace.response_json.usage_metadata ?? {}) as Record<string, unknown>;
  const num = (...keys: string[]) => keys.map((k) => usage[k]).find((v): v is number => typeof v === 'number') ?? 0;
  const prompt = failed ? 0 : num('prompt_tokens', 'input_tokens', 'prompt_token_count');
  const completion = failed ? 0 : num('completion_tokens', 'output_tokens', 'candidates_token_count');
  return {
    id: trace.step_id as string,
    agent_id: trace.agent_id ?? null,
    run_id: trace.run_id ?? null,
    model,
    model_handle: null,
    provider_name: typeof trace.llm_config?.model_endpoint_type === 'string' ? trace.llm_config.model_endpoint_type : null,
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    stop_reason: failed ? 'llm_api_error' : 'end_turn',
    status: failed ? 'failed' : 'success',
    error_type: failed ? textOf(trace.response_json.error_type, 'llm_error') : null,
    error_data: failed ? { message: textOf(trace.response_json.error, '') } : null,
    tags: [],
  };
}

function runRecord(sim: Pick<SimRun, 'runId' | 'agentId' | 'startMs' | 'endMs' | 'status' | 'stopReason' | 'toolsUsed'>, firstLatencyMs: number): RunRecord {
  const ns = 1_000_000;
  return {
    run: {
      id: sim.runId,
      agent_id: sim.agentId,
      status: sim.status,
      stop_reason: sim.stopReason,
      created_at: new Date(sim.startMs).toISOString(),
      completed_at: new Date(sim.endMs).toISOString(),
      background: false,
      conversation_id: null,
      metadata: null,
      ttft_ns: Math.round(firstLatencyMs * 0.4) * ns,
      total_duration_ns: (sim.endMs - sim.startMs) * ns,
    },
    startMs: sim.startMs,
    endMs: sim.endMs,
    toolsUsed: sim.toolsUsed,
  };
}

const toolId = (name: string) => fakeId('tool', name);

interface Out {
  steps: Step[];
  traces: Map<string, ProviderTrace>;
  runs: RunRecord[];
}

/** Adds a simulated run, newest first: its steps newest first, at the end of what is there (older). */
function addRun(out: Out, run: SimRun): void {
  for (const s of [...run.steps].reverse()) {
    out.steps.push(s.step);
    if (s.trace) {
      out.traces.set(s.step.id, s.trace);
    }
  }
  out.runs.push(runRecord(run, run.steps[0]?.latencyMs ?? 0));
}

/**
 * `count` steps of ordinary runs for `sim`, newest first. Step `i` (0 = newest) is always
 * `fakeId('step', '<agent>:<i>')`, whatever `count` is, so a smaller fake has the same newest IDs.
 */
function ordinaryRuns(out: Out, sim: SimAgent, a: number, count: number, endMs: number): void {
  // Plan newest first, simulate oldest first (memory edits carry forward in time).
  const plan: { first: number; length: number; r: number }[] = [];
  for (let first = 0, r = 0; first < count; r++) {
    const length = Math.min(RUN_LENGTHS[r % RUN_LENGTHS.length], count - first);
    plan.push({ first, length, r });
    first += length;
  }
  const runs: SimRun[] = [];
  for (const { first, length, r } of [...plan].reverse()) {
    const runId = fakeId('run', `${a}:${r}`);
    const script = ordinaryScript(runId, r, length, sim.blocks, a * 1000 + r);
    // Position k in time order is index first + length - 1 - k, newest first.
    const ids = (kind: 'step' | 'provider_trace', k: number) => fakeId(kind, `${a}:${first + length - 1 - k}`);
    runs.push(simulateRun(sim, script, endMs - (r + 1) * RUN_GAP_MS, 12 + 2 * (plan.length - r), ids, toolId, a * 7919 + r));
  }
  for (const run of runs.reverse()) {
    addRun(out, run);
  }
}

/** Memory Tester's named runs, newest first: the memory edit, the null trace, the failure, the 200 steps. */
function namedRuns(out: Out, sim: SimAgent, endMs: number): NamedRuns {
  const named = { memoryEdit: fakeId('run', 'memory-edit'), nullTrace: fakeId('run', 'null-trace'), failed: fakeId('run', 'failed'), long: fakeId('run', 'long') };
  const scripts: [string, RunScript][] = [
    ['long', ordinaryScript(named.long, 3, 200, sim.blocks, 200)],
    ['failed', failedScript(named.failed)],
    ['null-trace', nullTraceScript(named.nullTrace)],
    ['memory-edit', memoryEditScript(named.memoryEdit)],
  ];
  const runs = scripts.map(([name, script], r) =>
    simulateRun(sim, script, endMs - (scripts.length - r) * RUN_GAP_MS * 2, 40 + r * 10, (kind, k) => fakeId(kind, `2:${name}:${k}`), toolId, 4242 + r),
  );
  for (const run of runs.reverse()) {
    addRun(out, run);
  }
  return { ...named, nullTraceStepId: fakeId('step', '2:null-trace:1') };
}

/**
 * Three agents (more on request). "Support Bot" (GPT) owns the recorded fixture traces, newest, and
 * `stepsPerAgent` simulated steps in runs (to test paging); "Research Assistant" (Gemini, older
 * block format) and further agents a few; "Memory Tester" (Claude) holds the named runs.
 */
export function buildFakeData(options: { agents?: number; stepsPerAgent?: number } = {}): FakeData {
  const fixtures = loadFixtureTraces();
  const out: Out = { steps: [], traces: new Map(), runs: [] };
  const agentCount = Math.max(1, options.agents ?? 3);
  const perAgent = options.stepsPerAgent ?? 120;
  const agents: Agent[] = [];
  let named: NamedRuns | undefined;
  for (let a = 0; a < agentCount; a++) {
    const name = NAMES[a % NAMES.length] + (a >= NAMES.length ? ` ${a}` : '');
    const id = a === 0 && fixtures[0]?.trace.agent_id ? fixtures[0].trace.agent_id : fakeId('agent', String(a));
    const sim: SimAgent = { id, name, model: AGENT_MODELS[a % AGENT_MODELS.length], blockFormat: a === 1 ? 'old' : 'new', blocks: defaultBlocks(name) };
    agents.push(agentState(sim));
    if (a === 0) {
      // Newest first: the fixtures (each its own one-step run), then the simulated history.
      for (const { trace } of fixtures) {
        const step = stepFromFixture(trace);
        out.traces.set(step.id, trace);
        out.steps.push(step);
        if (trace.run_id) {
          const startMs = Date.parse(trace.created_at ?? '2026-03-14T09:00:00Z');
          const latency = typeof trace.latency_ms === 'number' ? trace.latency_ms : 1200;
          const failed = step.status === 'failed';
          out.runs.push(runRecord({ runId: trace.run_id, agentId: id, startMs, endMs: startMs + latency + 80, status: failed ? 'failed' : 'completed', stopReason: failed ? 'llm_api_error' : 'end_turn', toolsUsed: [] }, latency));
        }
      }
    }
    if (a === 2) {
      named = namedRuns(out, sim, HISTORY_END_MS);
    } else {
      ordinaryRuns(out, sim, a, a === 0 ? perAgent : Math.min(perAgent, 7), HISTORY_END_MS);
    }
  }
  // Newest first, as the server lists them (the fixtures are sorted by name, not time).
  out.runs.sort((x, y) => y.startMs - x.startMs);
  return { agents, steps: out.steps, traces: out.traces, runs: out.runs, named };
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

/** `GET /v1/runs/{id}/usage`: the sums over the run's steps. */
export function runUsage(steps: readonly Step[]): UsageStatistics {
  const sum = (key: 'prompt_tokens' | 'completion_tokens' | 'total_tokens' | 'cached_input_tokens') => steps.reduce((n, s) => n + (s[key] ?? 0), 0);
  return {
    prompt_tokens: sum('prompt_tokens'),
    completion_tokens: sum('completion_tokens'),
    total_tokens: sum('total_tokens'),
    prompt_tokens_details: { cached_tokens: sum('cached_input_tokens') },
    completion_tokens_details: null,
  };
}

/** `GET /v1/runs/{id}/metrics`. */
export function runMetrics(record: RunRecord, steps: readonly Step[]): RunMetrics {
  const ns = 1_000_000;
  return {
    id: record.run.id,
    agent_id: record.run.agent_id,
    project_id: null,
    run_start_ns: record.startMs * ns,
    run_ns: (record.endMs - record.startMs) * ns,
    num_steps: steps.length,
    tools_used: record.toolsUsed,
    template_id: null,
    base_template_id: null,
  };
}

/** A run of the data and its steps, oldest first (the data lists steps newest first; a run reads oldest first). */
export function runAndSteps(data: FakeData, runId: string): { run: Run; steps: Step[] } {
  const record = data.runs.find((r) => r.run.id === runId);
  if (!record) {
    throw new Error(`no run ${runId}`);
  }
  return { run: record.run, steps: data.steps.filter((s) => s.run_id === runId).reverse() };
}

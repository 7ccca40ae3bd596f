/**
 * Simulated Letta agents for the fake server: each agent keeps one model and one provider format,
 * answers a user message in a run of steps, and each step's request is the previous request plus
 * the previous response's tool call and its result — the way Letta builds them. A memory tool edits
 * a block, and the next step's system prompt shows the new value. Token counts follow the text.
 * Deterministic (seeded), so IDs and contents are the same on every start.
 */
import { rng } from '../fixtures/builders';
import type { ProviderTrace, Step } from '../../src/core/lettaTypes';

export type SimFormat = 'openai-chat' | 'anthropic' | 'google';

export interface SimModel {
  model: string;
  endpoint: string;
  provider: string;
  format: SimFormat;
}

export const SIM_MODELS = {
  gpt: { model: 'gpt-4.1-mini', endpoint: 'openai', provider: 'openai', format: 'openai-chat' },
  claude: { model: 'claude-sonnet-4-5-20250929', endpoint: 'anthropic', provider: 'anthropic', format: 'anthropic' },
  gemini: { model: 'gemini-2.5-flash', endpoint: 'google_ai', provider: 'google_ai', format: 'google' },
} satisfies Record<string, SimModel>;

export interface Block {
  label: string;
  description: string;
  value: string;
  limit: number;
}

/** One action of the agent: a tool call and what the tool answered. */
export interface Action {
  thought: string;
  tool: string;
  args: Record<string, unknown>;
  /** What the tool returned (`message` of Letta's `{status, message, time}`). */
  result: string;
  /** A memory edit (text appended, or one text replaced), seen by every later step. */
  edit?: { label: string; append?: string; replace?: [string, string] };
  /** This step's LLM call failed: no response, the run ends. */
  fails?: { error: string; type: string };
}

/** A run to simulate: the user's message and the agent's actions, the last normally `send_message`. */
export interface RunScript {
  runId: string;
  user: string;
  actions: Action[];
  /** Steps whose trace the server does not have (it answers `null`). */
  missingTraces?: number[];
}

export interface SimAgent {
  id: string;
  name: string;
  model: SimModel;
  /** `new`: `<label><description>…<metadata>…<value>…`; `old`: `<label characters="N/M">…`. */
  blockFormat: 'new' | 'old';
  blocks: Block[];
}

export interface SimStep {
  step: Step;
  trace?: ProviderTrace;
  /** When the step started and how long its LLM call took, in ms. */
  startMs: number;
  latencyMs: number;
}

export interface SimRun {
  runId: string;
  agentId: string;
  steps: SimStep[];
  startMs: number;
  endMs: number;
  status: 'completed' | 'failed';
  stopReason: 'end_turn' | 'llm_api_error';
  toolsUsed: string[];
}

const TOOL_DEFS: Record<string, { description: string; properties: Record<string, unknown>; required: string[] }> = {
  send_message: { description: 'Sends a message to the human user.', properties: { message: { type: 'string', description: 'Message contents. All unicode (including emojis) are supported.' } }, required: ['message'] },
  core_memory_append: {
    description: 'Append to the contents of core memory.',
    properties: { label: { type: 'string', description: 'Section of the memory to be edited.' }, content: { type: 'string', description: 'Content to write to the memory.' }, request_heartbeat: { type: 'boolean' } },
    required: ['label', 'content', 'request_heartbeat'],
  },
  core_memory_replace: {
    description: 'Replace the contents of core memory. To delete memories, use an empty string for new_content.',
    properties: { label: { type: 'string' }, old_content: { type: 'string' }, new_content: { type: 'string' }, request_heartbeat: { type: 'boolean' } },
    required: ['label', 'old_content', 'new_content', 'request_heartbeat'],
  },
  conversation_search: {
    description: 'Search prior conversation history using case-insensitive string matching.',
    properties: { query: { type: 'string' }, page: { type: ['integer', 'null'] }, request_heartbeat: { type: 'boolean' } },
    required: ['query', 'page', 'request_heartbeat'],
  },
  archival_memory_search: {
    description: 'Search archival memory using semantic (embedding-based) search.',
    properties: { query: { type: 'string' }, page: { type: ['integer', 'null'] }, start: { type: ['integer', 'null'] }, request_heartbeat: { type: 'boolean' } },
    required: ['query', 'page', 'start', 'request_heartbeat'],
  },
};

/** A stable tool ID per tool name, for the run metrics' `tools_used`. */
export type ToolIds = (name: string) => string;

const BASE_INSTRUCTIONS = `<base_instructions>
You are a helpful self-improving agent with advanced memory.
Memory Blocks are embedded within your system instructions and remain constantly available in-context.
To send a visible message to the user, use the send_message function.
'send_message' is the ONLY action that sends a notification to the user. The user does not see anything else you do.
</base_instructions>`;

function lettaTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(((h + 11) % 12) + 1)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'} UTC+0000`;
}

/** Letta's compiled system prompt for the agent's blocks as they are now. */
export function systemPrompt(agent: SimAgent, blocks: readonly Block[], nowMs: number, modifiedMs: number, recall: number): string {
  const rendered = blocks.map((b) =>
    agent.blockFormat === 'new'
      ? `<${b.label}>\n<description>\n${b.description}\n</description>\n<metadata>\n- chars_current=${b.value.length}\n- chars_limit=${b.limit}\n</metadata>\n<value>\n${b.value}\n</value>\n</${b.label}>`
      : `<${b.label} characters="${b.value.length}/${b.limit}">\n${b.value}\n</${b.label}>`,
  );
  return (
    `${BASE_INSTRUCTIONS}\n\n<memory_blocks>\nThe following memory blocks are currently engaged in your core memory unit:\n\n${rendered.join('\n\n')}\n\n</memory_blocks>\n\n` +
    `<memory_metadata>\n- The current system date is: ${lettaTime(nowMs)}\n- Memory blocks were last modified: ${lettaTime(modifiedMs)}\n` +
    `- ${recall} previous messages between you and the user are stored in recall memory (use tools to access them)\n- 37 total memories you created are stored in archival memory (use tools to access them)\n</memory_metadata>`
  );
}

/** The neutral history of one run: the user's message, then each step's call and result. */
interface Turn {
  callId: string;
  action: Action;
}

function toolResult(action: Action, atMs: number): string {
  return JSON.stringify({ status: 'OK', message: action.result, time: lettaTime(atMs) });
}

/** Requests and responses in the agent's provider format. */
function buildRequest(model: SimModel, system: string, user: string, turns: readonly Turn[], tools: readonly string[], startedMs: number): Record<string, unknown> {
  const userText = JSON.stringify({ type: 'user_message', message: user, time: lettaTime(startedMs) });
  const defs = tools.map((name) => ({ name, ...TOOL_DEFS[name] }));
  const schema = (d: (typeof defs)[number]) => ({ type: 'object', properties: d.properties, required: d.required, additionalProperties: false });
  switch (model.format) {
    case 'openai-chat':
      return {
        model: model.model,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: userText },
          ...turns.flatMap((t, i) => [
            { role: 'assistant', content: t.action.thought, tool_calls: [{ id: t.callId, type: 'function', function: { name: t.action.tool, arguments: JSON.stringify(t.action.args) } }] },
            { role: 'tool', content: toolResult(t.action, startedMs + (i + 1) * 1000), tool_call_id: t.callId },
          ]),
        ],
        tools: defs.map((d) => ({ type: 'function', function: { name: d.name, description: d.description, parameters: schema(d), strict: true } })),
        tool_choice: 'required',
        user: 'user-00000000-0000-4000-8000-000000000000',
        temperature: 0.7,
        max_completion_tokens: 4096,
        parallel_tool_calls: false,
      };
    case 'anthropic':
      return {
        model: model.model,
        max_tokens: 8192,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
        messages: [
          { role: 'user', content: [{ type: 'text', text: userText }] },
          ...turns.flatMap((t, i) => [
            { role: 'assistant', content: [{ type: 'thinking', thinking: t.action.thought, signature: 'EqQBCkYIBRgCKkDq3Xb7' }, { type: 'tool_use', id: t.callId, name: t.action.tool, input: t.action.args }] },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: t.callId, content: toolResult(t.action, startedMs + (i + 1) * 1000) }] },
          ]),
        ],
        tools: defs.map((d) => ({ name: d.name, description: d.description, input_schema: schema(d) })),
        tool_choice: { type: 'any' },
        temperature: 1,
      };
    case 'google':
      return {
        contents: [
          { role: 'user', parts: [{ text: system }] },
          { role: 'user', parts: [{ text: userText }] },
          ...turns.flatMap((t, i) => [
            { role: 'model', parts: [{ text: t.action.thought, thought: true }, { function_call: { name: t.action.tool, args: t.action.args } }] },
            { role: 'function', parts: [{ function_response: { name: t.action.tool, response: JSON.parse(toolResult(t.action, startedMs + (i + 1) * 1000)) as unknown } }] },
          ]),
        ],
        config: {
          temperature: 0.7,
          max_output_tokens: 8192,
          tools: [{ function_declarations: defs.map((d) => ({ name: d.name, description: d.description, parameters: schema(d) })) }],
          tool_config: { function_calling_config: { mode: 'ANY' } },
        },
      };
  }
}

interface Tokens {
  prompt: number;
  completion: number;
  cached: number;
}

function buildResponse(model: SimModel, turn: Turn, tokens: Tokens, createdSec: number): Record<string, unknown> {
  const { action, callId } = turn;
  if (action.fails) {
    return { error: action.fails.error, error_type: action.fails.type };
  }
  switch (model.format) {
    case 'openai-chat':
      return {
        id: `chatcmpl-${callId.slice(5)}`,
        object: 'chat.completion',
        created: createdSec,
        model: `${model.model}-2025-04-14`,
        choices: [{ index: 0, message: { role: 'assistant', content: action.thought, tool_calls: [{ id: callId, type: 'function', function: { name: action.tool, arguments: JSON.stringify(action.args) } }] }, finish_reason: 'tool_calls' }],
        usage: { prompt_tokens: tokens.prompt, completion_tokens: tokens.completion, total_tokens: tokens.prompt + tokens.completion, prompt_tokens_details: { cached_tokens: tokens.cached } },
      };
    case 'anthropic':
      return {
        id: `msg_${callId.slice(5)}`,
        type: 'message',
        role: 'assistant',
        model: model.model,
        content: [{ type: 'thinking', thinking: action.thought, signature: 'EqQBCkYIBRgCKkDq3Xb7' }, { type: 'tool_use', id: callId, name: action.tool, input: action.args }],
        stop_reason: 'tool_use',
        // Anthropic's input_tokens leaves out what was read from the cache.
        usage: { input_tokens: tokens.prompt - tokens.cached, output_tokens: tokens.completion, cache_read_input_tokens: tokens.cached, cache_creation_input_tokens: 0 },
      };
    case 'google':
      return {
        candidates: [{ content: { role: 'model', parts: [{ text: action.thought, thought: true }, { function_call: { name: action.tool, args: action.args } }] }, finish_reason: 'STOP', index: 0 }],
        usage_metadata: { prompt_token_count: tokens.prompt, candidates_token_count: tokens.completion, total_token_count: tokens.prompt + tokens.completion, cached_content_token_count: tokens.cached },
        model_version: model.model,
      };
  }
}

/** Roughly 4 characters a token, as the providers count English and JSON. */
const tokensOf = (chars: number) => Math.ceil(chars / 4);

/**
 * Simulates `script` for `agent` from `startMs`, editing `agent.blocks` in place as memory tools run
 * (so the agent's next run starts from its edited memory). `ids(kind, n)` names steps and traces.
 */
export function simulateRun(agent: SimAgent, script: RunScript, startMs: number, recall: number, ids: (kind: 'step' | 'provider_trace', n: number) => string, toolIds: ToolIds, seed: number): SimRun {
  const rand = rng(seed);
  const tools = Object.keys(TOOL_DEFS);
  const turns: Turn[] = [];
  const steps: SimStep[] = [];
  let modifiedMs = startMs - 3_600_000;
  let at = startMs;
  let cachedPrefix = 0;
  let failed = false;
  for (let i = 0; i < script.actions.length && !failed; i++) {
    const action = script.actions[i];
    const turn: Turn = { callId: `call_${ids('step', i).slice(5, 13)}${i.toString(36).padStart(4, '0')}`, action };
    const system = systemPrompt(agent, agent.blocks, at, modifiedMs, recall + i * 2);
    const request = buildRequest(agent.model, system, script.user, turns, tools, startMs);
    // Prompt tokens follow the request text; the cached part is what the previous step already sent.
    const prompt = tokensOf(JSON.stringify(request).length) + Math.floor(rand() * 40);
    const completion = action.fails ? 0 : tokensOf(action.thought.length + JSON.stringify(action.args).length) + 12 + Math.floor(rand() * 30);
    const cached = Math.min(cachedPrefix, prompt);
    const tokens = { prompt: action.fails ? 0 : prompt, completion, cached: action.fails ? 0 : cached };
    cachedPrefix = Math.floor(prompt / 64) * 64;
    const latencyMs = action.fails ? 30_000 : 600 + Math.floor(rand() * 1400) + completion * 8;
    const response = buildResponse(agent.model, turn, tokens, Math.floor(at / 1000));
    const stepId = ids('step', i);
    const last = i === script.actions.length - 1;
    failed = action.fails !== undefined;
    const step: Step = {
      id: stepId,
      agent_id: agent.id,
      run_id: script.runId,
      model: agent.model.model,
      model_handle: `${agent.model.provider}/${agent.model.model}`,
      provider_name: agent.model.endpoint,
      provider_category: 'base',
      model_endpoint: null,
      context_window_limit: 128000,
      prompt_tokens: tokens.prompt,
      completion_tokens: tokens.completion,
      total_tokens: tokens.prompt + tokens.completion,
      cached_input_tokens: tokens.cached,
      stop_reason: failed ? 'llm_api_error' : last ? 'end_turn' : null,
      status: failed ? 'failed' : 'success',
      error_type: failed ? (action.fails?.type ?? null) : null,
      error_data: failed ? { message: action.fails?.error ?? '' } : null,
      tags: [],
    };
    const trace: ProviderTrace = {
      id: ids('provider_trace', i),
      step_id: stepId,
      agent_id: agent.id,
      run_id: script.runId,
      call_type: 'agent_step',
      source: 'memgpt-server',
      llm_config: { model: agent.model.model, model_endpoint_type: agent.model.endpoint, context_window: 128000, handle: `${agent.model.provider}/${agent.model.model}` },
      latency_ms: latencyMs,
      created_at: new Date(at).toISOString(),
      updated_at: new Date(at + latencyMs).toISOString(),
      request_json: request,
      response_json: response,
    };
    steps.push({ step, trace: script.missingTraces?.includes(i) ? undefined : trace, startMs: at, latencyMs });
    at += latencyMs + 40 + Math.floor(rand() * 200);
    if (action.edit) {
      const block = agent.blocks.find((b) => b.label === action.edit?.label);
      if (block) {
        const { append, replace } = action.edit;
        block.value = replace ? block.value.replace(replace[0], replace[1]) : `${block.value}\n${append ?? ''}`;
        modifiedMs = at;
      }
    }
    turns.push(turn);
  }
  const used = [...new Set(turns.map((t) => t.action.tool))];
  return {
    runId: script.runId,
    agentId: agent.id,
    steps,
    startMs,
    endMs: at,
    status: failed ? 'failed' : 'completed',
    stopReason: failed ? 'llm_api_error' : 'end_turn',
    toolsUsed: used.map(toolIds),
  };
}

// --- scripts: what an agent does with a user message ---

const TOPICS = ['the carrier timeout', 'last week’s deploy', 'the retry queue', 'the Python 3.12 migration', 'the depot manifests', 'invoice totals for March', 'the on-call rota', 'label printing'];

/** A plausible run of `length` steps: searches and perhaps a memory note, then `send_message`. */
export function ordinaryScript(runId: string, n: number, length: number, blocks: readonly Block[], seed: number): RunScript {
  const rand = rng(seed);
  const topic = TOPICS[n % TOPICS.length];
  const actions: Action[] = [];
  const human = blocks.find((b) => b.label === 'human');
  for (let i = 0; i < length - 1; i++) {
    const kind = Math.floor(rand() * 3);
    if (kind === 0 && human && i === length - 2) {
      const note = `Asked about ${topic} (${n}).`;
      actions.push({ thought: `The user cares about ${topic}; I will note it in their block.`, tool: 'core_memory_append', args: { label: 'human', content: note, request_heartbeat: true }, result: 'None', edit: { label: 'human', append: note } });
    } else if (kind === 1) {
      actions.push({ thought: `Let me check what we said before about ${topic}.`, tool: 'conversation_search', args: { query: topic, page: 0, request_heartbeat: true }, result: `Showing ${1 + (i % 4)} of ${2 + (i % 5)} results: "…${topic} was flaky on Tuesday…"` });
    } else {
      actions.push({ thought: `Archival memory may hold notes on ${topic}.`, tool: 'archival_memory_search', args: { query: `${topic} notes`, page: 0, start: 0, request_heartbeat: true }, result: JSON.stringify([{ timestamp: '2026-03-10 10:00:00 AM UTC+0000', content: `Notes on ${topic}: step ${i}, look at the dashboard first.` }]) });
    }
  }
  actions.push({ thought: 'I have what I need; answer briefly.', tool: 'send_message', args: { message: `Here is what I found about ${topic}: it was last discussed on Tuesday; the notes say to check the dashboard first.` }, result: 'None' });
  return { runId, user: `Can you remind me what we know about ${topic}?`, actions };
}

/** The 4-step run with a memory edit between steps 2 and 3. */
export function memoryEditScript(runId: string): RunScript {
  return {
    runId,
    user: 'By the way, I moved to the Berlin office last month, and please call me Pri.',
    actions: [
      { thought: 'The user shares a move and a nickname. First check whether I already knew.', tool: 'conversation_search', args: { query: 'Berlin', page: 0, request_heartbeat: true }, result: 'No results found.' },
      {
        thought: 'New facts: I will update the human block.',
        tool: 'core_memory_replace',
        args: { label: 'human', old_content: 'Location: Amsterdam office', new_content: 'Location: Berlin office (since February)\nGoes by: Pri', request_heartbeat: true },
        result: 'None',
        edit: { label: 'human', replace: ['Location: Amsterdam office', 'Location: Berlin office (since February)\nGoes by: Pri'] },
      },
      { thought: 'Memory updated. Is there anything archived about the Berlin team?', tool: 'archival_memory_search', args: { query: 'Berlin team', page: 0, start: 0, request_heartbeat: true }, result: JSON.stringify([{ timestamp: '2026-02-02 09:00:00 AM UTC+0000', content: 'The Berlin team owns the carrier integrations.' }]) },
      { thought: 'Confirm briefly and mention the Berlin team.', tool: 'send_message', args: { message: 'Noted, Pri! Welcome to Berlin — that team owns the carrier integrations, so you are close to the action.' }, result: 'None' },
    ],
  };
}

/** A run whose second step's LLM call fails. */
export function failedScript(runId: string): RunScript {
  return {
    runId,
    user: 'Summarise every incident from last quarter.',
    actions: [
      { thought: 'That is a lot; start with archival memory.', tool: 'archival_memory_search', args: { query: 'incident Q4', page: 0, start: 0, request_heartbeat: true }, result: JSON.stringify([{ timestamp: '2026-01-05 11:00:00 AM UTC+0000', content: 'Incident 41: carrier API outage, 2 h.' }]) },
      { thought: '', tool: 'send_message', args: {}, result: '', fails: { error: 'Rate limit reached for requests on the provider: please try again in 20s.', type: 'llm_rate_limit' } },
    ],
  };
}

/** A 3-step run whose middle step has no trace on the server. */
export function nullTraceScript(runId: string): RunScript {
  return {
    runId,
    user: 'What is on my calendar tomorrow?',
    actions: [
      { thought: 'I have no calendar tool; search the conversation for meetings.', tool: 'conversation_search', args: { query: 'tomorrow meeting', page: 0, request_heartbeat: true }, result: 'Showing 1 of 1 results: "standup moved to 09:30"' },
      { thought: 'Check archival memory as well.', tool: 'archival_memory_search', args: { query: 'calendar', page: 0, start: 0, request_heartbeat: true }, result: '[]' },
      { thought: 'Answer with what I know.', tool: 'send_message', args: { message: 'All I know is that your standup moved to 09:30.' }, result: 'None' },
    ],
    missingTraces: [1],
  };
}

export function defaultBlocks(name: string, location = 'Amsterdam'): Block[] {
  return [
    { label: 'persona', description: 'The persona block: Stores details about your current persona, guiding how you behave and respond.', value: `I am ${name}, a helpful assistant for the Letta team.\nI answer briefly and I cite the archival memory entry when I use one.`, limit: 5000 },
    { label: 'human', description: 'The human block: Stores key details about the person you are conversing with.', value: `Name: Priya Raman\nRole: platform engineer at a logistics company\nLocation: ${location} office\nPrefers: short answers, code in fenced blocks, metric units`, limit: 5000 },
  ];
}

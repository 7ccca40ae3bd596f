/**
 * The run model behind the run view: a run's steps in order, each with its status, tokens, time,
 * tool calls and what changed since the step before; the run's totals and duration; and its
 * transcript (what the user said, what the agent answered). Traces arrive one by one and may be
 * missing (`null`) or fail: `RunTracker` takes each as it comes and says which rows to redraw, so
 * a 200-step run costs one comparison per arriving trace, not a rebuild. Pure: no `vscode` import.
 */
import * as l10n from '@vscode/l10n';
import type { Conversation } from '../conversation/model';
import { normalizeTrace } from '../conversation/normalize';
import { groupDigits } from '../conversation/format';
import type { ProviderTrace, Run, RunMetrics, Step, UsageStatistics } from '../lettaTypes';
import { compareRequests, type RequestChanges } from './compare';
import { lettaUserMessage } from './messageText';
import type { CostInput, PriceFunction, StepCost } from '../context/cost';
import { stepCostInput, stepCostOf } from './runCost';
import { runCostOf, type RunCost } from './runCostTotal';

/** Where a step's trace is. `none`: the server answered `null` (nothing recorded). */
export type TraceState = { kind: 'pending' } | { kind: 'loaded'; trace: ProviderTrace } | { kind: 'none' } | { kind: 'error'; message: string };

export interface ToolCallSummary {
  name: string;
  /** The arguments in short: `query: "Berlin", page: 0` (Letta's `request_heartbeat` left out). */
  args: string;
}

export interface StepTokens {
  prompt?: number;
  completion?: number;
  total?: number;
  cached?: number;
}

export interface RunStepRow {
  index: number;
  stepId: string;
  status: NonNullable<Step['status']> | 'unknown';
  model?: string;
  stopReason?: string;
  /** Why the step failed, when it did (its error data, or the failed call's error). */
  error?: string;
  tokens: StepTokens;
  /** From the trace: when the LLM call started, ms since the epoch, and how long it took. */
  startMs?: number;
  durationMs?: number;
  toolCalls: ToolCallSummary[];
  /** What the agent told the user in this step: its `send_message` text or its plain answer. */
  said?: string;
  trace: TraceState['kind'];
  traceError?: string;
  /** What changed since `comparedWith`; undefined until this trace and the one before it are in. */
  changes?: RequestChanges;
  /** The row compared with: the step before, or the nearest earlier one with a trace; undefined for the first. */
  comparedWith?: number;
  /** One line for a list: tool calls, tokens, error. */
  summary: string;
  /** What the step cost (or why it is unknown), once the price table is in (`setPrices`); undefined until then or while there is nothing to price. */
  cost?: StepCost;
}

export interface RunTotals {
  steps: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cachedTokens: number;
  /** Over the steps priced, once the price table is in: a lower bound while some are unpriced. */
  cost?: RunCost;
}

export interface TranscriptEntry {
  stepIndex: number;
  who: 'user' | 'agent';
  text: string;
}

export interface RunModel {
  runId: string;
  agentId?: string;
  status?: string;
  stopReason?: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  totals: RunTotals;
  rows: readonly RunStepRow[];
  transcript: TranscriptEntry[];
  /** The run has more steps than were read (`listRunSteps`' bound). */
  truncated: boolean;
}

export interface RunExtras {
  usage?: UsageStatistics;
  metrics?: RunMetrics;
  truncated?: boolean;
}

const ARG_MAX = 60;
const VALUE_MAX = 30;

function shortValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value.length > VALUE_MAX ? `${value.slice(0, VALUE_MAX - 1)}…` : value) : (JSON.stringify(value) ?? String(value));
  return text.length > VALUE_MAX + 2 ? `${text.slice(0, VALUE_MAX + 1)}…` : text;
}

/** A tool call's arguments in one short line. */
export function shortArguments(args: unknown, max = ARG_MAX): string {
  let text: string;
  if (args !== null && typeof args === 'object' && !Array.isArray(args)) {
    text = Object.entries(args as Record<string, unknown>)
      .filter(([k]) => k !== 'request_heartbeat')
      .map(([k, v]) => `${k}: ${shortValue(v)}`)
      .join(', ');
  } else {
    text = args === undefined ? '' : shortValue(args);
  }
  text = text.replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function toolCallsOf(conversation: Conversation): ToolCallSummary[] {
  return conversation.output.flatMap((m) => m.parts.flatMap((p) => (p.kind === 'tool-call' ? [{ name: p.name, args: shortArguments(p.arguments) }] : [])));
}

/** What the agent said to the user: `send_message`'s message, else the answer's plain text. */
function saidIn(conversation: Conversation): string | undefined {
  const parts = conversation.output.flatMap((m) => (m.role === 'assistant' ? m.parts : []));
  const sent = parts.flatMap((p) => (p.kind === 'tool-call' && p.name === 'send_message' && p.arguments !== null && typeof p.arguments === 'object' ? [(p.arguments as { message?: unknown }).message] : []));
  const messages = sent.filter((m): m is string => typeof m === 'string' && m !== '');
  if (messages.length > 0) {
    return messages.join('\n\n');
  }
  // Letta v1 agents answer in plain text; older ones put their inner monologue there, next to a tool call.
  if (parts.some((p) => p.kind === 'tool-call')) {
    return undefined;
  }
  const text = parts.flatMap((p) => (p.kind === 'text' ? [p.text] : [])).join('').trim();
  return text || undefined;
}

function tokensOf(step: Step, conversation: Conversation | undefined): StepTokens {
  const usage = conversation?.usage;
  const pick = (a: number | null | undefined, b: number | undefined) => (typeof a === 'number' ? a : b);
  const prompt = pick(step.prompt_tokens, usage?.promptTokens);
  const completion = pick(step.completion_tokens, usage?.completionTokens);
  const total = pick(step.total_tokens, usage?.totalTokens ?? (prompt !== undefined && completion !== undefined ? prompt + completion : undefined));
  const cached = pick(step.cached_input_tokens, usage?.cachedTokens);
  return Object.fromEntries(Object.entries({ prompt, completion, total, cached }).filter(([, v]) => v !== undefined));
}

function errorOf(step: Step, conversation: Conversation | undefined): string | undefined {
  const data = step.error_data;
  const fromStep = data && typeof data.message === 'string' && data.message ? data.message : undefined;
  return fromStep ?? conversation?.error?.message ?? (step.status === 'failed' ? (step.error_type ?? 'failed') : undefined);
}

function summaryOf(row: Omit<RunStepRow, 'summary'>): string {
  const parts: string[] = [];
  if (row.toolCalls.length > 0) {
    parts.push(row.toolCalls.map((c) => `${c.name}(${c.args})`).join(', '));
  }
  const { prompt, completion } = row.tokens;
  // A failed call reports zeros: say why it failed instead.
  if ((prompt !== undefined || completion !== undefined) && !(row.error && !prompt && !completion)) {
    parts.push(l10n.t('{0} → {1} tokens', groupDigits(prompt ?? 0), groupDigits(completion ?? 0)));
  }
  if (row.error) {
    parts.push(row.error);
  } else if (row.trace === 'none') {
    parts.push(l10n.t('no trace recorded'));
  } else if (row.trace === 'error') {
    parts.push(l10n.t('trace not loaded: {0}', row.traceError ?? 'error'));
  }
  return parts.join(' · ');
}

const ms = (ns: number | null | undefined) => (typeof ns === 'number' ? ns / 1e6 : undefined);

/** A run being shown: its steps, fed traces as they arrive. */
export class RunTracker {
  /** `released`: loaded, its row built for good and its trace let go (see `release`). */
  private readonly states: (TraceState | { kind: 'released' })[];
  /** Normalised traces: a cache, kept only while a row still waits to be compared (see `release`). */
  private readonly conversations: (Conversation | undefined)[];
  /** Each row's part of the transcript, worked out when the row is built. */
  private readonly pieces: TranscriptEntry[][];
  private readonly rowList: RunStepRow[];
  /** What each row is priced with, worked out when the row is built (so pricing never normalises a trace again). */
  private readonly costInputs: (CostInput | undefined)[];
  private calc: PriceFunction | undefined;
  /** Each row's cost and the input it was priced from: a row rebuilt with the same input is not priced again (a table lookup costs about a millisecond). */
  private readonly priced: ({ key: string; cost: StepCost | undefined } | undefined)[];

  constructor(
    private readonly run: Run,
    private readonly steps: readonly Step[],
    private readonly extras: RunExtras = {},
  ) {
    this.states = steps.map(() => ({ kind: 'pending' }));
    this.conversations = steps.map(() => undefined);
    this.pieces = steps.map(() => []);
    this.costInputs = steps.map(() => undefined);
    this.priced = steps.map(() => undefined);
    this.rowList = steps.map((_, i) => this.buildRow(i));
  }

  get rows(): readonly RunStepRow[] {
    return this.rowList;
  }

  /** Prices every row with the price table (and every row built later); returns the indices of the rows that changed (all). */
  setPrices(calc: PriceFunction): number[] {
    this.calc = calc;
    this.priced.fill(undefined);
    return this.rowList.map((row, i) => {
      this.rowList[i] = this.withCost(row, i);
      return i;
    });
  }

  private withCost(row: RunStepRow, i: number): RunStepRow {
    const cost = this.calc ? this.costAt(i, this.calc) : undefined;
    const next = { ...row, cost };
    if (!cost) {
      delete next.cost;
    }
    return next;
  }

  private costAt(i: number, calc: PriceFunction): StepCost | undefined {
    const key = JSON.stringify(this.costInputs[i]) ?? '';
    const kept = this.priced[i];
    if (kept?.key === key) {
      return kept.cost;
    }
    const cost = stepCostOf(this.costInputs[i], calc);
    this.priced[i] = { key, cost };
    return cost;
  }

  /** Steps whose trace has not come yet, in order: what to fetch. */
  pendingStepIds(): string[] {
    return this.steps.filter((_, i) => this.states[i].kind === 'pending').map((s) => s.id);
  }

  /** Records a step's trace; returns the indices of the rows that changed (this one and the next that compares with it). Unknown IDs change nothing. */
  setTrace(stepId: string, state: TraceState): number[] {
    const i = this.steps.findIndex((s) => s.id === stepId);
    if (i < 0) {
      return [];
    }
    this.states[i] = state;
    this.conversations[i] = undefined;
    const changed = [i];
    // Rows after this one up to the next loaded one compare with it (or through it).
    for (let k = i + 1; k < this.steps.length; k++) {
      changed.push(k);
      if (this.states[k].kind !== 'none' && this.states[k].kind !== 'error') {
        break;
      }
    }
    for (const k of changed) {
      this.rowList[k] = this.buildRow(k);
    }
    this.release();
    return changed;
  }

  /**
   * Lets go of the traces no row needs any more, normalised and raw: a long run then holds only
   * what the trace cache holds (which drops traces past its memory budget), never all of them. One
   * is kept while its own row waits for the step before it, or while the next row that will compare
   * with it (skipping rows without a trace) is still pending. A row whose trace was let go is final.
   */
  private release(): void {
    for (let j = 0; j < this.conversations.length; j++) {
      if (this.states[j].kind !== 'loaded' || this.comparisonBase(j) === 'wait') {
        continue;
      }
      let k = j + 1;
      while (k < this.states.length && (this.states[k].kind === 'none' || this.states[k].kind === 'error')) {
        k++;
      }
      if (k >= this.states.length || this.states[k].kind !== 'pending') {
        this.conversations[j] = undefined;
        this.states[j] = { kind: 'released' };
      }
    }
  }

  /** The whole model: header, totals, rows, transcript. */
  model(): RunModel {
    const { run, extras } = this;
    const rows = this.rowList;
    const sum = (key: keyof StepTokens) => rows.reduce((n, r) => n + (r.tokens[key] ?? 0), 0);
    const usage = extras.usage;
    const totals: RunTotals = {
      steps: rows.length,
      promptTokens: usage?.prompt_tokens ?? sum('prompt'),
      completionTokens: usage?.completion_tokens ?? sum('completion'),
      totalTokens: usage?.total_tokens ?? sum('total'),
      cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? sum('cached'),
    };
    if (this.calc) {
      totals.cost = runCostOf(rows.map((r) => r.cost));
    }
    const started = run.created_at ? Date.parse(run.created_at) : NaN;
    const finished = run.completed_at ? Date.parse(run.completed_at) : NaN;
    const durationMs = ms(run.total_duration_ns) ?? ms(extras.metrics?.run_ns) ?? (Number.isFinite(started) && Number.isFinite(finished) ? finished - started : undefined);
    const text = (v: string | null | undefined) => (typeof v === 'string' ? v : undefined);
    const optional = {
      agentId: text(run.agent_id),
      status: text(run.status),
      stopReason: text(run.stop_reason),
      startedAt: text(run.created_at),
      finishedAt: text(run.completed_at),
      durationMs,
    };
    const model: RunModel = {
      runId: run.id,
      ...(Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Partial<RunModel>),
      totals,
      rows,
      transcript: this.transcript(),
      truncated: extras.truncated === true,
    };
    return model;
  }

  private comparisonBase(i: number): number | 'wait' | undefined {
    for (let j = i - 1; j >= 0; j--) {
      const kind = this.states[j].kind;
      if (kind === 'loaded' || kind === 'released') {
        return j;
      }
      if (kind === 'pending') {
        return 'wait';
      }
    }
    return undefined;
  }

  /** The normalised trace of row `i`, from the cache or normalised again. */
  private conversationAt(i: number): Conversation | undefined {
    const state = this.states[i];
    if (state.kind !== 'loaded') {
      return undefined;
    }
    this.conversations[i] ??= normalizeTrace(state.trace);
    return this.conversations[i];
  }

  /** How many normalised traces are held (for tests and diagnostics). */
  get heldConversations(): number {
    return this.conversations.filter(Boolean).length;
  }

  /** How many raw traces are held (for tests and diagnostics). */
  get heldTraces(): number {
    return this.states.filter((s) => s.kind === 'loaded').length;
  }

  private buildRow(i: number): RunStepRow {
    const step = this.steps[i];
    const state = this.states[i];
    if (state.kind === 'released') {
      return this.rowList[i];
    }
    const conversation = this.conversationAt(i);
    const row: Omit<RunStepRow, 'summary'> = {
      index: i,
      stepId: step.id,
      status: step.status ?? 'unknown',
      tokens: tokensOf(step, conversation),
      toolCalls: conversation ? toolCallsOf(conversation) : [],
      trace: state.kind,
    };
    const model = step.model ?? conversation?.model;
    if (model) {
      row.model = model;
    }
    if (step.stop_reason) {
      row.stopReason = step.stop_reason;
    }
    const error = errorOf(step, conversation);
    if (error) {
      row.error = error;
    }
    if (state.kind === 'error') {
      row.traceError = state.message;
    }
    if (state.kind === 'loaded' && conversation) {
      const startMs = state.trace.created_at ? Date.parse(state.trace.created_at) : NaN;
      if (Number.isFinite(startMs)) {
        row.startMs = startMs;
      }
      if (typeof state.trace.latency_ms === 'number') {
        row.durationMs = state.trace.latency_ms;
      }
      const said = saidIn(conversation);
      if (said) {
        row.said = said;
      }
      const base = this.comparisonBase(i);
      const before = typeof base === 'number' ? this.conversationAt(base) : undefined;
      // A base let go (only when a step's trace is set a second time) is not compared with nothing.
      if (base === undefined || before) {
        row.changes = compareRequests(before, conversation);
        if (typeof base === 'number') {
          row.comparedWith = base;
        }
      }
      this.pieces[i] = transcriptPiece(i, conversation, row.changes, row.said);
    } else {
      this.pieces[i] = [];
    }
    this.costInputs[i] = stepCostInput(step, state.kind === 'loaded' ? state.trace : undefined, conversation, state.kind === 'pending');
    return this.withCost({ ...row, summary: summaryOf(row) }, i);
  }

  /** The user's messages as each step first shows them, and what the agent said, in order. */
  private transcript(): TranscriptEntry[] {
    return this.pieces.flat();
  }
}

/** One row's part of the transcript: the user messages new in its request, then what it said. */
function transcriptPiece(index: number, conversation: Conversation, changes: RequestChanges | undefined, said: string | undefined): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  // New user messages: those appended since the step compared with; for the first, the ones after the last answer.
  const messages = conversation.messages;
  let from: number;
  if (changes && !changes.first) {
    from = messages.length - changes.appended.length;
  } else {
    from = messages.length;
    while (from > 0 && messages[from - 1].role !== 'assistant' && messages[from - 1].role !== 'system' && messages[from - 1].role !== 'developer') {
      from--;
    }
  }
  for (const m of messages.slice(from)) {
    if (m.role !== 'user') {
      continue;
    }
    const text = m.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
    const user = lettaUserMessage(text);
    if (!user.event && user.text.trim()) {
      out.push({ stepIndex: index, who: 'user', text: user.text });
    }
  }
  if (said) {
    out.push({ stepIndex: index, who: 'agent', text: said });
  }
  return out;
}

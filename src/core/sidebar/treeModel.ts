/**
 * The sidebar's state, without VS Code: the Recent and Pinned lists (kept across restarts, so bounded
 * and validated when read back), cursor paging for the agents and each agent's steps, step filters,
 * and the single item a view shows for a failure. Pure.
 */
import * as l10n from '@vscode/l10n';
import { dropUndefined } from '../conversation/util';
import { errorMessage } from '../errorMessage';
import { isLettaApiError } from '../lettaApi';
import type { Step } from '../lettaTypes';
import { isStepId } from '../stepIds';
import { STEP_STATUSES, type StepStatus } from '../stepStatus';
import { nonEmptyText } from '../values';

// ---------------------------------------------------------------------------------------------
// Recent and Pinned

/** What the Traces view remembers of a step: enough for a label, never a secret. */
export interface TraceEntry {
  stepId: string;
  /** The server it came from, or undefined for a file. */
  origin?: string;
  /** The file it was read from, for a trace opened from disk. */
  file?: string;
  model?: string;
  createdAt?: string;
  totalTokens?: number;
  status?: string;
  /** When it was opened (or pinned), ms since the epoch. */
  openedAt: number;
}

/** Pinned entries are never evicted; this caps them only against runaway state. */
export const MAX_PINNED = 200;
/** The most Recent entries kept, whatever `letta.recentLimit` says. */
export const MAX_RECENT = 200;

/** Puts `entry` first, removes its older copy, and keeps at most `limit`. */
export function addRecent(list: readonly TraceEntry[], entry: TraceEntry, limit: number): TraceEntry[] {
  const cap = Math.max(0, Math.min(MAX_RECENT, Math.floor(limit)));
  return [entry, ...list.filter((e) => e.stepId !== entry.stepId)].slice(0, cap);
}

export function removeEntry(list: readonly TraceEntry[], stepId: string): TraceEntry[] {
  return list.filter((e) => e.stepId !== stepId);
}

/**
 * Pins `entry` (most recently pinned first). An already pinned step keeps its place; a full list
 * stays as it is (pins are never evicted; the caller tells the user to unpin some).
 */
export function pin(list: readonly TraceEntry[], entry: TraceEntry): TraceEntry[] {
  if (list.some((e) => e.stepId === entry.stepId) || list.length >= MAX_PINNED) {
    return [...list];
  }
  return [entry, ...list];
}

/** True when `pin` would not add `stepId` because the list is full. */
export function pinnedIsFull(list: readonly TraceEntry[], stepId: string): boolean {
  return list.length >= MAX_PINNED && !list.some((e) => e.stepId === stepId);
}

/** Refreshes the details of an entry already listed, keeping its place; others are untouched. */
export function updateEntry(list: readonly TraceEntry[], entry: TraceEntry): TraceEntry[] {
  return list.map((e) => (e.stepId === entry.stepId ? { ...e, ...dropUndefined({ ...entry }), openedAt: e.openedAt } : e));
}

/** Reads a list back from storage, dropping anything malformed (state can be edited or corrupt). */
export function readEntries(stored: unknown, limit: number): TraceEntry[] {
  if (!Array.isArray(stored)) {
    return [];
  }
  const seen = new Set<string>();
  const out: TraceEntry[] = [];
  for (const raw of stored) {
    if (out.length >= limit) {
      break;
    }
    if (typeof raw !== 'object' || raw === null) {
      continue;
    }
    const e = raw as Record<string, unknown>;
    if (typeof e.stepId !== 'string' || !isStepId(e.stepId) || seen.has(e.stepId)) {
      continue;
    }
    seen.add(e.stepId);
    out.push(
      dropUndefined({
        stepId: e.stepId,
        origin: str(e.origin),
        file: nonEmptyText(e.file, 4096),
        model: str(e.model),
        createdAt: str(e.createdAt),
        totalTokens: typeof e.totalTokens === 'number' && Number.isFinite(e.totalTokens) ? e.totalTokens : undefined,
        status: str(e.status),
        openedAt: typeof e.openedAt === 'number' && Number.isFinite(e.openedAt) ? e.openedAt : 0,
      }),
    );
  }
  return out;
}

/** Stored labels are short; anything longer is not ours. */
const str = (value: unknown) => nonEmptyText(value, 200);

// ---------------------------------------------------------------------------------------------
// Cursor paging

/** One list (the agents, or one agent's steps) as loaded so far. */
export interface PageState<T extends { id: string }> {
  /** Newest first, no duplicates. */
  items: T[];
  /** The last ID the server sent: the `after` of the next page. */
  cursor?: string;
  /** More may exist after the cursor. */
  hasMore: boolean;
  loading: boolean;
  /** The last page failed; "Load more" (Retry) asks for it again. */
  error?: Problem;
}

export function emptyPage<T extends { id: string }>(): PageState<T> {
  return { items: [], hasMore: true, loading: false };
}

/** True before the first page was asked for. */
export function isUnloaded(page: PageState<{ id: string }>): boolean {
  return page.items.length === 0 && page.cursor === undefined && page.hasMore && !page.loading && !page.error;
}

export function startLoading<T extends { id: string }>(page: PageState<T>): PageState<T> {
  return { ...page, loading: true, error: undefined };
}

/**
 * Adds a fetched page. A short page ends the list; so does a page that brings nothing new (a server
 * that ignores the cursor must not make "Load more" loop on the same page). Repeats are dropped.
 */
export function appendPage<T extends { id: string }>(page: PageState<T>, fetched: readonly T[], pageSize: number): PageState<T> {
  const known = new Set(page.items.map((s) => s.id));
  const fresh: T[] = [];
  for (const item of fetched) {
    if (!known.has(item.id)) {
      known.add(item.id);
      fresh.push(item);
    }
  }
  return {
    items: [...page.items, ...fresh],
    cursor: fetched.at(-1)?.id ?? page.cursor,
    hasMore: fetched.length >= pageSize && fresh.length > 0,
    loading: false,
  };
}

/** A failed page keeps what was loaded and says why, so "Load more" can try again. */
export function failPage<T extends { id: string }>(page: PageState<T>, error: unknown): PageState<T> {
  return { ...page, loading: false, error: problemFor(error) };
}

/** Adds one item the user went looking for (Find Agent) if it is not listed yet; paging goes on as before. */
export function includeItem<T extends { id: string }>(page: PageState<T>, item: T): PageState<T> {
  return page.items.some((i) => i.id === item.id) ? page : { ...page, items: [...page.items, item] };
}

/** The list with `item` in place of the loaded item of the same ID (a step whose feedback changed); unchanged when it is not loaded. */
export function replaceItem<T extends { id: string }>(page: PageState<T>, item: T): PageState<T> {
  const index = page.items.findIndex((i) => i.id === item.id);
  if (index < 0) {
    return page;
  }
  const items = [...page.items];
  items[index] = item;
  return { ...page, items };
}

/** Fetches one page: `after` is the cursor (undefined for the first page). */
export type PageFetcher<T> = (after: string | undefined, limit: number) => Promise<T[]>;

/**
 * One paged list with its requests: a second "Load more" while one is in flight joins it, and a
 * reset while a page is in flight drops that page when it lands.
 */
export class PagedList<T extends { id: string }> {
  private current: PageState<T> = emptyPage();
  private flight: Promise<void> | undefined;
  private generation = 0;

  get state(): PageState<T> {
    return this.current;
  }

  reset(): void {
    this.generation++;
    this.flight = undefined;
    this.current = emptyPage();
  }

  include(item: T): void {
    this.current = includeItem(this.current, item);
  }

  /** Puts `item` in place of the loaded one of the same ID; false when it is not loaded. */
  replace(item: T): boolean {
    const before = this.current;
    this.current = replaceItem(before, item);
    return this.current !== before;
  }

  /** Loads the next page (or retries the failed one). `onStart` runs once the list shows it is loading. */
  loadNext(fetch: PageFetcher<T>, pageSize: number, onStart?: () => void): Promise<void> {
    if (this.flight) {
      return this.flight;
    }
    if (!this.current.hasMore && !this.current.error) {
      return Promise.resolve();
    }
    const generation = this.generation;
    const size = Math.max(1, Math.floor(pageSize));
    this.current = startLoading(this.current);
    onStart?.();
    const flight = (async () => {
      let next: PageState<T>;
      try {
        const fetched = await fetch(this.current.cursor, size);
        next = generation === this.generation ? appendPage(this.current, fetched, size) : this.current;
      } catch (e) {
        next = generation === this.generation ? failPage(this.current, e) : this.current;
      }
      if (generation === this.generation) {
        this.current = next;
        this.flight = undefined;
      }
    })();
    this.flight = flight;
    return flight;
  }
}

// ---------------------------------------------------------------------------------------------
// Step filters


/** Steps with a thumbs up, a thumbs down, or either. */
export type FeedbackFilter = 'positive' | 'negative' | 'any';

/**
 * An agent's step filter. `model` and `feedback` go to the server (`GET /v1/steps/?model=&feedback=`
 * or `has_feedback=true`); the server has no status or text filter, so those apply to the steps loaded so far.
 */
export interface StepFilter {
  model?: string;
  feedback?: FeedbackFilter;
  status?: StepStatus;
  /** Case-insensitive, on the step ID, model, status, stop reason and error type. */
  text?: string;
}

const FEEDBACK_FILTERS: readonly unknown[] = ['positive', 'negative', 'any'];

/** A filter given as a command argument: only known fields, each of the right kind. */
export function isStepFilter(value: unknown): value is StepFilter {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const f = value as Record<string, unknown>;
  const text = (v: unknown) => v === undefined || typeof v === 'string';
  return (
    Object.keys(f).every((k) => ['model', 'feedback', 'status', 'text'].includes(k)) &&
    text(f.model) &&
    text(f.text) &&
    (f.feedback === undefined || FEEDBACK_FILTERS.includes(f.feedback)) &&
    (f.status === undefined || (STEP_STATUSES as readonly unknown[]).includes(f.status))
  );
}

export function isFilterActive(filter: StepFilter | undefined): boolean {
  return Boolean(filter && (filter.model || filter.feedback || filter.status || filter.text));
}

/** True when the part of the filter the server applies differs (the loaded steps no longer fit). */
export function serverFilterChanged(before: StepFilter | undefined, after: StepFilter | undefined): boolean {
  return (before?.model ?? '') !== (after?.model ?? '') || (before?.feedback ?? '') !== (after?.feedback ?? '');
}

/** True when part of the filter is applied here rather than by the server. */
export function filtersLocally(filter: StepFilter | undefined): boolean {
  return Boolean(filter && (filter.status || filter.text));
}

export function matchesFilter(step: Step, filter: StepFilter | undefined): boolean {
  if (!filter) {
    return true;
  }
  if (filter.model && step.model !== filter.model && step.model_handle !== filter.model) {
    return false;
  }
  if (filter.status && step.status !== filter.status) {
    return false;
  }
  if (filter.feedback && !matchesFeedback(step.feedback, filter.feedback)) {
    return false;
  }
  if (filter.text) {
    const needle = filter.text.toLowerCase();
    const hay = [step.id, step.model, step.model_handle, step.status, step.stop_reason, step.error_type, step.provider_name];
    if (!hay.some((v) => typeof v === 'string' && v.toLowerCase().includes(needle))) {
      return false;
    }
  }
  return true;
}

/** A step's feedback against the filter (a step updated here after the page was loaded is checked again). */
function matchesFeedback(value: Step['feedback'], filter: FeedbackFilter): boolean {
  return filter === 'any' ? value === 'positive' || value === 'negative' : value === filter;
}

const feedbackWord = (f: FeedbackFilter): string => (f === 'positive' ? '👍' : f === 'negative' ? '👎' : l10n.t('any feedback'));

/** `model gpt-4o · 👍 · failed · "timeout"`, for the agent's description. */
export function describeFilter(filter: StepFilter | undefined): string | undefined {
  if (!isFilterActive(filter) || !filter) {
    return undefined;
  }
  return [filter.model ? l10n.t('model {0}', filter.model) : undefined, filter.feedback ? feedbackWord(filter.feedback) : undefined, filter.status, filter.text ? `"${filter.text}"` : undefined]
    .filter(Boolean)
    .join(' · ');
}

/** One page of an agent's steps as `LettaApi.listSteps` takes it. */
export interface StepsQuery {
  agentId: string;
  after?: string;
  limit: number;
  order: 'desc';
  model?: string;
  feedback?: 'positive' | 'negative';
  hasFeedback?: boolean;
}

/** The query for one page of an agent's steps: newest first, after the cursor, the server-side filter. */
export function stepsQuery(agentId: string, after: string | undefined, limit: number, filter: StepFilter | undefined): StepsQuery {
  const feedback = filter?.feedback;
  return {
    agentId,
    ...(after ? { after } : {}),
    limit,
    order: 'desc',
    ...(filter?.model ? { model: filter.model } : {}),
    ...(feedback === 'positive' || feedback === 'negative' ? { feedback } : feedback === 'any' ? { hasFeedback: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Rows: what a list shows under its parent

export type ListRow<T> =
  | { kind: 'item'; item: T }
  /** "Load more…"; `matching`/`loaded` tell how many loaded steps a local filter let through. */
  | { kind: 'more'; loaded: number; matching?: number }
  | { kind: 'loading' }
  | { kind: 'problem'; problem: Problem }
  | { kind: 'empty'; message: string };

/** An agent's step rows: the (filtered) steps, then one of Loading, the failure, Load more, or "no steps". */
export function stepRows(page: PageState<Step>, filter?: StepFilter): ListRow<Step>[] {
  const steps = page.items.filter((s) => matchesFilter(s, filter));
  const rows: ListRow<Step>[] = steps.map((item) => ({ kind: 'item', item }));
  const local = filtersLocally(filter);
  if (page.loading) {
    rows.push({ kind: 'loading' });
  } else if (page.error) {
    rows.push({ kind: 'problem', problem: page.error });
  } else if (page.hasMore) {
    rows.push(local ? { kind: 'more', loaded: page.items.length, matching: steps.length } : { kind: 'more', loaded: page.items.length });
  } else if (steps.length === 0) {
    rows.push({ kind: 'empty', message: isFilterActive(filter) ? l10n.t('No steps match the filter.') : l10n.t('No steps yet.') });
  }
  return rows;
}

/** A list's rows: its items, then one of Loading, the failure, Load more, or `emptyMessage`. */
export function pageRows<T extends { id: string }>(page: PageState<T>, emptyMessage: string): ListRow<T>[] {
  const rows: ListRow<T>[] = page.items.map((item) => ({ kind: 'item', item }));
  if (page.loading) {
    rows.push({ kind: 'loading' });
  } else if (page.error) {
    rows.push({ kind: 'problem', problem: page.error });
  } else if (page.hasMore && page.items.length > 0) {
    rows.push({ kind: 'more', loaded: page.items.length });
  } else if (page.items.length === 0) {
    rows.push({ kind: 'empty', message: emptyMessage });
  }
  return rows;
}

/** The agent rows: the agents, then one of Loading, the failure, Load more, or "no agents". */
export function agentRows<T extends { id: string }>(page: PageState<T>): ListRow<T>[] {
  return pageRows(page, l10n.t('No agents on this server.'));
}

// ---------------------------------------------------------------------------------------------
// Failures

/** The one item a view shows for a failure, with the command that fixes it. */
export interface Problem {
  message: string;
  fix?: { command: string; title: string };
  /** The server did not answer at all (so the Server view shows its welcome text: Retry, Change Server). */
  unreachable?: boolean;
}

/** A failure that already knows what to tell the user (e.g. no key is set). */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

/** No key is stored for the server (and it did not answer without one). */
export function noKeyProblem(): Problem {
  return { message: l10n.t('No API key is set for this server.'), fix: { command: 'letta.setApiKey', title: l10n.t('Set API Key') } };
}

export function problemFor(error: unknown): Problem {
  if (error instanceof ProblemError) {
    return error.problem;
  }
  const message = errorMessage(error);
  if (!isLettaApiError(error)) {
    return { message, fix: { command: 'letta.refreshTree', title: l10n.t('Refresh') } };
  }
  switch (error.kind) {
    case 'unauthorized':
      return { message: l10n.t('The server rejected the API key.'), fix: { command: 'letta.setApiKey', title: l10n.t('Set API Key') } };
    case 'network':
    case 'timeout':
      return { message, fix: { command: 'letta.changeServer', title: l10n.t('Change Server') }, unreachable: true };
    case 'bad-response':
    case 'not-found':
      return { message, fix: { command: 'letta.changeServer', title: l10n.t('Change Server') } };
    default:
      return { message, fix: { command: 'letta.refreshTree', title: l10n.t('Refresh') } };
  }
}

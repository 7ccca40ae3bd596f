/**
 * The sidebar's data, without VS Code: the Recent and Pinned lists (kept across restarts, so bounded
 * and validated when read back), and each agent's steps, fetched page by page. Pure.
 */
import { isLettaApiError, type LettaApiErrorKind } from './lettaApi';
import type { Step } from './lettaTypes';
import { isStepId } from './stepIds';

/** What the Traces view remembers of a step: enough for a label, never a secret. */
export interface TraceEntry {
  stepId: string;
  /** The server it came from, or undefined for a file. */
  origin?: string;
  model?: string;
  createdAt?: string;
  totalTokens?: number;
  status?: string;
  /** When it was opened, ms since the epoch. */
  openedAt: number;
}

/** Pinned entries are never evicted; this caps them only against runaway state. */
export const MAX_PINNED = 200;

/** Puts `entry` first, removes its older copy, and keeps at most `limit`. */
export function addRecent(list: readonly TraceEntry[], entry: TraceEntry, limit: number): TraceEntry[] {
  return [entry, ...list.filter((e) => e.stepId !== entry.stepId)].slice(0, Math.max(0, limit));
}

export function removeEntry(list: readonly TraceEntry[], stepId: string): TraceEntry[] {
  return list.filter((e) => e.stepId !== stepId);
}

/** Pins `entry` (most recently pinned first); already pinned ones keep their place. */
export function pin(list: readonly TraceEntry[], entry: TraceEntry): TraceEntry[] {
  return list.some((e) => e.stepId === entry.stepId) ? [...list] : [entry, ...list].slice(0, MAX_PINNED);
}

/** Reads a list back from storage, dropping anything malformed (state can be edited or corrupt). */
export function readEntries(stored: unknown, limit: number): TraceEntry[] {
  if (!Array.isArray(stored)) {
    return [];
  }
  const seen = new Set<string>();
  const out: TraceEntry[] = [];
  for (const raw of stored) {
    if (typeof raw !== 'object' || raw === null) {
      continue;
    }
    const e = raw as Record<string, unknown>;
    if (typeof e.stepId !== 'string' || !isStepId(e.stepId) || seen.has(e.stepId)) {
      continue;
    }
    seen.add(e.stepId);
    out.push({
      stepId: e.stepId,
      origin: str(e.origin),
      model: str(e.model),
      createdAt: str(e.createdAt),
      totalTokens: typeof e.totalTokens === 'number' ? e.totalTokens : undefined,
      status: str(e.status),
      openedAt: typeof e.openedAt === 'number' ? e.openedAt : 0,
    });
    if (out.length >= limit) {
      break;
    }
  }
  return out;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 200 ? value : undefined;
}

/** One agent's steps as loaded so far. */
export interface StepPage {
  steps: Step[];
  /** More may exist after the last one. */
  hasMore: boolean;
  error?: string;
}

export const EMPTY_PAGE: StepPage = { steps: [], hasMore: true };

/** The query for the next page: newest first, after the last step loaded. */
export function nextPageQuery(page: StepPage, pageSize: number): { after?: string; limit: number; order: 'desc' } {
  const last = page.steps.at(-1);
  return { ...(last ? { after: last.id } : {}), limit: pageSize, order: 'desc' };
}

/** Adds a fetched page; a full page means there may be more. Steps already listed are not repeated. */
export function appendPage(page: StepPage, fetched: readonly Step[], pageSize: number): StepPage {
  const known = new Set(page.steps.map((s) => s.id));
  return { steps: [...page.steps, ...fetched.filter((s) => !known.has(s.id))], hasMore: fetched.length >= pageSize };
}

/** A failed page keeps what was loaded and says why, so "Load more" can try again. */
export function failPage(page: StepPage, error: unknown): StepPage {
  return { ...page, error: problemFor(error).message };
}

/** The one item a view shows for a failure, with the command that fixes it. */
export interface Problem {
  message: string;
  fix?: { command: string; title: string };
}

export function problemFor(error: unknown): Problem {
  const kind: LettaApiErrorKind | undefined = isLettaApiError(error) ? error.kind : undefined;
  const message = error instanceof Error ? error.message : String(error);
  switch (kind) {
    case 'unauthorized':
      return { message, fix: { command: 'letta.setApiKey', title: 'Set API Key' } };
    case 'network':
    case 'timeout':
    case 'bad-response':
      return { message, fix: { command: 'letta.changeServer', title: 'Change Server' } };
    default:
      return { message, fix: { command: 'letta.refreshTree', title: 'Refresh' } };
  }
}

/** Status icon names (codicons) for a step's status. */
export function statusIcon(status: string | null | undefined): string {
  switch (status) {
    case 'success':
      return 'pass';
    case 'failed':
      return 'error';
    case 'cancelled':
      return 'circle-slash';
    case 'pending':
      return 'loading~spin';
    default:
      return 'circle-outline';
  }
}

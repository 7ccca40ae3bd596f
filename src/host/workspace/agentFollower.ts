/**
 * One workspace agent, followed live: its record (name, model) and latest runs, read from the
 * configured server with the user's key; new runs polled with the list's `after` cursor while
 * `active` (the view visible and the window focused), through a `PollScheduler`.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { isLettaApiError, type LettaApi } from '../../core/lettaApi';
import type { Agent, Run } from '../../core/lettaTypes';
import { mergeRuns, pollCursor } from '../../core/workspace/agentRuns';
import { PollScheduler, type PollOutcome } from '../../core/workspace/pollScheduler';

export const RUNS_SHOWN = 10;

export type AgentState =
  | { kind: 'loading' }
  | { kind: 'ok'; agent: Agent }
  /** The configured server answered 404: it does not know this agent. */
  | { kind: 'unknown' }
  /** No client (no key, consent, bad URL): the view says what is in the way. */
  | { kind: 'blocked' }
  | { kind: 'error'; message: string };

export interface FollowerDeps {
  getApi: () => Promise<LettaApi | undefined>;
  log: vscode.LogOutputChannel;
  intervalMs: number;
  /** Before each poll: a cheap local check (the project file may have changed unseen by the watcher). */
  beforePoll?: () => Promise<void>;
  /** A run failed since the last poll (never for history read on first load). */
  onFailedRun: (agentId: string, run: Run) => void;
  onDidChange: () => void;
}

export class AgentFollower implements vscode.Disposable {
  state: AgentState = { kind: 'loading' };
  runs: Run[] = [];
  /** Set when reading the runs failed; cleared by the next success. */
  runsError: string | undefined;
  private readonly scheduler: PollScheduler;
  private loaded: Promise<void> | undefined;
  /** Polls started, for the diagnostics of the tests. */
  polls = 0;
  private disposed = false;

  constructor(
    readonly agentId: string,
    private readonly deps: FollowerDeps,
  ) {
    this.scheduler = new PollScheduler({
      clock: { now: () => Date.now(), setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
      intervalMs: deps.intervalMs,
      poll: () => this.poll(),
    });
  }

  /** The first read: the agent and its newest runs. Once; `reload` reads again. */
  load(): Promise<void> {
    this.loaded ??= this.readAll();
    return this.loaded;
  }

  reload(): Promise<void> {
    this.loaded = this.readAll();
    return this.loaded;
  }

  setActive(active: boolean): void {
    this.scheduler.setActive(active && this.state.kind === 'ok');
  }

  setInterval(ms: number): void {
    this.scheduler.setInterval(ms);
  }

  /** True while polls are scheduled. */
  get polling(): boolean {
    return this.scheduler.isActive;
  }

  get agentName(): string | undefined {
    return this.state.kind === 'ok' ? (this.state.agent.name ?? undefined) : undefined;
  }

  private async readAll(): Promise<void> {
    const api = await this.deps.getApi();
    if (this.disposed) {
      return;
    }
    if (!api) {
      this.state = { kind: 'blocked' };
      this.deps.onDidChange();
      return;
    }
    try {
      const agent = await api.getAgent(this.agentId, { timeoutMs: 15_000 });
      this.state = { kind: 'ok', agent };
    } catch (e) {
      this.state = isLettaApiError(e, 'not-found') ? { kind: 'unknown' } : { kind: 'error', message: errorMessage(e) };
      this.deps.log.info(`Workspace agent ${this.agentId}: ${errorMessage(e)}`);
      this.deps.onDidChange();
      return;
    }
    try {
      const runs = await api.listRuns({ agentId: this.agentId, limit: RUNS_SHOWN }, { timeoutMs: 15_000 });
      this.runs = mergeRuns([], runs, RUNS_SHOWN, true).runs;
      this.runsError = undefined;
      this.scheduler.noteFetched();
    } catch (e) {
      this.runsError = errorMessage(e);
    }
    if (!this.disposed) {
      this.deps.onDidChange();
    }
  }

  /** One poll: the runs after the cursor, oldest first, merged on top. */
  private async poll(): Promise<PollOutcome> {
    this.polls++;
    await this.deps.beforePoll?.();
    const api = await this.deps.getApi();
    if (!api || this.disposed) {
      return { ok: false };
    }
    const after = pollCursor(this.runs);
    try {
      const fresh = await api.listRuns(after ? { agentId: this.agentId, after, order: 'asc', limit: 50 } : { agentId: this.agentId, limit: RUNS_SHOWN }, { maxRetries: 0, timeoutMs: 15_000 });
      if (this.disposed) {
        return { ok: true };
      }
      const update = mergeRuns(this.runs, fresh, RUNS_SHOWN);
      const changed = update.added.length > 0 || fresh.some((r) => this.runs.find((k) => k.id === r.id)?.status !== r.status);
      this.runs = update.runs;
      const hadError = this.runsError !== undefined;
      this.runsError = undefined;
      for (const run of update.newlyFailed) {
        this.deps.onFailedRun(this.agentId, run);
      }
      if (changed || hadError) {
        this.deps.onDidChange();
      }
      return { ok: true };
    } catch (e) {
      this.deps.log.debug(`Polling the runs of ${this.agentId}: ${errorMessage(e)}`);
      if (isLettaApiError(e, 'rate-limited')) {
        return { ok: false, rateLimited: true, retryAfterMs: e.details.retryAfterMs };
      }
      return { ok: false };
    }
  }

  dispose(): void {
    this.disposed = true;
    this.scheduler.dispose();
  }
}

/** The model an agent uses, as the sidebar names it. */
export function agentModel(agent: Agent): string | undefined {
  return agent.model ?? agent.llm_config?.handle ?? agent.llm_config?.model ?? undefined;
}

/**
 * The Server view: which server it reads, that server's agents, and each agent's steps newest first,
 * a page at a time. It never asks for a key itself; with none it stays empty and its welcome text
 * offers Set API Key.
 */
import * as vscode from 'vscode';
import type { LettaApi } from '../../core/lettaApi';
import type { Agent, Run, Step } from '../../core/lettaTypes';
import type { RunStepCounts } from '../../core/runs/runStepCounts';
import { runRows } from '../../core/sidebar/runLabels';
import { errorMessage } from '../../core/errorMessage';
import { summaryOfStep } from '../../core/stepSummary';
import {
  agentRows, isFilterActive, isUnloaded, noKeyProblem, PagedList, problemFor, ProblemError, serverFilterChanged, stepRows, stepsQuery,
  type ListRow, type Problem, type StepFilter,
} from '../../core/sidebar/treeModel';
import { accessFix, type ServerAccess } from '../../core/serverAccess';
import type { ApiProvider, TraceStore } from '../contracts';
import { metricsStepCounts } from './runStepCounts';
import { partNodes, treeItem, type AgentNode, type RunNode, type RunsNode, type StepNode, type TreeNode } from './treeItems';

/** The `letta.serverState` context key: which welcome text (if any) the empty view shows. */
export type ServerState = 'loading' | 'noKey' | 'consentNeeded' | 'badUrl' | 'unreachable' | 'error' | 'ready';

const BLOCKED_STATES: Record<Exclude<ServerAccess['kind'], 'ready'>, ServerState> = { 'no-key': 'noKey', 'consent-needed': 'consentNeeded', 'bad-url': 'badUrl' };

export class ServerProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private agents = new PagedList<Agent>();
  private steps = new Map<string, PagedList<Step>>();
  /** Same object per agent while the list lives: `reveal` and change events find elements by identity. */
  private agentNodes = new Map<string, AgentNode>();
  private readonly filterMap = new Map<string, StepFilter>();
  private state: ServerState | undefined;
  /** Each agent's runs, newest first, a page at a time. */
  private runs = new Map<string, PagedList<Run>>();
  private runsNodes = new Map<string, RunsNode>();
  /** A run's steps in order, read when it is expanded (a run's steps do not change once it is done). */
  private runSteps = new Map<string, Promise<Step[] | ProblemError>>();
  /** Steps per run, from its metrics, read when its row is first drawn. */
  private readonly stepCounts: RunStepCounts;

  constructor(
    private readonly api: ApiProvider,
    private readonly store: TraceStore,
    private readonly isPinned: (stepId: string) => boolean,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.stepCounts = metricsStepCounts(api, log, (runIds) => this.fireRunsOf(runIds));
  }

  dispose(): void {
    this.stepCounts.dispose();
    this.changed.dispose();
  }

  get serverState(): ServerState | undefined {
    return this.state;
  }

  get filters(): ReadonlyMap<string, StepFilter> {
    return this.filterMap;
  }

  /** Forgets everything loaded (the server, its key or the settings changed, or Refresh). */
  refresh(options: { keepFilters?: boolean } = {}): void {
    this.agents.reset();
    this.steps = new Map();
    this.agentNodes = new Map();
    this.runs = new Map();
    this.runsNodes = new Map();
    this.runSteps = new Map();
    this.stepCounts.clear();
    if (!options.keepFilters) {
      this.filterMap.clear();
    }
    this.changed.fire(undefined);
  }

  /** Redraws (pin state, labels) without reloading anything. */
  redraw(): void {
    this.changed.fire(undefined);
  }

  agentNode(agentId: string): AgentNode | undefined {
    return this.agentNodes.get(agentId);
  }

  /** The steps loaded so far for an agent (for pinning a step with its details, and filter choices). */
  loadedSteps(agentId?: string): Step[] {
    const lists = agentId ? [this.steps.get(agentId)] : [...this.steps.values()];
    return lists.flatMap((l) => l?.state.items ?? []);
  }

  loadedAgents(): readonly Agent[] {
    return this.agents.state.items;
  }

  get agentsPage() {
    return this.agents.state;
  }

  setFilter(agentId: string, filter: StepFilter): void {
    const before = this.filterMap.get(agentId);
    if (isFilterActive(filter)) {
      this.filterMap.set(agentId, filter);
    } else {
      this.filterMap.delete(agentId);
    }
    // Only the model and feedback go to the server; a status or text filter applies to what is loaded.
    if (serverFilterChanged(before, filter)) {
      this.steps.delete(agentId);
    }
    this.fireAgent(agentId);
  }

  /**
   * A step the server updated (its feedback): the loaded copy takes its fields and its agent's rows
   * redraw. Feedback is part of the server's filter, so a filtered list checks the step again.
   */
  updateStep(step: Step): void {
    for (const [agentId, list] of this.steps) {
      const old = list.state.items.find((s) => s.id === step.id);
      if (old && list.replace({ ...old, ...step })) {
        this.fireAgent(agentId);
      }
    }
  }

  /** Adds an agent found by name (Find Agent) to the list, so it can be revealed. */
  include(agent: Agent): AgentNode {
    this.agents.include(agent);
    return this.nodeFor(agent);
  }

  /** The next page of agents. */
  async loadMoreAgents(client?: LettaApi): Promise<void> {
    const api = client ?? (await this.api.getApi({ prompt: false }));
    if (!api) {
      this.changed.fire(undefined);
      return;
    }
    await this.agents.loadNext((after, limit) => api.listAgents({ ...(after ? { after } : {}), limit }), this.pageSize, () => this.changed.fire(undefined));
    this.changed.fire(undefined);
  }

  /** The next page of an agent's steps (or a retry of the failed one). */
  async loadMoreSteps(agentId: string): Promise<void> {
    await this.stepList(agentId).loadNext(this.stepFetcher(agentId), this.pageSize, () => this.fireAgent(agentId));
    this.fireAgent(agentId);
  }

  /** The next page of an agent's runs (or a retry of the failed one). */
  async loadMoreRuns(agentId: string): Promise<void> {
    await this.runList(agentId).loadNext(this.runFetcher(agentId), this.pageSize, () => this.fireRuns(agentId));
    this.fireRuns(agentId);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return treeItem(node, this.filterMap);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.kind === 'runs') {
      return this.agentNodes.get(node.agentId);
    }
    if (node.kind === 'run') {
      return this.runsNodes.get(node.agentId);
    }
    if (node.kind === 'step') {
      const agentId = node.summary.agentId;
      return agentId ? this.agentNodes.get(agentId) : undefined;
    }
    return undefined;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      return this.rootChildren();
    }
    if (node.kind === 'agent') {
      return [this.runsNodeFor(node.agentId), ...(await this.agentChildren(node.agentId))];
    }
    if (node.kind === 'runs') {
      return this.runChildren(node.agentId);
    }
    if (node.kind === 'run') {
      return this.runStepChildren(node);
    }
    return node.kind === 'step' ? partNodes(node) : [];
  }

  private get pageSize(): number {
    const n = vscode.workspace.getConfiguration('letta').get<number>('stepsPageSize', 25);
    return Math.max(1, Math.min(100, Number.isFinite(n) ? Math.floor(n) : 25));
  }

  private async rootChildren(): Promise<TreeNode[]> {
    const access = await this.api.access();
    const client = access.kind === 'ready' ? await this.api.getApi({ prompt: false }) : undefined;
    if (!client) {
      // Each blocked state has its own welcome text and button (Set API Key, the http consent, Change Server).
      this.setState(access.kind === 'ready' ? 'noKey' : BLOCKED_STATES[access.kind]);
      return [];
    }
    if (isUnloaded(this.agents.state)) {
      this.setState('loading');
      await this.agents.loadNext((after, limit) => client.listAgents({ ...(after ? { after } : {}), limit }), this.pageSize);
    }
    const page = this.agents.state;
    if (page.error) {
      this.log.warn(`Server view: ${page.error.message}`);
    }
    if (page.error?.unreachable && page.items.length === 0) {
      this.setState('unreachable');
      return []; // the welcome text offers Retry and Change Server
    }
    this.setState(page.error ? 'error' : 'ready');
    const origin = client.origin || this.api.origin;
    const rows: TreeNode[] = [{ kind: 'server', id: 'server', origin }];
    for (const row of agentRows(page)) {
      rows.push(row.kind === 'item' ? this.nodeFor(row.item) : this.rowNode(row, 'agents'));
    }
    return rows;
  }

  private async agentChildren(agentId: string): Promise<TreeNode[]> {
    const list = this.stepList(agentId);
    if (isUnloaded(list.state)) {
      await list.loadNext(this.stepFetcher(agentId), this.pageSize);
    }
    const origin = this.api.origin;
    return stepRows(list.state, this.filterMap.get(agentId)).map((row): TreeNode => {
      if (row.kind !== 'item') {
        return this.rowNode(row, `agent/${agentId}`, agentId);
      }
      const step = row.item;
      const summary = { ...summaryOfStep(step, this.store.peek(step.id)?.trace), agentId: step.agent_id ?? agentId, origin };
      return { kind: 'step', id: `agent/${agentId}/${step.id}`, stepId: step.id, summary, pinned: this.isPinned(step.id), recent: false } satisfies StepNode;
    });
  }

  private runsNodeFor(agentId: string): RunsNode {
    let node = this.runsNodes.get(agentId);
    if (!node) {
      node = { kind: 'runs', id: `agent/${agentId}/runs`, agentId };
      this.runsNodes.set(agentId, node);
    }
    return node;
  }

  private async runChildren(agentId: string): Promise<TreeNode[]> {
    const list = this.runList(agentId);
    if (isUnloaded(list.state)) {
      await list.loadNext(this.runFetcher(agentId), this.pageSize);
    }
    return runRows(list.state).map((row): TreeNode => {
      if (row.kind !== 'item') {
        return this.rowNode(row, `agent/${agentId}/runs`, agentId, 'runs');
      }
      const run = row.item;
      const steps = this.stepCounts.get(run);
      return { kind: 'run', id: `agent/${agentId}/runs/${run.id}`, runId: run.id, agentId, run, ...(steps !== undefined ? { steps } : {}) } satisfies RunNode;
    });
  }

  private async runStepChildren(node: RunNode): Promise<TreeNode[]> {
    let pending = this.runSteps.get(node.runId);
    if (!pending) {
      pending = (async () => {
        const client = await this.api.getApi({ prompt: false });
        if (!client) {
          return new ProblemError(noKeyProblem());
        }
        try {
          return (await client.listRunSteps(node.runId)).steps;
        } catch (e) {
          this.log.warn(`Server view: the steps of ${node.runId}: ${errorMessage(e)}`);
          return new ProblemError(problemFor(e));
        }
      })();
      this.runSteps.set(node.runId, pending);
    }
    const steps = await pending;
    const prefix = node.id;
    if (steps instanceof ProblemError) {
      // Forgotten, so expanding the run again retries.
      this.runSteps.delete(node.runId);
      return [{ kind: 'problem', id: `${prefix}/problem`, problem: steps.problem }];
    }
    this.stepCounts.set(node.run, steps.length);
    if (steps.length === 0) {
      return [{ kind: 'empty', id: `${prefix}/empty`, message: vscode.l10n.t('No steps in this run.') }];
    }
    const origin = this.api.origin;
    return steps.map((step): StepNode => {
      const summary = { ...summaryOfStep(step, this.store.peek(step.id)?.trace), agentId: step.agent_id ?? node.agentId, origin };
      return { kind: 'step', id: `${prefix}/${step.id}`, stepId: step.id, summary, pinned: this.isPinned(step.id), recent: false };
    });
  }

  /** Redraws the runs lists that hold these runs (their step counts arrived). */
  private fireRunsOf(runIds: readonly string[]): void {
    const ids = new Set(runIds);
    for (const [agentId, list] of this.runs) {
      if (list.state.items.some((r) => ids.has(r.id))) {
        this.fireRuns(agentId);
      }
    }
  }

  private runList(agentId: string): PagedList<Run> {
    let list = this.runs.get(agentId);
    if (!list) {
      list = new PagedList<Run>();
      this.runs.set(agentId, list);
    }
    return list;
  }

  private runFetcher(agentId: string) {
    return async (after: string | undefined, limit: number): Promise<Run[]> => {
      const client = await this.api.getApi({ prompt: false });
      if (!client) {
        const access = await this.api.access();
        throw new ProblemError(access.kind === 'ready' ? noKeyProblem() : problemForAccess(access));
      }
      return client.listRuns({ agentId, ...(after ? { after } : {}), limit, order: 'desc' });
    };
  }

  private fireRuns(agentId: string): void {
    this.changed.fire(this.runsNodes.get(agentId));
  }

  private rowNode(row: Exclude<ListRow<unknown>, { kind: 'item' }>, prefix: string, agentId?: string, list?: 'runs'): TreeNode {
    switch (row.kind) {
      case 'more':
        return { kind: 'more', id: `${prefix}/more`, agentId, loaded: row.loaded, matching: row.matching, ...(list ? { list } : {}) };
      case 'loading':
        return { kind: 'loading', id: `${prefix}/loading` };
      case 'problem':
        return { kind: 'problem', id: `${prefix}/problem`, problem: row.problem, ...(list ? {} : { retryAgentId: agentId }) };
      case 'empty':
        return { kind: 'empty', id: `${prefix}/empty`, message: row.message };
    }
  }

  private nodeFor(agent: Agent): AgentNode {
    let node = this.agentNodes.get(agent.id);
    if (!node) {
      node = { kind: 'agent', id: `agent/${agent.id}`, agentId: agent.id, agent };
      this.agentNodes.set(agent.id, node);
    }
    return node;
  }

  private stepList(agentId: string): PagedList<Step> {
    let list = this.steps.get(agentId);
    if (!list) {
      list = new PagedList<Step>();
      this.steps.set(agentId, list);
    }
    return list;
  }

  private stepFetcher(agentId: string) {
    return async (after: string | undefined, limit: number): Promise<Step[]> => {
      const client = await this.api.getApi({ prompt: false });
      if (!client) {
        const access = await this.api.access();
        throw new ProblemError(access.kind === 'ready' ? noKeyProblem() : problemForAccess(access));
      }
      return client.listSteps(stepsQuery(agentId, after, limit, this.filterMap.get(agentId)));
    };
  }

  private fireAgent(agentId: string): void {
    this.changed.fire(this.agentNodes.get(agentId));
  }

  private setState(state: ServerState): void {
    if (state !== this.state) {
      this.state = state;
      void vscode.commands.executeCommand('setContext', 'letta.serverState', state);
    }
  }

}

/** The sidebar's problem row for a server that cannot be used as it is. */
function problemForAccess(access: Exclude<ServerAccess, { kind: 'ready' }>): Problem {
  const fix = accessFix(access);
  return { message: fix.message, fix: { command: fix.command, title: fix.title } };
}

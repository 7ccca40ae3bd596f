/**
 * The Server view: which server it reads, that server's agents, and each agent's steps newest first,
 * a page at a time. It never asks for a key itself; with none it stays empty and its welcome text
 * offers Set API Key.
 */
import * as vscode from 'vscode';
import type { LettaApi } from '../../core/lettaApi';
import type { Agent, Step } from '../../core/lettaTypes';
import { summaryOfStep } from '../../core/stepSummary';
import {
  agentRows, isFilterActive, isUnloaded, noKeyProblem, PagedList, ProblemError, serverFilterChanged, stepRows, stepsQuery,
  type ListRow, type Problem, type StepFilter,
} from '../../core/sidebar/treeModel';
import { accessFix, type ServerAccess } from '../../core/serverAccess';
import type { ApiProvider, TraceStore } from '../contracts';
import { partNodes, treeItem, type AgentNode, type StepNode, type TreeNode } from './treeItems';

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

  constructor(
    private readonly api: ApiProvider,
    private readonly store: TraceStore,
    private readonly isPinned: (stepId: string) => boolean,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  dispose(): void {
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

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return treeItem(node, this.filterMap);
  }

  getParent(node: TreeNode): TreeNode | undefined {
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
      return this.agentChildren(node.agentId);
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

  private rowNode(row: Exclude<ListRow<unknown>, { kind: 'item' }>, prefix: string, agentId?: string): TreeNode {
    switch (row.kind) {
      case 'more':
        return { kind: 'more', id: `${prefix}/more`, agentId, loaded: row.loaded, matching: row.matching };
      case 'loading':
        return { kind: 'loading', id: `${prefix}/loading` };
      case 'problem':
        return { kind: 'problem', id: `${prefix}/problem`, problem: row.problem, retryAgentId: agentId };
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

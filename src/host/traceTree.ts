/**
 * The Letta sidebar: "Traces" (Recent and Pinned, kept across restarts) and "Server" (the agents
 * of the configured server and their steps, page by page). Thin adapters over `core/treeModel`.
 */
import * as vscode from 'vscode';
import type { Agent, LoadedTrace, Step } from '../core/lettaTypes';
import { shortStepId } from '../core/stepIds';
import type { TracePart } from '../core/traceUri';
import {
  addRecent, appendPage, EMPTY_PAGE, failPage, nextPageQuery, pin, problemFor, readEntries, removeEntry, statusIcon,
  MAX_PINNED, type Problem, type StepPage, type TraceEntry,
} from '../core/treeModel';
import type { ApiProvider, TraceOpener, TraceStore } from './contracts';
import { formatStepSummary, formatTime, summaryFromLoaded, summaryFromStep } from './stepHoverSummary';
import { stepIdFromCommandArg } from './stepLinksCursor';

type Node =
  | { kind: 'group'; group: 'pinned' | 'recent' }
  | { kind: 'step'; stepId: string; entry?: TraceEntry; step?: Step; pinned: boolean; recent: boolean }
  | { kind: 'part'; stepId: string; part: TracePart }
  | { kind: 'agent'; agentId: string; agent: Agent }
  | { kind: 'more'; agentId: string }
  | { kind: 'problem'; problem: Problem };

const PARTS: { part: TracePart; label: string; command: string }[] = [
  { part: 'request', label: 'Request', command: 'letta.openRequestJson' },
  { part: 'response', label: 'Response', command: 'letta.openResponseJson' },
  { part: 'metadata', label: 'Metadata', command: 'letta.openMetadataJson' },
];

const RECENT_KEY = 'letta.recentTraces';
const PINNED_KEY = 'letta.pinnedTraces';

/** Recent and Pinned, persisted in globalState (step IDs and labels only: never a key). */
class TraceLists {
  constructor(private readonly state: vscode.Memento) {}

  private get limit(): number {
    return Math.max(0, Math.min(200, vscode.workspace.getConfiguration('letta').get<number>('recentLimit', 20)));
  }

  get recent(): TraceEntry[] {
    return readEntries(this.state.get(RECENT_KEY), this.limit);
  }

  get pinned(): TraceEntry[] {
    return readEntries(this.state.get(PINNED_KEY), MAX_PINNED);
  }

  isPinned(stepId: string): boolean {
    return this.pinned.some((e) => e.stepId === stepId);
  }

  async opened(entry: TraceEntry): Promise<void> {
    await this.state.update(RECENT_KEY, addRecent(this.recent, entry, this.limit));
  }

  async pin(entry: TraceEntry): Promise<void> {
    await this.state.update(PINNED_KEY, pin(this.pinned, entry));
  }

  async unpin(stepId: string): Promise<void> {
    await this.state.update(PINNED_KEY, removeEntry(this.pinned, stepId));
  }

  async remove(stepId: string): Promise<void> {
    await this.state.update(RECENT_KEY, removeEntry(this.recent, stepId));
  }

  async clear(): Promise<void> {
    await this.state.update(RECENT_KEY, []);
  }
}

function entryFromTrace(trace: LoadedTrace): TraceEntry {
  const summary = summaryFromLoaded(trace);
  return {
    stepId: trace.stepId,
    origin: trace.source.kind === 'server' ? trace.source.origin : undefined,
    model: summary.model,
    createdAt: summary.createdAt,
    totalTokens: summary.usage?.totalTokens ?? sum(summary.usage?.promptTokens, summary.usage?.completionTokens),
    status: summary.status,
    openedAt: Date.now(),
  };
}

function sum(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined ? a + b : undefined;
}

function stepItem(node: Extract<Node, { kind: 'step' }>): vscode.TreeItem {
  const summary = node.step ? summaryFromStep(node.step) : { model: node.entry?.model, status: node.entry?.status, createdAt: node.entry?.createdAt, usage: node.entry?.totalTokens !== undefined ? { totalTokens: node.entry.totalTokens } : undefined };
  const item = new vscode.TreeItem(shortStepId(node.stepId), vscode.TreeItemCollapsibleState.Collapsed);
  const time = summary.createdAt ? formatTime(summary.createdAt)?.slice(5, 16) : undefined;
  const tokens = summary.usage?.totalTokens ?? sum(summary.usage?.promptTokens, summary.usage?.completionTokens);
  item.description = [time, summary.model, tokens !== undefined ? `${tokens.toLocaleString('en-US')} tok` : undefined].filter(Boolean).join(' · ');
  item.tooltip = new vscode.MarkdownString([`**${node.stepId}**`, ...formatStepSummary(summary), node.entry?.origin ? `from ${node.entry.origin}` : undefined].filter(Boolean).join('  \n'));
  item.iconPath = new vscode.ThemeIcon(node.pinned ? 'pinned' : statusIcon(summary.status));
  item.contextValue = ['step', node.pinned ? 'pinned' : 'unpinned', node.recent ? 'recent' : ''].join(' ').trim();
  item.command = { command: 'letta.openStepTrace', title: 'Open Trace', arguments: [node.stepId] };
  return item;
}

function problemItem(problem: Problem): vscode.TreeItem {
  const item = new vscode.TreeItem(problem.message, vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon('warning');
  item.tooltip = problem.fix ? `${problem.message}\n\nClick: ${problem.fix.title}` : problem.message;
  item.contextValue = 'problem';
  if (problem.fix) {
    item.description = problem.fix.title;
    item.command = { command: problem.fix.command, title: problem.fix.title };
  }
  return item;
}

function partItems(stepId: string): Node[] {
  return PARTS.map(({ part }) => ({ kind: 'part', stepId, part }));
}

function partItem(node: Extract<Node, { kind: 'part' }>): vscode.TreeItem {
  const spec = PARTS.find((p) => p.part === node.part) ?? PARTS[0];
  const item = new vscode.TreeItem(spec.label, vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon('json');
  item.command = { command: spec.command, title: spec.label, arguments: [node.stepId] };
  item.contextValue = 'part';
  return item;
}

class TracesProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly lists: TraceLists) {}

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.group === 'pinned' ? 'Pinned' : 'Recent', vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon(node.group === 'pinned' ? 'pinned' : 'history');
      item.contextValue = `group-${node.group}`;
      return item;
    }
    return node.kind === 'step' ? stepItem(node) : node.kind === 'part' ? partItem(node) : new vscode.TreeItem('');
  }

  getChildren(node?: Node): Node[] {
    const { pinned, recent } = this.lists;
    if (!node) {
      // Empty lists give no items, so the view's welcome text shows.
      return [...(pinned.length ? [{ kind: 'group', group: 'pinned' } as const] : []), ...(recent.length ? [{ kind: 'group', group: 'recent' } as const] : [])];
    }
    if (node.kind === 'group') {
      const pinnedIds = new Set(pinned.map((e) => e.stepId));
      const list = node.group === 'pinned' ? pinned : recent;
      return list.map((entry) => ({ kind: 'step', stepId: entry.stepId, entry, pinned: pinnedIds.has(entry.stepId), recent: node.group === 'recent' }));
    }
    return node.kind === 'step' ? partItems(node.stepId) : [];
  }
}

class ServerProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private pages = new Map<string, StepPage>();
  private filters = new Map<string, string>();
  private agentNodes = new Map<string, Extract<Node, { kind: 'agent' }>>();

  constructor(
    private readonly api: ApiProvider,
    private readonly lists: TraceLists,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  refresh(): void {
    this.pages = new Map();
    this.agentNodes = new Map();
    this.changed.fire(undefined);
  }

  agentNode(agentId: string): Extract<Node, { kind: 'agent' }> | undefined {
    return this.agentNodes.get(agentId);
  }

  setFilter(agentId: string, model: string | undefined): void {
    if (model) {
      this.filters.set(agentId, model);
    } else {
      this.filters.delete(agentId);
    }
    this.pages.delete(agentId);
    this.changed.fire(this.agentNodes.get(agentId));
  }

  async loadMore(agentId: string): Promise<void> {
    await this.fetchPage(agentId);
    this.changed.fire(this.agentNodes.get(agentId));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'agent': {
        const item = new vscode.TreeItem(node.agent.name ?? node.agentId, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `agent:${node.agentId}`;
        const filter = this.filters.get(node.agentId);
        item.description = [node.agent.llm_config?.model ?? node.agent.model, filter ? `filter: ${filter}` : undefined].filter(Boolean).join(' · ');
        item.tooltip = `${node.agent.name ?? ''}\n${node.agentId}`;
        item.iconPath = new vscode.ThemeIcon('hubot');
        item.contextValue = 'agent';
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('more');
        item.command = { command: 'letta.loadMoreSteps', title: 'Load More Steps', arguments: [node.agentId] };
        item.contextValue = 'more';
        return item;
      }
      case 'problem':
        return problemItem(node.problem);
      case 'step':
        return stepItem(node);
      case 'part':
        return partItem(node);
      default:
        return new vscode.TreeItem('');
    }
  }

  getParent(node: Node): Node | undefined {
    return node.kind === 'step' && node.step?.agent_id ? this.agentNodes.get(node.step.agent_id) : undefined;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      return this.agents();
    }
    if (node.kind === 'agent') {
      if (!this.pages.has(node.agentId)) {
        await this.fetchPage(node.agentId);
      }
      const page = this.pages.get(node.agentId) ?? EMPTY_PAGE;
      const pinned = new Set(this.lists.pinned.map((e) => e.stepId));
      const steps: Node[] = page.steps.map((step) => ({ kind: 'step', stepId: step.id, step, pinned: pinned.has(step.id), recent: false }));
      if (page.error) {
        steps.push({ kind: 'problem', problem: { message: page.error, fix: { command: 'letta.loadMoreSteps', title: 'Retry' } } });
      } else if (page.hasMore) {
        steps.push({ kind: 'more', agentId: node.agentId });
      }
      return steps;
    }
    return node.kind === 'step' ? partItems(node.stepId) : [];
  }

  private async agents(): Promise<Node[]> {
    const api = await this.api.getApi({ prompt: false });
    await vscode.commands.executeCommand('setContext', 'letta.serverState', api ? 'ready' : 'noKey');
    if (!api) {
      return []; // the welcome view offers Set API Key / Change Server
    }
    try {
      const agents = await api.listAgents({ limit: 100 });
      this.agentNodes = new Map(agents.map((agent) => [agent.id, { kind: 'agent', agentId: agent.id, agent } as const]));
      if (agents.length === 0) {
        return [{ kind: 'problem', problem: { message: `No agents on ${api.origin}.`, fix: { command: 'letta.refreshTree', title: 'Refresh' } } }];
      }
      return [...this.agentNodes.values()];
    } catch (e) {
      this.log.warn(`Server view: ${e instanceof Error ? e.message : String(e)}`);
      return [{ kind: 'problem', problem: problemFor(e) }];
    }
  }

  private async fetchPage(agentId: string): Promise<void> {
    const page = this.pages.get(agentId) ?? EMPTY_PAGE;
    const pageSize = Math.max(1, Math.min(100, vscode.workspace.getConfiguration('letta').get<number>('stepsPageSize', 25)));
    const api = await this.api.getApi({ prompt: false });
    if (!api) {
      this.pages.set(agentId, failPage(page, new Error('No API key for this server.')));
      return;
    }
    try {
      const fetched = await api.listSteps({ agentId, model: this.filters.get(agentId), ...nextPageQuery({ ...page, error: undefined }, pageSize) });
      this.pages.set(agentId, appendPage(page, fetched, pageSize));
    } catch (e) {
      this.pages.set(agentId, failPage(page, e));
    }
  }
}

/** Registers both views and their commands. */
export function registerTraceTree(
  context: vscode.ExtensionContext,
  deps: { log: vscode.LogOutputChannel; store: TraceStore; api: ApiProvider; opener: TraceOpener },
): { traces: vscode.TreeDataProvider<unknown>; server: vscode.TreeDataProvider<unknown> } {
  const { log, store, api } = deps;
  const lists = new TraceLists(context.globalState);
  const traces = new TracesProvider(lists);
  const server = new ServerProvider(api, lists, log);
  const tracesView = vscode.window.createTreeView('letta.traces', { treeDataProvider: traces, showCollapseAll: true });
  const serverView = vscode.window.createTreeView('letta.server', { treeDataProvider: server, showCollapseAll: true });
  const describeServer = () => {
    serverView.description = api.origin;
  };
  describeServer();

  const stepOf = (arg: unknown) => stepIdFromCommandArg(arg);
  const agentOf = (arg: unknown) => (typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null && 'agentId' in arg ? String(arg.agentId) : undefined);
  const entryFor = (stepId: string): TraceEntry => {
    const loaded = store.peek(stepId);
    return loaded ? entryFromTrace(loaded) : (lists.recent.find((e) => e.stepId === stepId) ?? { stepId, openedAt: Date.now() });
  };
  const refreshBoth = () => {
    traces.refresh();
    server.refresh();
  };

  context.subscriptions.push(
    tracesView,
    serverView,
    store.onDidOpenTrace((trace) => void lists.opened(entryFromTrace(trace)).then(() => traces.refresh())),
    api.onDidChange(() => {
      describeServer();
      server.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('letta.recentLimit') && traces.refresh()),
    vscode.commands.registerCommand('letta.pinStep', async (arg: unknown) => {
      const stepId = stepOf(arg);
      if (stepId) {
        await lists.pin(entryFor(stepId));
        refreshBoth();
      }
    }),
    vscode.commands.registerCommand('letta.unpinStep', async (arg: unknown) => {
      const stepId = stepOf(arg);
      if (stepId) {
        await lists.unpin(stepId);
        refreshBoth();
      }
    }),
    vscode.commands.registerCommand('letta.removeRecent', async (arg: unknown) => {
      const stepId = stepOf(arg);
      if (stepId) {
        await lists.remove(stepId);
        traces.refresh();
      }
    }),
    vscode.commands.registerCommand('letta.clearRecent', async () => {
      await lists.clear();
      traces.refresh();
    }),
    vscode.commands.registerCommand('letta.refreshTree', refreshBoth),
    vscode.commands.registerCommand('letta.loadMoreSteps', (arg: unknown) => {
      const agentId = agentOf(arg);
      return agentId ? server.loadMore(agentId) : undefined;
    }),
    vscode.commands.registerCommand('letta.copyAgentId', async (arg: unknown) => {
      const agentId = agentOf(arg);
      if (agentId) {
        await vscode.env.clipboard.writeText(agentId);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', agentId), 3000);
      }
    }),
    vscode.commands.registerCommand('letta.filterSteps', async (arg: unknown) => {
      const agentId = agentOf(arg);
      if (!agentId) {
        return;
      }
      const model = await vscode.window.showInputBox({
        title: vscode.l10n.t('Filter steps by model'),
        prompt: vscode.l10n.t('Show only steps made with this model (for example gpt-4.1-mini). Leave empty for all steps.'),
        value: '',
      });
      if (model !== undefined) {
        server.setFilter(agentId, model.trim() || undefined);
      }
    }),
    vscode.commands.registerCommand('letta.findAgent', async () => {
      const client = await api.getApi({ prompt: true });
      if (!client) {
        return;
      }
      try {
        const agents = await client.listAgents({ limit: 100 });
        const picked = await vscode.window.showQuickPick(
          agents.map((agent) => ({ label: agent.name ?? agent.id, description: agent.llm_config?.model ?? agent.model ?? undefined, detail: agent.id, agent })),
          { title: vscode.l10n.t('Find agent on {0}', client.origin), matchOnDetail: true },
        );
        if (picked) {
          await vscode.commands.executeCommand('letta.server.focus');
          await server.getChildren();
          const node = server.agentNode(picked.agent.id);
          if (node) {
            await serverView.reveal(node, { expand: true, select: true, focus: true });
          }
        }
      } catch (e) {
        void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
      }
    }),
  );
  return { traces, server };
}

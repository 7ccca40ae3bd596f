/**
 * The Letta sidebar: "Traces" (Recent and Pinned, kept across restarts) and "Server" (the agents of
 * the configured server and their steps, page by page), with the commands that act on their items.
 * The state lives in `core/treeModel`; the providers are in `traceTreeTraces` and `traceTreeServer`.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../core/errorMessage';
import type { LettaApi } from '../core/lettaApi';
import type { Agent } from '../core/lettaTypes';
import { describeStepIdProblem, parseStepIdInput } from '../core/stepIds';
import { entryFromInfo, stepInfoFromLoaded, stepInfoFromStep, type StepInfo } from '../core/tree/stepLabels';
import { MAX_PINNED, STEP_STATUSES, type StepFilter, type StepStatus, type TraceEntry } from '../core/treeModel';
import type { ApiProvider, TraceOpener, TraceStore } from './contracts';
import { stepIdFromCommandArg } from './stepLinksCursor';
import { LOAD_MORE_AGENTS, type TreeNode } from './traceTreeItems';
import { ServerProvider, type ServerState } from './traceTreeServer';
import { TraceLists, TracesProvider } from './traceTreeTraces';

/** What `registerTraceTree` hands back, for the integration tests. */
export interface TraceTree {
  traces: vscode.TreeDataProvider<unknown>;
  server: vscode.TreeDataProvider<unknown>;
  serverView: vscode.TreeView<unknown>;
  /** The `letta.serverState` context key as last set. */
  serverState(): ServerState | undefined;
}

/** Registers both views and their commands. */
export function registerTraceTree(
  context: vscode.ExtensionContext,
  deps: { log: vscode.LogOutputChannel; store: TraceStore; api: ApiProvider; opener: TraceOpener },
): TraceTree {
  const { log, store, api } = deps;
  const lists = new TraceLists(context.globalState);
  const traces = new TracesProvider(lists, store);
  const server = new ServerProvider(api, store, (id) => lists.isPinned(id), log);
  const tracesView = vscode.window.createTreeView<TreeNode>('letta.traces', { treeDataProvider: traces, showCollapseAll: true });
  const serverView = vscode.window.createTreeView<TreeNode>('letta.server', { treeDataProvider: server, showCollapseAll: true });
  let origin = api.origin;
  serverView.description = origin;

  const agentIdOf = (arg: unknown): string | undefined => {
    if (typeof arg === 'string') {
      return arg || undefined;
    }
    return typeof arg === 'object' && arg !== null && 'agentId' in arg && typeof arg.agentId === 'string' ? arg.agentId : undefined;
  };

  /** What is known of a step without asking the server: a tree element, the cache, the loaded pages, the lists. */
  const knownInfo = (arg: unknown, stepId: string): StepInfo | undefined => {
    if (typeof arg === 'object' && arg !== null && 'info' in arg && (arg as { stepId?: unknown }).stepId === stepId) {
      return (arg as { info: StepInfo }).info;
    }
    const loaded = store.peek(stepId);
    if (loaded) {
      return stepInfoFromLoaded(loaded);
    }
    const step = server.loadedSteps().find((s) => s.id === stepId);
    return step ? { ...stepInfoFromStep(step), origin: api.origin } : undefined;
  };

  const entryFor = async (arg: unknown, stepId: string): Promise<TraceEntry> => {
    const info = knownInfo(arg, stepId);
    if (info) {
      return entryFromInfo(info, Date.now());
    }
    const listed = lists.find(stepId);
    if (listed) {
      return { ...listed, openedAt: Date.now() };
    }
    // A step ID from a hover or text: its record gives the label. Never prompts for a key.
    try {
      const client = await api.getApi({ prompt: false });
      const step = await client?.getStep(stepId, { timeoutMs: 5000, maxRetries: 0 });
      if (step && client) {
        return entryFromInfo({ ...stepInfoFromStep(step), origin: client.origin }, Date.now());
      }
    } catch (e) {
      log.info(`Pinned ${stepId} without details: ${errorMessage(e)}`);
    }
    return { stepId, origin: api.origin, openedAt: Date.now() };
  };

  const askStepId = async (): Promise<string | undefined> => {
    const input = await vscode.window.showInputBox({
      title: vscode.l10n.t('Pin a step'),
      prompt: vscode.l10n.t('The step ID, like step-1234abcd-…'),
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? describeStepIdProblem(value) : undefined),
    });
    return input ? parseStepIdInput(input) : undefined;
  };

  const refreshAll = () => {
    traces.refresh();
    server.refresh({ keepFilters: true });
  };

  context.subscriptions.push(
    lists,
    traces,
    server,
    tracesView,
    serverView,
    lists.onDidChange(() => {
      traces.refresh();
      server.redraw();
    }),
    store.onDidOpenTrace((trace) => {
      void lists.opened(entryFromInfo(stepInfoFromLoaded(trace), Date.now())).catch((e: unknown) => log.warn(`Recent: ${String(e)}`));
    }),
    api.onDidChange(() => {
      const changedServer = api.origin !== origin;
      origin = api.origin;
      serverView.description = origin;
      server.refresh({ keepFilters: !changedServer });
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('letta.recentLimit')) {
        traces.refresh();
      }
    }),
    vscode.commands.registerCommand('letta.pinStep', async (arg: unknown) => {
      const stepId = stepIdFromCommandArg(arg) ?? (await askStepId());
      if (!stepId) {
        return;
      }
      if (!(await lists.pin(await entryFor(arg, stepId)))) {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0} steps are pinned already. Unpin some to pin this one.', MAX_PINNED));
      }
    }),
    vscode.commands.registerCommand('letta.unpinStep', async (arg: unknown) => {
      const stepId = stepIdFromCommandArg(arg);
      if (stepId) {
        await lists.unpin(stepId);
      }
    }),
    vscode.commands.registerCommand('letta.removeRecent', async (arg: unknown) => {
      const stepId = stepIdFromCommandArg(arg);
      if (stepId) {
        await lists.remove(stepId);
      }
    }),
    vscode.commands.registerCommand('letta.clearRecent', () => lists.clear()),
    vscode.commands.registerCommand('letta.refreshTree', refreshAll),
    vscode.commands.registerCommand('letta.loadMoreSteps', (arg: unknown) => {
      const agentId = agentIdOf(arg);
      return agentId ? server.loadMoreSteps(agentId) : server.loadMoreAgents();
    }),
    vscode.commands.registerCommand(LOAD_MORE_AGENTS, () => server.loadMoreAgents()),
    vscode.commands.registerCommand('letta.copyAgentId', async (arg: unknown) => {
      const agentId = agentIdOf(arg);
      if (agentId) {
        await vscode.env.clipboard.writeText(agentId);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', agentId), 3000);
      }
    }),
    vscode.commands.registerCommand('letta.filterSteps', async (arg: unknown) => {
      const agentId = agentIdOf(arg);
      if (!agentId) {
        return;
      }
      const next = await pickFilter(server.filters.get(agentId) ?? {}, modelChoices(server, agentId));
      if (next) {
        server.setFilter(agentId, next);
        const node = server.agentNode(agentId);
        if (node && serverView.visible) {
          await serverView.reveal(node, { expand: true, select: false, focus: false });
        }
      }
    }),
    vscode.commands.registerCommand('letta.findAgent', async () => {
      const client = await api.getApi({ prompt: false });
      if (!client) {
        const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Set the API key for {0} to list its agents.', api.origin), vscode.l10n.t('Set API Key'));
        if (choice) {
          await vscode.commands.executeCommand('letta.setApiKey');
        }
        return;
      }
      const agent = await pickAgent(server, client);
      if (!agent) {
        return;
      }
      const node = server.include(agent);
      server.redraw();
      await vscode.commands.executeCommand('letta.server.focus');
      try {
        await serverView.reveal(node, { expand: true, select: true, focus: true });
      } catch (e) {
        log.warn(`Find Agent: could not reveal ${agent.id}: ${errorMessage(e)}`);
      }
    }),
  );
  return {
    traces,
    server,
    serverView,
    serverState: () => server.serverState,
  };
}

/** Models to offer in the filter: the agent's own and those of its loaded steps. */
function modelChoices(server: ServerProvider, agentId: string): string[] {
  const agent = server.loadedAgents().find((a) => a.id === agentId);
  const models = [agent?.llm_config?.model, agent?.model, ...server.loadedSteps(agentId).map((s) => s.model)];
  return [...new Set(models.filter((m): m is string => typeof m === 'string' && m !== ''))].slice(0, 50);
}

type FilterPick = vscode.QuickPickItem & { apply: (f: StepFilter) => StepFilter | Promise<StepFilter | undefined> };

const STATUS_LABELS: Record<StepStatus, { icon: string; label: string }> = {
  failed: { icon: 'error', label: 'Failed steps' },
  cancelled: { icon: 'circle-slash', label: 'Cancelled steps' },
  pending: { icon: 'clock', label: 'Pending steps' },
  success: { icon: 'pass', label: 'Successful steps' },
};

/** One quick pick: a status, a model (asked of the server), text, or clearing. Undefined when dismissed. */
async function pickFilter(current: StepFilter, models: string[]): Promise<StepFilter | undefined> {
  const items: FilterPick[] = [
    ...STEP_STATUSES.map((status): FilterPick => ({
      label: `$(${STATUS_LABELS[status].icon}) ${vscode.l10n.t(STATUS_LABELS[status].label)}`,
      description: current.status === status ? vscode.l10n.t('(current)') : vscode.l10n.t('among the loaded steps'),
      apply: (f) => ({ ...f, status: current.status === status ? undefined : status }),
    })),
    {
      label: `$(symbol-misc) ${vscode.l10n.t('By model…')}`,
      description: current.model ? vscode.l10n.t('now: {0}', current.model) : vscode.l10n.t('asks the server'),
      apply: async (f) => {
        const model = await pickModel(models, current.model);
        return model === undefined ? undefined : { ...f, model: model || undefined };
      },
    },
    {
      label: `$(search) ${vscode.l10n.t('Containing text…')}`,
      description: current.text ? vscode.l10n.t('now: "{0}"', current.text) : vscode.l10n.t('step ID, model, stop reason, error'),
      apply: async (f) => {
        const text = await vscode.window.showInputBox({ title: vscode.l10n.t('Filter steps by text'), value: current.text ?? '', prompt: vscode.l10n.t('Leave empty to drop the text filter.') });
        return text === undefined ? undefined : { ...f, text: text.trim() || undefined };
      },
    },
  ];
  if (current.model || current.status || current.text) {
    items.push({ label: `$(clear-all) ${vscode.l10n.t('Clear filter')}`, apply: () => ({}) });
  }
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Filter steps'), placeHolder: vscode.l10n.t('Show only some of this agent\'s steps') });
  return picked ? picked.apply(current) : undefined;
}

/** A known model, or one typed in; '' clears the model filter. */
async function pickModel(models: string[], current: string | undefined): Promise<string | undefined> {
  const other = vscode.l10n.t('Another model…');
  const any = vscode.l10n.t('Any model');
  const picked = await vscode.window.showQuickPick([...models, other, ...(current ? [any] : [])], { title: vscode.l10n.t('Steps made with model') });
  if (picked === undefined) {
    return undefined;
  }
  if (picked === any) {
    return '';
  }
  if (picked !== other) {
    return picked;
  }
  const typed = await vscode.window.showInputBox({ title: vscode.l10n.t('Steps made with model'), prompt: vscode.l10n.t('The model name as the server records it, e.g. gpt-4.1-mini'), value: current ?? '' });
  return typed === undefined ? undefined : typed.trim();
}

type AgentPick = vscode.QuickPickItem & { agent?: Agent; action?: 'more' | 'search' };

/**
 * Agents by name: the ones loaded so far, "Load more agents…" for the next page, and an exact-name
 * search on the server (`GET /v1/agents/?name=`) for the text typed, so a large server is never
 * listed whole.
 */
async function pickAgent(server: ServerProvider, client: LettaApi): Promise<Agent | undefined> {
  const qp = vscode.window.createQuickPick<AgentPick>();
  qp.title = vscode.l10n.t('Find agent on {0}', client.origin);
  qp.placeholder = vscode.l10n.t('Type to filter the loaded agents; pick "Search the server" for an exact name');
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  const found: Agent[] = [];
  const render = () => {
    const seen = new Set<string>();
    const agents = [...found, ...server.loadedAgents()].filter((a) => !seen.has(a.id) && seen.add(a.id));
    const value = qp.value.trim();
    const page = server.agentsPage;
    qp.items = [
      ...agents.map((agent): AgentPick => ({ label: agent.name || agent.id, description: agent.llm_config?.model ?? agent.model ?? undefined, detail: agent.id, agent })),
      ...(value ? [{ label: `$(search) ${vscode.l10n.t('Search the server for "{0}"', value)}`, alwaysShow: true, action: 'search' } as AgentPick] : []),
      ...(page.hasMore || page.error ? [{ label: `$(more) ${vscode.l10n.t('Load more agents…')}`, description: page.error?.message, alwaysShow: true, action: 'more' } as AgentPick] : []),
    ];
  };
  try {
    return await new Promise<Agent | undefined>((resolve) => {
      qp.onDidChangeValue(render);
      qp.onDidHide(() => resolve(undefined));
      qp.onDidAccept(async () => {
        const item = qp.activeItems[0];
        if (!item) {
          return;
        }
        if (item.agent) {
          resolve(item.agent);
          qp.hide();
          return;
        }
        qp.busy = true;
        try {
          if (item.action === 'more') {
            await server.loadMoreAgents(client);
          } else {
            const name = qp.value.trim();
            const matches = await client.listAgents({ name, limit: 20 });
            found.unshift(...matches);
            if (matches.length === 0) {
              qp.placeholder = vscode.l10n.t('No agent is named "{0}"', name);
            }
          }
        } catch (e) {
          qp.placeholder = errorMessage(e);
        } finally {
          qp.busy = false;
        }
        render();
      });
      render();
      qp.show();
      if (server.agentsPage.items.length === 0 && server.agentsPage.hasMore) {
        qp.busy = true;
        void server.loadMoreAgents(client).finally(() => {
          qp.busy = false;
          render();
        });
      }
    });
  } finally {
    qp.dispose();
  }
}

/**
 * The Letta sidebar: "Traces" (Recent and Pinned, kept across restarts) and "Server" (the agents of
 * the configured server and their steps, page by page), with the commands that act on their items.
 * The state lives in `core/sidebar/treeModel`; the views are `tracesView` and `serverView`.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { describeStepIdProblem, parseStepIdInput } from '../../core/stepIds';
import { accessFix } from '../../core/serverAccess';
import { entryFromSummary } from '../../core/sidebar/stepLabels';
import { isStepFilter, MAX_PINNED, type TraceEntry } from '../../core/sidebar/treeModel';
import type { Step } from '../../core/lettaTypes';
import { summaryFromLoaded, summaryFromStep, type StepSummary } from '../../core/stepSummary';
import type { Agent } from '../../core/lettaTypes';
import type { ApiProvider, TraceOpener, TraceStore } from '../contracts';
import { stepIdFromCommandArg } from '../stepIds/stepIdCursor';
import { LOAD_MORE_AGENTS, LOAD_MORE_RUNS, type TreeNode } from './treeItems';
import { ServerProvider, type ServerState } from './serverView';
import { pickAgent } from './findAgent';
import { modelChoices, pickFilter } from './stepFilterPick';
import { TraceLists } from './traceLists';
import { TracesProvider } from './tracesView';

/** What `registerSidebar` hands back, for the integration tests. */
export interface Sidebar {
  traces: vscode.TreeDataProvider<unknown>;
  server: vscode.TreeDataProvider<unknown>;
  serverView: vscode.TreeView<unknown>;
  /** The `letta.serverState` context key as last set. */
  serverState(): ServerState | undefined;
  /** Empties Recent and Pinned and reloads the Server view (the tests' reset). */
  reset(): Promise<void>;
  /** Lists `agent` in the Server view (if it was not) and reveals it there, expanded. */
  revealAgent(agent: Agent): Promise<void>;
}

/** Registers both views and their commands. */
export function registerSidebar(
  context: vscode.ExtensionContext,
  deps: { log: vscode.LogOutputChannel; store: TraceStore; api: ApiProvider; opener: TraceOpener; onDidChangeFeedback: vscode.Event<Step> },
): Sidebar {
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
  const knownSummary = (arg: unknown, stepId: string): StepSummary | undefined => {
    if (typeof arg === 'object' && arg !== null && 'summary' in arg && (arg as { stepId?: unknown }).stepId === stepId) {
      return (arg as { summary: StepSummary }).summary;
    }
    const loaded = store.peek(stepId);
    if (loaded) {
      return summaryFromLoaded(loaded);
    }
    const step = server.loadedSteps().find((s) => s.id === stepId);
    return step ? { ...summaryFromStep(step), origin: api.origin } : undefined;
  };

  const entryFor = async (arg: unknown, stepId: string): Promise<TraceEntry> => {
    const known = knownSummary(arg, stepId);
    if (known) {
      return entryFromSummary(known, Date.now());
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
        return entryFromSummary({ ...summaryFromStep(step), origin: client.origin }, Date.now());
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
    deps.onDidChangeFeedback((step) => {
      server.updateStep(step);
      // Pinned and Recent read the cached trace, which took the updated step.
      traces.refresh();
    }),
    store.onDidOpenTrace((trace) => {
      void lists.opened(entryFromSummary(summaryFromLoaded(trace), Date.now())).catch((e: unknown) => log.warn(`Recent: ${String(e)}`));
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
    vscode.commands.registerCommand(LOAD_MORE_RUNS, (agentId: unknown) => (typeof agentId === 'string' ? server.loadMoreRuns(agentId) : undefined)),
    vscode.commands.registerCommand('letta.copyAgentId', async (arg: unknown) => {
      const agentId = agentIdOf(arg);
      if (agentId) {
        await vscode.env.clipboard.writeText(agentId);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', agentId), 3000);
      }
    }),
    vscode.commands.registerCommand('letta.filterSteps', async (arg: unknown, given?: unknown) => {
      const agentId = agentIdOf(arg);
      if (!agentId) {
        return;
      }
      // A filter passed in (a link, a test) is used as it is; else the quick pick asks.
      const next = isStepFilter(given) ? given : await pickFilter(server.filters.get(agentId) ?? {}, modelChoices(server, agentId));
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
        // Say what is really in the way: no key, a plain-http consent still to give, or a bad URL.
        const access = await api.access();
        const fix = access.kind === 'ready' ? accessFix({ kind: 'no-key', origin: access.origin, host: access.host }) : accessFix(access);
        const choice = await vscode.window.showInformationMessage(fix.message, fix.title);
        if (choice) {
          await vscode.commands.executeCommand(fix.command);
        }
        return;
      }
      const agent = await pickAgent(server, client);
      if (!agent) {
        return;
      }
      await revealAgent(agent);
    }),
  );
  async function revealAgent(agent: Agent): Promise<void> {
    const node = server.include(agent);
    server.redraw();
    await vscode.commands.executeCommand('letta.server.focus');
    try {
      await serverView.reveal(node, { expand: true, select: true, focus: true });
    } catch (e) {
      log.warn(`Could not reveal agent ${agent.id}: ${errorMessage(e)}`);
    }
  }
  return {
    traces,
    server,
    serverView,
    serverState: () => server.serverState,
    async reset() {
      await lists.reset();
      server.refresh({ keepFilters: false });
    },
    revealAgent,
  };
}

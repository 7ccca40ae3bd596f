/**
 * Letta Code workspaces: the "This Workspace" view, its live polling, the commands that open a
 * workspace agent's runs, the agent-ID hover, and the offer to use Letta Code's key. Owns all of
 * their disposables.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import type { LettaApi } from '../../core/lettaApi';
import type { Run } from '../../core/lettaTypes';
import { AGENT_IDS, RUN_IDS } from '../../core/lettaIds';
import { MIN_POLL_INTERVAL_MS } from '../../core/workspace/pollScheduler';
import type { ApiKeys } from '../auth/apiKeys';
import type { ApiProvider } from '../contracts';
import type { Sidebar } from '../sidebar/sidebar';
import { stepIdSelector } from '../stepIds/stepLinks';
import type { AgentFollower } from './agentFollower';
import { AgentHoverProvider, OPEN_AGENT_LATEST_RUN, SHOW_AGENT } from './agentHover';
import { LettaCodeKey } from './lettaCodeKey';
import { ProjectAgents } from './projectAgents';
import { OPEN_WORKSPACE_RUN, WORKSPACE_VIEW_ID, WorkspaceTree, type WorkspaceNode } from './workspaceView';

/** The run view's command; it comes with the runs feature. */
const OPEN_RUN = 'letta.openRun';

export interface WorkspaceFeature {
  tree: WorkspaceTree;
  view: vscode.TreeView<WorkspaceNode>;
  agents: ProjectAgents;
  lettaCodeKey: LettaCodeKey;
  /** True while polls may run (view visible, window focused). */
  isActive(): boolean;
}

export interface WorkspaceDeps {
  log: vscode.LogOutputChannel;
  api: ApiProvider;
  keys: ApiKeys;
  sidebar: Sidebar;
  /** Names the workspace agent in the status bar (undefined: none). */
  setStatusAgent: (label: string | undefined) => void;
}

function pollIntervalMs(): number {
  const seconds = vscode.workspace.getConfiguration('letta').get<number>('workspace.pollIntervalSeconds', 5);
  return Math.max(MIN_POLL_INTERVAL_MS, (Number.isFinite(seconds) ? seconds : 5) * 1000);
}

export function registerWorkspace(context: vscode.ExtensionContext, deps: WorkspaceDeps): WorkspaceFeature {
  const { log, api, keys, sidebar } = deps;
  const agents = new ProjectAgents(() => api.origin, log);
  const lettaCodeKey = new LettaCodeKey(keys, log);
  const tree: WorkspaceTree = new WorkspaceTree({
    agents,
    api,
    log,
    intervalMs: pollIntervalMs,
    onFailedRun: (follower, run) => notifyFailed(follower, run),
    lettaCodeKeyAvailable: () => lettaCodeKey.available(),
  });
  const view = vscode.window.createTreeView<WorkspaceNode>(WORKSPACE_VIEW_ID, { treeDataProvider: tree });

  const isActive = () => view.visible && vscode.window.state.focused;
  const updateActive = () => {
    const active = isActive();
    if (active && !tree.isActive) {
      // Back from the terminal where Letta Code runs: read the project files again, in case a
      // watcher event was missed (a recreated .letta folder on some file systems).
      void agents.refresh();
    }
    tree.setActive(active);
  };

  const openRun = async (runId: unknown): Promise<void> => {
    if (typeof runId !== 'string' || !RUN_IDS.is(runId)) {
      return;
    }
    if ((await vscode.commands.getCommands(true)).includes(OPEN_RUN)) {
      await vscode.commands.executeCommand(OPEN_RUN, runId);
      return;
    }
    const copy = vscode.l10n.t('Copy Run ID');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('This build of the extension has no run view yet: {0} cannot be opened here.', runId), copy);
    if (choice === copy) {
      await vscode.env.clipboard.writeText(runId);
    }
  };

  /** For a command given an agent ID: the client, once the ID is one and a key is set (asked for if not). */
  const clientForAgent = async (agentId: unknown): Promise<{ agentId: string; client: LettaApi } | undefined> => {
    if (typeof agentId !== 'string' || !AGENT_IDS.is(agentId)) {
      return undefined;
    }
    const client = await api.getApi({ prompt: true });
    return client ? { agentId, client } : undefined;
  };

  const openLatestRunOf = async (id: unknown): Promise<void> => {
    const ready = await clientForAgent(id);
    if (!ready) {
      return;
    }
    const { agentId, client } = ready;
    try {
      const [latest] = await client.listRuns({ agentId, limit: 1 });
      if (!latest) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Agent {0} has no runs yet.', agentId));
        return;
      }
      await openRun(latest.id);
    } catch (e) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Could not read the runs of {0}: {1}', agentId, errorMessage(e)));
    }
  };

  function notifyFailed(follower: AgentFollower, run: Run): void {
    if (!vscode.workspace.getConfiguration('letta').get<boolean>('workspace.notifyFailedRuns', true)) {
      return;
    }
    const open = vscode.l10n.t('Open Run');
    const who = follower.agentName ?? follower.agentId;
    const why = run.stop_reason ? ` (${run.stop_reason})` : '';
    void vscode.window.showWarningMessage(vscode.l10n.t('A run of {0} failed{1}.', who, why), open).then((c) => {
      if (c === open) {
        void openRun(run.id);
      }
    });
  }

  const hover = new AgentHoverProvider(api);
  let hoverRegistration: vscode.Disposable | undefined;
  const registerHover = () => {
    hoverRegistration?.dispose();
    hoverRegistration = undefined;
    const config = vscode.workspace.getConfiguration('letta');
    if (config.get<boolean>('hover.enabled', true)) {
      const languages = config.get<string[]>('hover.languages', []).filter((l) => typeof l === 'string' && l.trim() !== '');
      hoverRegistration = vscode.languages.registerHoverProvider(stepIdSelector(languages), hover);
    }
  };
  registerHover();

  const updateStatus = () => {
    const names = tree.current.map((f) => f.agentName ?? AGENT_IDS.short(f.agentId));
    deps.setStatusAgent(names.length === 0 ? undefined : names.length === 1 ? names[0] : vscode.l10n.t('{0} agents', names.length));
  };

  context.subscriptions.push(
    agents,
    tree,
    view,
    {
      dispose: () => {
        hoverRegistration?.dispose();
      },
    },
    agents.onDidChange(() => tree.sync()),
    tree.onDidChangeAgents(updateStatus),
    view.onDidChangeVisibility(updateActive),
    vscode.window.onDidChangeWindowState(updateActive),
    api.onDidChange(() => {
      hover.clear();
      // The file may name another agent for the new server; then read every agent there.
      void agents.refresh().then(() => tree.reloadAll());
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('letta.hover')) {
        registerHover();
      }
      if (e.affectsConfiguration('letta.workspace.pollIntervalSeconds')) {
        tree.setInterval(pollIntervalMs());
      }
    }),
    vscode.commands.registerCommand(OPEN_WORKSPACE_RUN, openRun),
    vscode.commands.registerCommand(OPEN_AGENT_LATEST_RUN, openLatestRunOf),
    vscode.commands.registerCommand('letta.openWorkspaceLatestRun', async () => {
      await agents.refresh();
      const followers = tree.current;
      if (followers.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No workspace folder names a Letta Code agent (.letta/settings.local.json). Run `letta` in the folder first.'));
        return;
      }
      let agentId = followers[0].agentId;
      if (followers.length > 1) {
        const picked = await vscode.window.showQuickPick(
          followers.map((f) => ({ label: f.agentName ?? f.agentId, description: f.agentId, agentId: f.agentId })),
          { title: vscode.l10n.t('Open the latest run of which agent?') },
        );
        if (!picked) {
          return;
        }
        agentId = picked.agentId;
      }
      await openLatestRunOf(agentId);
    }),
    vscode.commands.registerCommand(SHOW_AGENT, async (id: unknown) => {
      const ready = await clientForAgent(id);
      if (!ready) {
        return;
      }
      const { agentId, client } = ready;
      try {
        await sidebar.revealAgent(await client.getAgent(agentId));
      } catch (e) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Could not show agent {0}: {1}', agentId, errorMessage(e)));
      }
    }),
    vscode.commands.registerCommand('letta.useLettaCodeKey', async () => {
      if (!(await lettaCodeKey.available())) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Letta Code\'s settings file ({0}) was not found.', '~/.letta/settings.json'));
        return false;
      }
      return lettaCodeKey.offer(api.origin);
    }),
  );

  // Whether Letta Code's user file exists (never its content): the no-key welcome then offers its key.
  const noteLettaCode = () => void lettaCodeKey.available().then((found) => vscode.commands.executeCommand('setContext', 'letta.lettaCodeUserFile', found));
  noteLettaCode();
  context.subscriptions.push(keys.onDidChange(noteLettaCode));
  void agents.refresh();
  updateActive();
  return { tree, view, agents, lettaCodeKey, isActive };
}

/**
 * The "This Workspace" view: for each workspace folder with a Letta Code project file, its agent
 * (name and model, from the configured server) and the agent's latest runs, followed live while
 * the view is visible and the window focused.
 */
import * as vscode from 'vscode';
import { accessFix } from '../../core/serverAccess';
import type { Run } from '../../core/lettaTypes';
import { AGENT_IDS } from '../../core/lettaIds';
import type { RunStepCounts } from '../../core/runs/runStepCounts';
import { runDescription, runLabel, runTooltip } from '../../core/sidebar/runLabels';
import { statusIcon } from '../../core/stepStatus';
import { describeFileProblem, PROJECT_FILE } from '../../core/workspace/lettaCodeFiles';
import type { ApiProvider } from '../contracts';
import { metricsStepCounts } from '../sidebar/runStepCounts';
import { AgentFollower, agentModel } from './agentFollower';
import type { FolderAgent, ProjectAgents } from './projectAgents';

export const WORKSPACE_VIEW_ID = 'letta.workspace';
export const OPEN_WORKSPACE_RUN = 'letta.workspace.openRun';

export type WorkspaceNode =
  | { kind: 'folder'; entry: FolderAgent; follower?: AgentFollower }
  | { kind: 'run'; run: Run; follower: AgentFollower }
  | { kind: 'info'; label: string; icon: string; command?: vscode.Command; id: string };

export interface WorkspaceViewDeps {
  agents: ProjectAgents;
  api: ApiProvider;
  log: vscode.LogOutputChannel;
  intervalMs: () => number;
  onFailedRun: (follower: AgentFollower, run: Run) => void;
  /** True when Letta Code's user file exists, so the no-key row can offer its key. */
  lettaCodeKeyAvailable: () => Promise<boolean>;
}

export class WorkspaceTree implements vscode.TreeDataProvider<WorkspaceNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<WorkspaceNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly changedAgents = new vscode.EventEmitter<void>();
  /** Fires when an agent, its record or its runs change (the status bar listens). */
  readonly onDidChangeAgents = this.changedAgents.event;
  /** One follower per agent ID: two folders on one agent share it (and its polls). */
  private followers = new Map<string, AgentFollower>();
  private active = false;
  private offerKey = false;
  /** The run rows' step counts (the runs list does not carry them), read as rows are drawn. */
  private readonly stepCounts: RunStepCounts;

  constructor(private readonly deps: WorkspaceViewDeps) {
    this.stepCounts = metricsStepCounts(deps.api, deps.log, () => this.changed.fire(undefined));
  }

  /** Followers of the folders' agents, in folder order. */
  get current(): AgentFollower[] {
    return this.deps.agents.folders.flatMap((f) => (f.agent.kind === 'agent' ? [this.followers.get(f.agent.agentId)].filter((x): x is AgentFollower => x !== undefined) : []));
  }

  /** Follows the agents the folders name now; drops the others. */
  sync(): void {
    const wanted = new Set(this.deps.agents.folders.flatMap((f) => (f.agent.kind === 'agent' ? [f.agent.agentId] : [])));
    for (const [id, follower] of this.followers) {
      if (!wanted.has(id)) {
        follower.dispose();
        this.followers.delete(id);
      }
    }
    for (const id of wanted) {
      if (!this.followers.has(id)) {
        const follower = new AgentFollower(id, {
          getApi: () => this.deps.api.getApi({ prompt: false }),
          beforePoll: () => this.deps.agents.refresh(),
          log: this.deps.log,
          intervalMs: this.deps.intervalMs(),
          onFailedRun: (_agentId, run) => this.deps.onFailedRun(follower, run),
          onDidChange: () => {
            follower.setActive(this.active);
            this.redraw();
          },
        });
        this.followers.set(id, follower);
        void follower.load();
      }
    }
    void vscode.commands.executeCommand('setContext', 'letta.workspaceAgentCount', this.deps.agents.folders.length);
    this.redraw();
  }

  /** The server or key changed: read every agent again. */
  async reloadAll(): Promise<void> {
    this.stepCounts.clear();
    await Promise.all([...this.followers.values()].map((f) => f.reload()));
  }

  /** Whether the followers poll: the view visible and the window focused. */
  get isActive(): boolean {
    return this.active;
  }

  setActive(active: boolean): void {
    this.active = active;
    for (const f of this.followers.values()) {
      f.setActive(active);
    }
  }

  setInterval(ms: number): void {
    for (const f of this.followers.values()) {
      f.setInterval(ms);
    }
  }

  redraw(): void {
    this.changed.fire(undefined);
    this.changedAgents.fire();
  }

  getChildren(node?: WorkspaceNode): WorkspaceNode[] | Promise<WorkspaceNode[]> {
    if (!node) {
      return this.deps.agents.folders.map((entry) => ({ kind: 'folder', entry, follower: entry.agent.kind === 'agent' ? this.followers.get(entry.agent.agentId) : undefined }));
    }
    if (node.kind !== 'folder' || !node.follower) {
      return [];
    }
    return this.agentChildren(node.follower);
  }

  private async agentChildren(follower: AgentFollower): Promise<WorkspaceNode[]> {
    const base = `${follower.agentId}:`;
    switch (follower.state.kind) {
      case 'blocked': {
        const access = await this.deps.api.access();
        if (access.kind === 'ready') {
          void follower.reload();
          return [];
        }
        const fix = accessFix(access);
        const rows: WorkspaceNode[] = [{ kind: 'info', id: base + 'fix', label: fix.message, icon: 'key', command: { command: fix.command, title: fix.title } }];
        this.offerKey = access.kind === 'no-key' && (await this.deps.lettaCodeKeyAvailable());
        if (this.offerKey) {
          rows.push({ kind: 'info', id: base + 'lettaCodeKey', label: vscode.l10n.t('Use the API key Letta Code uses…'), icon: 'key', command: { command: 'letta.useLettaCodeKey', title: vscode.l10n.t('Use the API Key Letta Code Uses') } });
        }
        return rows;
      }
      case 'ok':
        if (follower.runsError) {
          return [{ kind: 'info', id: base + 'error', label: follower.runsError, icon: 'warning' }];
        }
        if (follower.runs.length === 0) {
          return [{ kind: 'info', id: base + 'none', label: vscode.l10n.t('No runs yet: new ones appear here as the agent works.'), icon: 'info' }];
        }
        return follower.runs.map((run) => ({ kind: 'run', run, follower }));
      default:
        return [];
    }
  }

  getTreeItem(node: WorkspaceNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder':
        return this.folderItem(node.entry, node.follower);
      case 'run':
        return runItem(node.run, this.stepCounts.get(node.run));
      default: {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = `info:${node.id}`;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = node.command;
        item.tooltip = node.label;
        return item;
      }
    }
  }

  private folderItem(entry: FolderAgent, follower: AgentFollower | undefined): vscode.TreeItem {
    const multi = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    const folderName = entry.folder.name;
    const item = new vscode.TreeItem(folderName, vscode.TreeItemCollapsibleState.None);
    item.id = `folder:${entry.folder.uri.toString()}:${entry.agent.kind === 'agent' ? entry.agent.agentId : entry.agent.kind}`;
    const file = `${folderName}/${PROJECT_FILE}`;
    if (entry.agent.kind === 'problem') {
      item.description = describeFileProblem(file, entry.agent.problem);
      item.iconPath = new vscode.ThemeIcon('warning');
      item.tooltip = item.description;
      return item;
    }
    if (entry.agent.kind === 'none' || !follower) {
      item.description = vscode.l10n.t('Letta Code names no agent of this server here');
      item.iconPath = new vscode.ThemeIcon('circle-outline');
      item.tooltip = vscode.l10n.t('{0} names no agent for the server the extension reads.', file);
      return item;
    }
    const agentId = entry.agent.agentId;
    item.contextValue = 'workspaceAgent';
    item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    const where = multi ? [folderName] : [];
    const state = follower.state;
    switch (state.kind) {
      case 'ok': {
        const name = state.agent.name || AGENT_IDS.short(agentId);
        item.label = name;
        item.description = [agentModel(state.agent), ...where].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon('hubot');
        item.tooltip = vscode.l10n.t('Letta Code\'s agent in {0}: {1} ({2})', folderName, name, agentId);
        break;
      }
      case 'unknown':
        item.label = AGENT_IDS.short(agentId);
        item.description = [vscode.l10n.t('this server does not know agent {0}', agentId), ...where].join(' · ');
        item.iconPath = new vscode.ThemeIcon('warning');
        item.tooltip = vscode.l10n.t('{0} names agent {1}, which {2} does not know: Letta Code may use another server.', file, agentId, this.deps.api.origin);
        item.collapsibleState = vscode.TreeItemCollapsibleState.None;
        break;
      case 'error':
        item.label = AGENT_IDS.short(agentId);
        item.description = [state.message, ...where].join(' · ');
        item.iconPath = new vscode.ThemeIcon('warning');
        item.tooltip = state.message;
        item.collapsibleState = vscode.TreeItemCollapsibleState.None;
        break;
      default:
        item.label = AGENT_IDS.short(agentId);
        item.description = [state.kind === 'loading' ? vscode.l10n.t('loading…') : '', ...where].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(state.kind === 'loading' ? 'loading~spin' : 'hubot');
        item.tooltip = agentId;
    }
    return item;
  }

  dispose(): void {
    for (const f of this.followers.values()) {
      f.dispose();
    }
    this.followers.clear();
    this.stepCounts.dispose();
    this.changed.dispose();
    this.changedAgents.dispose();
  }
}

/** A run row, as in the Server view: when it started, status beside the icon, stop reason, steps, duration. */
function runItem(run: Run, steps: number | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(runLabel(run), vscode.TreeItemCollapsibleState.None);
  item.id = `run:${run.id}`;
  item.description = runDescription(run, steps);
  item.iconPath = new vscode.ThemeIcon(statusIcon(run.status));
  item.tooltip = runTooltip(run, steps);
  item.accessibilityInformation = { label: [vscode.l10n.t('Run'), run.id, item.description].filter(Boolean).join(', ') };
  item.contextValue = 'workspaceRun';
  item.command = { command: OPEN_WORKSPACE_RUN, title: vscode.l10n.t('Open Run'), arguments: [run.id] };
  return item;
}

/**
 * The sidebar's elements and the TreeItems they turn into. Commands run from a context menu get the
 * element itself: step elements carry `stepId`, agent elements `agentId`.
 */
import * as vscode from 'vscode';
import type { Agent, Run, TraceSource } from '../../core/lettaTypes';
import { runDescription, runLabel, runTooltip } from '../../core/sidebar/runLabels';
import { stepDescription, stepLabel, stepTooltip } from '../../core/sidebar/stepLabels';
import type { StepSummary } from '../../core/stepSummary';
import { statusIcon, statusLabel } from '../../core/stepStatus';
import type { TracePart } from '../../core/traceUri';
import { describeFilter, type Problem, type StepFilter } from '../../core/sidebar/treeModel';

export interface StepNode {
  kind: 'step';
  /** Unique in its view (a step can be both Pinned and Recent). */
  id: string;
  stepId: string;
  /** Where its trace comes from (Recent and Pinned); absent in the Server view: the configured server. */
  source?: TraceSource;
  /** Set when the trace belongs to a server other than the configured one: the item says which. */
  otherServer?: string;
  summary: StepSummary;
  pinned: boolean;
  recent: boolean;
}

export interface AgentNode {
  kind: 'agent';
  id: string;
  agentId: string;
  agent: Agent;
}

/** An agent's "Runs" group. */
export interface RunsNode {
  kind: 'runs';
  id: string;
  agentId: string;
}

/** One run; it expands to its steps in order, and a click opens the run view. */
export interface RunNode {
  kind: 'run';
  id: string;
  runId: string;
  agentId: string;
  run: Run;
  /** Once counted (the run's metrics). */
  steps?: number;
}

export type TreeNode =
  | { kind: 'group'; id: string; group: 'pinned' | 'recent' }
  | StepNode
  | { kind: 'part'; id: string; stepId: string; source?: TraceSource; part: TracePart }
  | { kind: 'server'; id: string; origin: string }
  | AgentNode
  | RunsNode
  | RunNode
  /** "Load more…": an agent's steps (or its runs, with `list: 'runs'`), or the agents when `agentId` is undefined. */
  | { kind: 'more'; id: string; agentId?: string; loaded: number; matching?: number; list?: 'runs' }
  | { kind: 'loading'; id: string }
  | { kind: 'problem'; id: string; problem: Problem; retryAgentId?: string }
  | { kind: 'empty'; id: string; message: string };

export const PARTS: readonly { part: TracePart; label: string; command: string }[] = [
  { part: 'request', label: 'Request', command: 'letta.openRequestJson' },
  { part: 'response', label: 'Response', command: 'letta.openResponseJson' },
  { part: 'metadata', label: 'Metadata', command: 'letta.openMetadataJson' },
];

export function partNodes(step: StepNode): TreeNode[] {
  return PARTS.map(({ part }) => ({ kind: 'part', id: `${step.id}/${part}`, stepId: step.stepId, source: step.source, part }));
}

/**
 * The context-menu word list: `step`, then `pinned`/`unpinned`, then `recent` in the Recent group,
 * then `feedback-positive`/`feedback-negative` when rated (the menu offers the other thumb and Clear).
 */
export function stepContextValue(node: StepNode): string {
  return ['step', node.pinned ? 'pinned' : 'unpinned', ...(node.recent ? ['recent'] : []), ...(node.summary.feedback ? [`feedback-${node.summary.feedback}`] : [])].join(' ');
}

export function treeItem(node: TreeNode, filters?: ReadonlyMap<string, StepFilter>): vscode.TreeItem {
  switch (node.kind) {
    case 'group': {
      const item = new vscode.TreeItem(node.group === 'pinned' ? vscode.l10n.t('Pinned') : vscode.l10n.t('Recent'), vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon(node.group === 'pinned' ? 'pinned' : 'history');
      item.contextValue = `group-${node.group}`;
      return withId(item, node.id);
    }
    case 'step': {
      const item = new vscode.TreeItem(stepLabel(node.summary), vscode.TreeItemCollapsibleState.Collapsed);
      const elsewhere = node.otherServer ? vscode.l10n.t('on {0}', node.otherServer) : undefined;
      item.description = [stepDescription(node.summary), elsewhere].filter(Boolean).join(' · ');
      item.tooltip =
        stepTooltip(node.summary) +
        (node.otherServer ? `\n${vscode.l10n.t('Belongs to {0}, not the configured server: change the server to open it.', node.otherServer)}` : '') +
        (node.pinned ? `\n${vscode.l10n.t('Pinned')}` : '');
      item.iconPath = new vscode.ThemeIcon(statusIcon(node.summary.status));
      item.contextValue = stepContextValue(node);
      item.command = { command: 'letta.openStepTrace', title: vscode.l10n.t('Open Trace'), arguments: [commandArg(node)] };
      item.accessibilityInformation = { label: [node.stepId, node.summary.status ? statusLabel(node.summary.status) : undefined, item.description].filter(Boolean).join(', ') };
      return withId(item, node.id);
    }
    case 'part': {
      const spec = PARTS.find((p) => p.part === node.part) ?? PARTS[0];
      const item = new vscode.TreeItem(spec.label, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('json');
      item.command = { command: spec.command, title: spec.label, arguments: [commandArg(node)] };
      item.contextValue = 'part';
      return withId(item, node.id);
    }
    case 'server': {
      const item = new vscode.TreeItem(node.origin, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('server');
      item.description = vscode.l10n.t('server');
      item.tooltip = vscode.l10n.t('Agents and steps come from {0}. Click to change the server.', node.origin);
      item.command = { command: 'letta.changeServer', title: vscode.l10n.t('Change Server') };
      item.contextValue = 'server';
      return withId(item, node.id);
    }
    case 'agent': {
      const item = new vscode.TreeItem(node.agent.name || node.agentId, vscode.TreeItemCollapsibleState.Collapsed);
      const model = node.agent.llm_config?.model ?? node.agent.model ?? undefined;
      const filter = describeFilter(filters?.get(node.agentId));
      item.description = [model, filter ? vscode.l10n.t('filter: {0}', filter) : undefined].filter(Boolean).join(' · ');
      item.tooltip = [node.agent.name, node.agentId, model ? vscode.l10n.t('Model: {0}', model) : undefined, filter ? vscode.l10n.t('Filter: {0}', filter) : undefined]
        .filter(Boolean)
        .join('\n');
      item.iconPath = new vscode.ThemeIcon(filter ? 'filter' : 'hubot');
      item.contextValue = filter ? 'agent filtered' : 'agent';
      return withId(item, node.id);
    }
    case 'runs': {
      const item = new vscode.TreeItem(vscode.l10n.t('Runs'), vscode.TreeItemCollapsibleState.Collapsed);
      item.iconPath = new vscode.ThemeIcon('run-all');
      item.tooltip = vscode.l10n.t('This agent\'s runs, newest first: each answers one message in one or more steps.');
      item.contextValue = 'runs';
      return withId(item, node.id);
    }
    case 'run': {
      const item = new vscode.TreeItem(runLabel(node.run), vscode.TreeItemCollapsibleState.Collapsed);
      item.description = runDescription(node.run, node.steps);
      item.tooltip = runTooltip(node.run, node.steps);
      item.iconPath = new vscode.ThemeIcon(statusIcon(node.run.status));
      item.contextValue = 'run';
      item.command = { command: 'letta.openRun', title: vscode.l10n.t('Open Run'), arguments: [node.runId] };
      item.accessibilityInformation = { label: [node.runId, item.description].filter(Boolean).join(', ') };
      return withId(item, node.id);
    }
    case 'more': {
      const item = new vscode.TreeItem(node.agentId ? vscode.l10n.t('Load more…') : vscode.l10n.t('Load more agents…'), vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('more');
      if (node.matching !== undefined) {
        item.description = vscode.l10n.t('{0} of {1} loaded steps match', node.matching, node.loaded);
      }
      item.command = node.agentId
        ? node.list === 'runs'
          ? { command: LOAD_MORE_RUNS, title: vscode.l10n.t('Load More Runs'), arguments: [node.agentId] }
          : { command: 'letta.loadMoreSteps', title: vscode.l10n.t('Load More Steps'), arguments: [node.agentId] }
        : { command: LOAD_MORE_AGENTS, title: vscode.l10n.t('Load More Agents') };
      item.contextValue = 'more';
      return withId(item, node.id);
    }
    case 'loading': {
      const item = new vscode.TreeItem(vscode.l10n.t('Loading…'), vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      item.contextValue = 'loading';
      return withId(item, node.id);
    }
    case 'problem': {
      const fix = node.retryAgentId && node.problem.fix?.command !== 'letta.setApiKey'
        ? { command: 'letta.loadMoreSteps', title: vscode.l10n.t('Retry'), arguments: [node.retryAgentId] }
        : node.problem.fix;
      const item = new vscode.TreeItem(fix ? `${node.problem.message.replace(/\.$/, '')} — ${fix.title}` : node.problem.message, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('warning');
      item.tooltip = fix ? vscode.l10n.t('{0}\nClick: {1}', node.problem.message, fix.title) : node.problem.message;
      item.contextValue = 'problem';
      if (fix) {
        item.command = fix;
      }
      return withId(item, node.id);
    }
    case 'empty': {
      const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('info');
      item.contextValue = 'empty';
      return withId(item, node.id);
    }
  }
}

/** A command's argument for a step: its ID, with its source when it has one (a file, a server). */
function commandArg(node: { stepId: string; source?: TraceSource }): string | { stepId: string; source: TraceSource } {
  return node.source ? { stepId: node.stepId, source: node.source } : node.stepId;
}

/** Not in package.json: only the "Load more agents…" item runs it. */
export const LOAD_MORE_AGENTS = 'letta.loadMoreAgents';

/** Not in package.json: only an agent's runs' "Load more…" item runs it. */
export const LOAD_MORE_RUNS = 'letta.loadMoreRuns';

function withId(item: vscode.TreeItem, id: string): vscode.TreeItem {
  item.id = id;
  return item;
}

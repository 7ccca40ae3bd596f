/** The Traces view: the Pinned and Recent groups and their steps. */
import * as vscode from 'vscode';
import { summaryFromEntry } from '../../core/sidebar/stepLabels';
import { summaryFromLoaded } from '../../core/stepSummary';
import type { TraceSource } from '../../core/lettaTypes';
import type { TraceStore } from '../contracts';
import type { TraceLists } from './traceLists';
import { partNodes, treeItem, type StepNode, type TreeNode } from './treeItems';

export class TracesProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly groups = {
    pinned: { kind: 'group', id: 'group/pinned', group: 'pinned' } as const,
    recent: { kind: 'group', id: 'group/recent', group: 'recent' } as const,
  };

  constructor(
    private readonly lists: TraceLists,
    private readonly store: TraceStore,
  ) {}

  dispose(): void {
    this.changed.dispose();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return treeItem(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.kind === 'step') {
      return node.recent ? this.groups.recent : this.groups.pinned;
    }
    return undefined;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    const { pinned, recent } = this.lists;
    if (!node) {
      // Empty lists give no items, so the view's welcome text shows.
      return [...(pinned.length ? [this.groups.pinned] : []), ...(recent.length ? [this.groups.recent] : [])];
    }
    if (node.kind === 'group') {
      const pinnedIds = new Set(pinned.map((e) => e.stepId));
      const list = node.group === 'pinned' ? pinned : recent;
      const current = this.store.currentSource();
      return list.map((entry): StepNode => {
        // Where the entry's trace lives: its file, or its server (which may not be the configured one).
        const source: TraceSource = entry.file ? { kind: 'file', path: entry.file } : entry.origin ? { kind: 'server', origin: entry.origin } : current;
        const loaded = this.store.peekQuietly(entry.stepId, source);
        // The cache knows more (latency, token split, errors) than the remembered summary.
        const summary = loaded ? summaryFromLoaded(loaded) : summaryFromEntry(entry);
        const otherServer = source.kind === 'server' && current.kind === 'server' && source.origin !== current.origin ? source.origin : undefined;
        return {
          kind: 'step',
          id: `${node.group}/${entry.stepId}`,
          stepId: entry.stepId,
          source,
          otherServer,
          summary,
          pinned: pinnedIds.has(entry.stepId),
          recent: node.group === 'recent',
        };
      });
    }
    return node.kind === 'step' ? partNodes(node) : [];
  }
}

/** The Traces view: Pinned and Recent steps, kept in globalState across restarts. */
import * as vscode from 'vscode';
import { stepInfoFromEntry, stepInfoFromLoaded } from '../core/tree/stepLabels';
import { addRecent, MAX_PINNED, MAX_RECENT, pin, pinnedIsFull, readEntries, removeEntry, updateEntry, type TraceEntry } from '../core/treeModel';
import type { TraceStore } from './contracts';
import { partNodes, treeItem, type StepNode, type TreeNode } from './traceTreeItems';

export const RECENT_KEY = 'letta.recentTraces';
export const PINNED_KEY = 'letta.pinnedTraces';

/** Recent and Pinned, persisted in globalState: step IDs and short summaries only, never a key. */
export class TraceLists {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  dispose(): void {
    this.changed.dispose();
  }

  private get limit(): number {
    const n = vscode.workspace.getConfiguration('letta').get<number>('recentLimit', 20);
    return Math.max(0, Math.min(MAX_RECENT, Number.isFinite(n) ? Math.floor(n) : 20));
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

  find(stepId: string): TraceEntry | undefined {
    return this.pinned.find((e) => e.stepId === stepId) ?? this.recent.find((e) => e.stepId === stepId);
  }

  /** A trace was shown: first in Recent, and a pinned copy gets the fresh details. */
  async opened(entry: TraceEntry): Promise<void> {
    await this.state.update(RECENT_KEY, addRecent(this.recent, entry, this.limit));
    if (this.isPinned(entry.stepId)) {
      await this.state.update(PINNED_KEY, updateEntry(this.pinned, entry));
    }
    this.changed.fire();
  }

  /** False when the Pinned list is full (pins are never evicted). */
  async pin(entry: TraceEntry): Promise<boolean> {
    const pinned = this.pinned;
    if (pinnedIsFull(pinned, entry.stepId)) {
      return false;
    }
    await this.state.update(PINNED_KEY, pin(pinned, entry));
    this.changed.fire();
    return true;
  }

  async unpin(stepId: string): Promise<void> {
    await this.state.update(PINNED_KEY, removeEntry(this.pinned, stepId));
    this.changed.fire();
  }

  async remove(stepId: string): Promise<void> {
    await this.state.update(RECENT_KEY, removeEntry(this.recent, stepId));
    this.changed.fire();
  }

  async clear(): Promise<void> {
    await this.state.update(RECENT_KEY, []);
    this.changed.fire();
  }
}

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
      return list.map((entry): StepNode => {
        const loaded = this.store.peek(entry.stepId);
        // The cache knows more (latency, token split, errors) than the remembered summary.
        const info = loaded ? { ...stepInfoFromLoaded(loaded), ...(entry.origin ? { origin: entry.origin } : {}) } : stepInfoFromEntry(entry);
        return { kind: 'step', id: `${node.group}/${entry.stepId}`, stepId: entry.stepId, info, pinned: pinnedIds.has(entry.stepId), recent: node.group === 'recent' };
      });
    }
    return node.kind === 'step' ? partNodes(node) : [];
  }
}

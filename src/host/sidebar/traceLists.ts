/** The Traces view's two lists, Recent and Pinned, persisted in globalState across restarts. */
import * as vscode from 'vscode';
import { addRecent, MAX_PINNED, MAX_RECENT, pin, pinnedIsFull, readEntries, removeEntry, updateEntry, type TraceEntry } from '../../core/sidebar/treeModel';

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

  /** Empties Recent and Pinned (the tests' reset). */
  async reset(): Promise<void> {
    await this.state.update(RECENT_KEY, undefined);
    await this.state.update(PINNED_KEY, undefined);
    this.changed.fire();
  }

  async clear(): Promise<void> {
    await this.state.update(RECENT_KEY, []);
    this.changed.fire();
  }
}

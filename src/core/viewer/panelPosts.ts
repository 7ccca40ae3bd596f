/**
 * What one viewer panel keeps of what it posts. Before its webview says `ready` the pieces wait,
 * counted in the shared `MemoryBudget` (past the budget they are dropped and built again on `ready`).
 * Once sent they are let go: the webview has them, and a webview that loads again (after a reload of
 * the window, say) gets them built afresh from the trace. Only small state messages (loading, an
 * error) are kept to resend. Pure: no `vscode`.
 */
import type { HostMessage } from '../../shared/protocol';
import type { MemoryBudget } from '../memoryBudget';

/** The messages to show, and how to build them again once let go. */
export interface PanelState {
  messages: HostMessage[];
  /** Builds `messages` again; absent for small messages, which are kept. */
  rebuild?: () => HostMessage[];
}

/** Rough size of messages in characters: what they weigh is their text. */
export function messagesSize(messages: readonly HostMessage[]): number {
  let n = 0;
  for (const m of messages) {
    n += m.type === 'raw' ? m.text.length : m.type === 'trace' ? 2 * (m.data.raw?.length ?? 0) + 4096 : 256;
  }
  return n;
}

export class PanelPosts {
  private ready = false;
  /** Waiting for `ready`, or a small state kept to resend. */
  private held: HostMessage[] | undefined;
  private rebuild: (() => HostMessage[]) | undefined;

  constructor(
    private readonly budget: MemoryBudget,
    private readonly key: string,
    private readonly send: (messages: HostMessage[]) => void,
  ) {}

  /** Shows `state`: sent now when the webview is ready, else kept until it is. */
  show(state: PanelState): void {
    this.rebuild = state.rebuild;
    if (this.ready) {
      this.send(state.messages);
      this.keep(state.rebuild ? undefined : state.messages);
    } else {
      this.keep(state.messages);
    }
  }

  /**
   * One more message for the state shown (the context window, counted later): sent now when the
   * webview is ready, else added to what waits. The state's `rebuild` must include it from now on.
   */
  add(message: HostMessage): void {
    if (this.ready) {
      this.send([message]);
    } else if (this.held) {
      this.keep([...this.held, message]);
    }
  }

  /** The webview (re)loaded: it gets the current state, built again if it was let go. */
  onReady(): void {
    this.ready = true;
    const messages = this.held ?? this.rebuild?.() ?? [{ type: 'loading' }];
    this.send(messages);
    this.keep(this.rebuild ? undefined : messages);
  }

  /** Characters held now. */
  get heldSize(): number {
    return this.held ? messagesSize(this.held) : 0;
  }

  dispose(): void {
    this.keep(undefined);
    this.rebuild = undefined;
  }

  private keep(messages: HostMessage[] | undefined): void {
    this.held = messages;
    if (messages && this.rebuild) {
      // Pieces of a trace: counted, and dropped (to be built again) when the budget needs the room.
      this.budget.add(`panel\n${this.key}`, messagesSize(messages), () => {
        this.held = undefined;
      });
    } else {
      this.budget.remove(`panel\n${this.key}`);
    }
  }
}

/**
 * How many steps each run has, for the run rows of the sidebar. A run record does not say and the
 * runs list has no field for it, so a row's count is read from the run's metrics (`num_steps`) the
 * first time the row is drawn: lazily, at most 4 at a time with one shared 429 backoff (a
 * `LoadQueue`), and kept. A finished run's count is final; a run still going is read again once its
 * status changes. A read that fails is not tried again until `clear()` (a redraw must not become a
 * retry loop). Pure: no `vscode` import.
 */
import type { Run } from '../lettaTypes';
import { LoadQueue } from './loadQueue';

export interface RunStepCountsOptions {
  /** Reads a run's step count (undefined when the server does not say); must honour `signal`. */
  load: (runId: string, signal: AbortSignal) => Promise<number | undefined>;
  /** Counts arrived for these runs (called once the reads under way are all done). */
  onCounted: (runIds: string[]) => void;
  concurrency?: number;
  /** How long a 429 asked to wait (its Retry-After), for the shared pause. */
  retryAfterMs?: (error: unknown) => number | undefined;
}

interface Known {
  status: string;
  steps: number;
}

const statusOf = (run: Pick<Run, 'status'>) => run.status ?? '';
// A queue key per run and status, so a run whose status changed is read again.
const keyOf = (runId: string, status: string) => `${runId}\n${status}`;

export class RunStepCounts {
  private readonly known = new Map<string, Known>();
  /** Keys whose read failed or gave no count: not asked again until `clear()`. */
  private readonly gaveUp = new Set<string>();
  private readonly inFlight = new Set<string>();
  private readonly counted = new Set<string>();
  private queue: LoadQueue<number | undefined>;

  constructor(private readonly options: RunStepCountsOptions) {
    this.queue = this.newQueue();
  }

  /**
   * The run's step count; when none is known for its current status, a read starts (once) and the
   * count known from an earlier status, if any, is returned meanwhile.
   */
  get(run: Pick<Run, 'id' | 'status'>): number | undefined {
    const status = statusOf(run);
    const known = this.known.get(run.id);
    if (known?.status !== status) {
      this.read(run.id, status);
    }
    return known?.steps;
  }

  /** A count learnt another way (the run's steps were listed). */
  set(run: Pick<Run, 'id' | 'status'>, steps: number): void {
    this.known.set(run.id, { status: statusOf(run), steps });
  }

  /** Forgets every count and drops the reads under way (the server or its key changed). */
  clear(): void {
    this.queue.cancel();
    this.queue = this.newQueue();
    this.known.clear();
    this.gaveUp.clear();
    this.inFlight.clear();
    this.counted.clear();
  }

  dispose(): void {
    this.queue.cancel();
  }

  private newQueue(): LoadQueue<number | undefined> {
    const { load, concurrency = 4, retryAfterMs } = this.options;
    return new LoadQueue<number | undefined>({ load: (key, signal) => load(key.split('\n')[0], signal), concurrency, retryAfterMs });
  }

  private read(runId: string, status: string): void {
    const key = keyOf(runId, status);
    if (this.gaveUp.has(key) || this.inFlight.has(key)) {
      return;
    }
    this.inFlight.add(key);
    const queue = this.queue;
    const settled = (steps: number | undefined) => {
      if (queue !== this.queue) {
        return; // cleared meanwhile: this count belongs to what was forgotten
      }
      this.inFlight.delete(key);
      if (steps === undefined) {
        this.gaveUp.add(key);
      } else {
        this.known.set(runId, { status, steps });
        this.counted.add(runId);
      }
      if (queue.active === 0 && queue.queued === 0 && this.counted.size > 0) {
        const ids = [...this.counted];
        this.counted.clear();
        this.options.onCounted(ids);
      }
    };
    queue.request(key).then(
      (steps) => settled(typeof steps === 'number' && Number.isFinite(steps) && steps >= 0 ? steps : undefined),
      () => settled(undefined),
    );
  }
}

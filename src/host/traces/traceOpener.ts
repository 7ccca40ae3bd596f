/** Shows a trace where the user wants it: the viewer, the JSON documents, or both. */
import type { LoadedTrace, TraceSource } from '../../core/lettaTypes';
import type { TraceOpener, TracePanels, TraceStore, TraceView } from '../contracts';
import { openRequestAndResponse } from '../documents/traceDocuments';
import { readSettings } from '../settings';

export class ConfiguredTraceOpener implements TraceOpener {
  constructor(
    private readonly store: TraceStore,
    private readonly panels: TracePanels,
  ) {}

  async open(stepId: string, view?: TraceView, source?: TraceSource): Promise<void> {
    // The panel's frame is created while the trace is fetched, not after (issue 19).
    const early = (view ?? readSettings().openTraceIn) !== 'documents' && !this.store.peek(stepId, source) ? this.panels.opening?.(stepId, source) : undefined;
    const trace = await this.store.load(stepId, { source, retry: () => this.open(stepId, view, source) });
    if (trace) {
      await this.show(trace, view);
    } else {
      early?.cancel();
    }
  }

  async show(trace: LoadedTrace, view: TraceView = readSettings().openTraceIn): Promise<void> {
    this.store.put(trace);
    if (view !== 'documents') {
      this.panels.show(trace);
    }
    if (view !== 'webview') {
      await openRequestAndResponse(trace);
    }
    this.store.noteOpened(trace);
  }
}

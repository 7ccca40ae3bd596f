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
    const trace = await this.store.load(stepId, { source, retry: () => this.open(stepId, view, source) });
    if (trace) {
      await this.show(trace, view);
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

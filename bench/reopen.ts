/**
 * Reopening a step whose viewer is already open, with the host's own code (`registerViewer`, the
 * trace store, the opener) under a stand-in `vscode`: "Open Step Trace" on a 50 MB step that is on
 * screen must only reveal its panel (target ≤ 5 ms) and post nothing again. The floor is the first
 * open of the same step (payload built and posted), timed in the same run.
 */
import { errorMessage } from '../src/core/errorMessage';
import type * as Budget from '../src/core/memoryBudget';
import type { LoadedTrace, ProviderTrace } from '../src/core/lettaTypes';
import type * as Opener from '../src/host/traces/traceOpener';
import type * as Store from '../src/host/traces/traceStore';
import type * as Viewer from '../src/host/viewer/registerViewer';
import { largeTraceText } from './lib/data';
import { ROOT, need } from './lib/paths';
import { atMost, emit, ms, notMeasured, ratio } from './lib/report';
import { median, runs } from './lib/stats';
import { createExtensionContext, createVscodeStub, installVscodeStub } from './lib/vscodeStub';

const MEASURE = 'reopen an open 50 MB step (reveal only, no re-post)';
const TARGET_MS = 5;

interface FakePanel {
  posted: number;
  reveals: number;
  deliver(message: unknown): void;
}

/** A webview panel that counts what the host posts and reveals, and lets the bench say `ready`. */
function fakePanel(): { panel: unknown; probe: FakePanel } {
  let listener: ((m: unknown) => unknown) | undefined;
  const probe: FakePanel = { posted: 0, reveals: 0, deliver: (m) => void listener?.(m) };
  const disposable = { dispose: () => undefined };
  const panel = {
    title: '',
    visible: true,
    active: true,
    viewColumn: 1,
    webview: {
      html: '',
      options: {},
      cspSource: 'vscode-webview:',
      asWebviewUri: (u: unknown) => u,
      postMessage: () => {
        probe.posted++;
        return Promise.resolve(true);
      },
      onDidReceiveMessage: (l: (m: unknown) => unknown) => {
        listener = l;
        return disposable;
      },
    },
    onDidDispose: () => disposable,
    onDidChangeViewState: () => disposable,
    reveal: () => {
      probe.reveals++;
    },
    dispose: () => undefined,
  };
  return { panel, probe };
}

async function main(): Promise<void> {
  const stub = createVscodeStub();
  let last: FakePanel | undefined;
  stub.window.createWebviewPanel = () => {
    const { panel, probe } = fakePanel();
    last = probe;
    return panel;
  };
  installVscodeStub(stub);
  let modules: { viewer: typeof Viewer; store: typeof Store; opener: typeof Opener; budget: typeof Budget };
  try {
    modules = {
      viewer: need<typeof Viewer>('src/host/viewer/registerViewer'),
      store: need<typeof Store>('src/host/traces/traceStore'),
      opener: need<typeof Opener>('src/host/traces/traceOpener'),
      budget: need<typeof Budget>('src/core/memoryBudget'),
    };
  } catch (e) {
    emit(notMeasured(MEASURE, errorMessage(e), `≤ ${TARGET_MS} ms`));
    return;
  }
  const { text, stepId } = largeTraceText(50);
  const origin = 'http://127.0.0.1:9';
  const api = { origin, onDidChange: () => ({ dispose: () => undefined }), getApi: () => Promise.resolve(undefined), access: () => Promise.resolve({ kind: 'no-key' as const, origin, host: '127.0.0.1:9' }) };
  const log = stub.window.createOutputChannel('Letta', { log: true });
  const budget = new modules.budget.MemoryBudget();
  const store = new modules.store.CachedTraceStore(api, log, budget);
  const n = runs(15);
  const firstOpens: number[] = [];
  const reopens: number[] = [];
  let reposted = 0;
  for (let i = 0; i < Math.max(2, Math.ceil(n / 5)); i++) {
    // A fresh viewer and trace object each round: the first open builds and posts the payload.
    const context = createExtensionContext(ROOT);
    const feedback = { set: () => Promise.resolve(undefined), onDidChange: () => ({ dispose: () => undefined }) };
    const panels = modules.viewer.registerViewer(context, { log, store, budget, feedback });
    const opener = new modules.opener.ConfiguredTraceOpener(store, panels);
    const trace: LoadedTrace = { stepId, trace: JSON.parse(text) as ProviderTrace, source: { kind: 'server', origin }, loadedAt: Date.now() + i };
    store.put(trace);
    const t0 = performance.now();
    await opener.show(trace);
    last?.deliver({ type: 'ready' });
    firstOpens.push(performance.now() - t0);
    const probe = last;
    if (!probe || probe.posted === 0) {
      throw new Error('the first open posted nothing');
    }
    const postedAfterOpen = probe.posted;
    for (let j = 0; j < 5; j++) {
      const r0 = performance.now();
      await opener.open(stepId);
      reopens.push(performance.now() - r0);
    }
    reposted += probe.posted - postedAfterOpen;
    if (probe.reveals < 5) {
      throw new Error(`the open panel was revealed ${probe.reveals} times for 5 reopens`);
    }
    for (const d of context.subscriptions as { dispose(): void }[]) {
      d.dispose();
    }
  }
  const value = median(reopens);
  const floor = median(firstOpens);
  emit({
    measure: MEASURE,
    value: ms(value),
    floor: `${ms(floor)} (first open: payload built + posted)`,
    ratio: ratio(value, floor),
    target: `≤ ${TARGET_MS} ms, 0 re-posts`,
    verdict: reposted === 0 ? atMost(value, TARGET_MS) : 'MISSED',
    note: `reopen: median of ${reopens.length} "Open Step Trace" runs on a step open in the viewer (cache hit, panel revealed); messages posted again: ${reposted}.`,
  });
}

void main()
  .catch((e: unknown) => emit(notMeasured(MEASURE, errorMessage(e), `≤ ${TARGET_MS} ms`)))
  .then(() => setTimeout(() => process.exit(0), 50));

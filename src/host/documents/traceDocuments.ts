/**
 * Read-only JSON documents for a trace's request, response and metadata, served by a read-only
 * file system: the editor refuses typing (a content provider's documents could still be edited in
 * memory), and the `.json` path gives JSON mode.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { prettyJson, tracePartValue } from '../../core/traceJson';
import type { TraceSource } from '../../core/lettaTypes';
import type { MemoryBudget } from '../../core/memoryBudget';
import { RenderedDocuments, type RenderedMeta } from '../../core/renderedDocuments';
import { parseTraceDocumentPath, parseTraceDocumentQuery, TRACE_SCHEME, traceDocumentPath, traceDocumentQuery, type TracePart } from '../../core/traceUri';
import type { ApiProvider, TraceStore } from '../contracts';

/** The document of one part of a trace, naming its source (so it reopens from there after a reload). */
export function traceDocumentUri(trace: { stepId: string; source: TraceSource }, part: TracePart): vscode.Uri {
  return vscode.Uri.from({ scheme: TRACE_SCHEME, path: traceDocumentPath(trace.stepId, part), query: traceDocumentQuery(trace.source) });
}

/** Request in the active column, response beside it. */
export async function openRequestAndResponse(trace: { stepId: string; source: TraceSource }): Promise<void> {
  const request = await vscode.workspace.openTextDocument(traceDocumentUri(trace, 'request'));
  await vscode.window.showTextDocument(request, { preview: false, viewColumn: vscode.ViewColumn.Active });
  const response = await vscode.workspace.openTextDocument(traceDocumentUri(trace, 'response'));
  await vscode.window.showTextDocument(response, { preview: false, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
}

const keyOf = (uri: vscode.Uri) => `${uri.path}?${uri.query}`;

export class TraceFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** Rendered bytes wait for their `readFile` only, counted in the shared memory budget; sizes and mtimes stay. */
  private readonly rendered: RenderedDocuments;

  constructor(
    private readonly store: TraceStore,
    private readonly log: vscode.LogOutputChannel,
    budget: MemoryBudget,
  ) {
    this.rendered = new RenderedDocuments(budget);
  }

  /** The source a document names, else the configured server. */
  private sourceOf(uri: vscode.Uri): TraceSource {
    return parseTraceDocumentQuery(uri.query) ?? this.store.currentSource();
  }

  /** Never throws: a failure becomes readable text in the document (and is not kept, so a retry can work). */
  private async renderNow(uri: vscode.Uri): Promise<{ bytes: Uint8Array; meta: RenderedMeta }> {
    const { text, ok, mtime } = await this.renderText(uri);
    const bytes = Buffer.from(text, 'utf8');
    this.rendered.put(keyOf(uri), bytes, mtime, ok);
    return { bytes, meta: { size: bytes.byteLength, mtime, ok } };
  }

  private async renderText(uri: vscode.Uri): Promise<{ text: string; ok: boolean; mtime: number }> {
    const target = parseTraceDocumentPath(uri.path);
    if (!target) {
      return {
        text: `// Not a Letta trace document: ${uri.path.slice(0, 200)}\n// Trace documents are letta-trace:/step-<uuid>/request.json, response.json or metadata.json.`,
        ok: false,
        mtime: Date.now(),
      };
    }
    const source = this.sourceOf(uri);
    try {
      const loaded =
        this.store.peek(target.stepId, source) ?? (await this.store.load(target.stepId, { source, retry: () => this.reload(uri) }));
      if (!loaded) {
        const where = source.kind === 'file' ? source.path : source.origin;
        return {
          text: `// The trace of ${target.stepId} (from ${where}) could not be loaded. Run "Letta: Open Step Trace" to try again; "Letta: Show Log" says what went wrong.`,
          ok: false,
          mtime: Date.now(),
        };
      }
      return { text: prettyJson(tracePartValue(loaded.trace, target.part)), ok: true, mtime: loaded.loadedAt };
    } catch (e) {
      this.log.error(`Trace document ${uri.toString()}: ${errorMessage(e)}`);
      return { text: `// The trace of ${target.stepId} could not be shown; "Letta: Show Log" has the details.`, ok: false, mtime: Date.now() };
    }
  }

  /** Renders `uri` again and tells its editor (Retry after a failed load). */
  private reload(uri: vscode.Uri): void {
    this.rendered.invalidate((key) => key === keyOf(uri));
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  /** The text of a document whose trace is at hand (no request), or undefined. */
  renderedText(uri: vscode.Uri): string | undefined {
    const target = parseTraceDocumentPath(uri.path);
    const loaded = target && this.store.peekQuietly(target.stepId, this.sourceOf(uri));
    return loaded && target ? prettyJson(tracePartValue(loaded.trace, target.part)) : undefined;
  }

  /** Forgets rendered text of a step (after a refresh) and tells open editors: the new mtime makes them reload. */
  invalidate(stepId: string): void {
    this.forget((key) => key.startsWith(`/${stepId}/`), () => true);
  }

  /**
   * The server changed: forget every rendered server document, so none is served from what the old
   * server sent. Open editors are not told: each shows the trace of the server it names, and a
   * re-render now would load (and maybe ask for a key) in the background, unasked.
   */
  serverChanged(): void {
    this.forget(
      (key) => !key.includes('?file='),
      () => false,
    );
  }

  /** Forgets everything (the tests' reset). */
  reset(): void {
    this.rendered.clear();
  }

  private forget(drop: (key: string) => boolean, tell: (key: string) => boolean): void {
    const keys = this.rendered.invalidate(drop).filter(tell);
    if (keys.length > 0) {
      this.changed.fire(
        keys.map((key) => {
          const at = key.indexOf('?');
          return { type: vscode.FileChangeType.Changed, uri: vscode.Uri.from({ scheme: TRACE_SCHEME, path: key.slice(0, at), query: key.slice(at + 1) }) };
        }),
      );
    }
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    // Folders are the root and a step's; any other path is a document, if only one saying it is not a trace.
    if (!uri.path.endsWith('.json')) {
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
    }
    const meta = this.rendered.stat(keyOf(uri)) ?? (await this.renderNow(uri)).meta;
    return { type: vscode.FileType.File, ctime: meta.mtime, mtime: meta.mtime, size: meta.size, permissions: vscode.FilePermission.Readonly };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.rendered.take(keyOf(uri)) ?? (await this.renderNow(uri)).bytes;
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changed.dispose();
    this.rendered.clear();
  }
}

/** Registers the read-only `letta-trace:` file system. */
export function registerTraceDocuments(
  context: vscode.ExtensionContext,
  deps: { store: TraceStore; api: Pick<ApiProvider, 'onDidChange'>; log: vscode.LogOutputChannel; budget: MemoryBudget },
): TraceFileSystem {
  const { store, api, log } = deps;
  const fileSystem = new TraceFileSystem(store, log, deps.budget);
  context.subscriptions.push(
    fileSystem,
    vscode.workspace.registerFileSystemProvider(TRACE_SCHEME, fileSystem, { isReadonly: true, isCaseSensitive: true }),
    store.onDidRefresh((trace) => fileSystem.invalidate(trace.stepId)),
    api.onDidChange(() => fileSystem.serverChanged()),
    // The editor refuses typing, but a WorkspaceEdit (from another extension, say) still changes the
    // text in memory: put the trace back, so a trace document never shows what the server did not send.
    // (Such a document never turns dirty, so compare the text; a reload matches and stops there.)
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.scheme !== TRACE_SCHEME || e.contentChanges.length === 0) {
        return;
      }
      const expected = fileSystem.renderedText(e.document.uri);
      if (expected !== undefined && e.document.getText() !== expected) {
        log.warn(`An edit reached the read-only ${e.document.uri.toString()}; restoring the trace.`);
        void vscode.commands.executeCommand('workbench.action.files.revert', e.document.uri);
      }
    }),
  );
  return fileSystem;
}

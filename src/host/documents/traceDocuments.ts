/**
 * Read-only JSON documents for a trace's request, response and metadata, served by a read-only
 * file system: the editor refuses typing (a content provider's documents could still be edited in
 * memory), and the `.json` path gives JSON mode.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { prettyJson, tracePartValue } from '../../core/traceJson';
import { parseTraceDocumentPath, TRACE_SCHEME, traceDocumentPath, type TracePart } from '../../core/traceUri';
import type { TraceStore } from '../contracts';

export function traceDocumentUri(stepId: string, part: TracePart): vscode.Uri {
  return vscode.Uri.from({ scheme: TRACE_SCHEME, path: traceDocumentPath(stepId, part) });
}

/** Request in the active column, response beside it. */
export async function openRequestAndResponse(stepId: string): Promise<void> {
  const request = await vscode.workspace.openTextDocument(traceDocumentUri(stepId, 'request'));
  await vscode.window.showTextDocument(request, { preview: false, viewColumn: vscode.ViewColumn.Active });
  const response = await vscode.workspace.openTextDocument(traceDocumentUri(stepId, 'response'));
  await vscode.window.showTextDocument(response, { preview: false, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
}

export class TraceFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /**
   * The last few rendered documents: `stat` and `readFile` come in pairs. A failure is kept for a
   * moment only, so that pair does not load twice, yet opening the document again retries.
   */
  private readonly rendered = new Map<string, { bytes: Uint8Array; until: number }>();

  constructor(
    private readonly store: TraceStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Never throws: a failure becomes readable text in the document (and is not kept, so a retry can work). */
  async render(uri: vscode.Uri): Promise<Uint8Array> {
    const hit = this.rendered.get(uri.path);
    if (hit && hit.until > Date.now()) {
      return hit.bytes;
    }
    const { text, ok } = await this.renderText(uri);
    const bytes = Buffer.from(text, 'utf8');
    this.rendered.delete(uri.path);
    this.rendered.set(uri.path, { bytes, until: ok ? Number.POSITIVE_INFINITY : Date.now() + 2000 });
    while (this.rendered.size > 6) {
      this.rendered.delete(this.rendered.keys().next().value as string);
    }
    return bytes;
  }

  private async renderText(uri: vscode.Uri): Promise<{ text: string; ok: boolean }> {
    const target = parseTraceDocumentPath(uri.path);
    if (!target) {
      return { text: `// Not a Letta trace document: ${uri.path.slice(0, 200)}\n// Trace documents are letta-trace:/step-<uuid>/request.json, response.json or metadata.json.`, ok: false };
    }
    try {
      const loaded = this.store.peek(target.stepId) ?? (await this.store.load(target.stepId));
      if (!loaded) {
        return { text: `// The trace of ${target.stepId} could not be loaded. Run "Letta: Open Step Trace" to try again; "Letta: Show Log" says what went wrong.`, ok: false };
      }
      return { text: prettyJson(tracePartValue(loaded.trace, target.part)), ok: true };
    } catch (e) {
      this.log.error(`Trace document ${uri.toString()}: ${errorMessage(e)}`);
      return { text: `// The trace of ${target.stepId} could not be shown; "Letta: Show Log" has the details.`, ok: false };
    }
  }

  /** The text of a document whose trace is at hand (no request), or undefined. */
  renderedText(uri: vscode.Uri): string | undefined {
    const hit = this.rendered.get(uri.path);
    if (hit && hit.until > Date.now()) {
      return Buffer.from(hit.bytes).toString('utf8');
    }
    const target = parseTraceDocumentPath(uri.path);
    const loaded = target && this.store.peek(target.stepId);
    return loaded && target ? prettyJson(tracePartValue(loaded.trace, target.part)) : undefined;
  }

  /** Forgets rendered text (after a refresh from the server) and tells open editors. */
  invalidate(stepId: string): void {
    for (const path of [...this.rendered.keys()].filter((p) => p.startsWith(`/${stepId}/`))) {
      this.rendered.delete(path);
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri: vscode.Uri.from({ scheme: TRACE_SCHEME, path }) }]);
    }
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    // Folders are the root and a step's; any other path is a document, if only one saying it is not a trace.
    if (!uri.path.endsWith('.json')) {
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
    }
    const bytes = await this.render(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: bytes.byteLength, permissions: vscode.FilePermission.Readonly };
  }

  readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.render(uri);
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
export function registerTraceDocuments(context: vscode.ExtensionContext, store: TraceStore, log: vscode.LogOutputChannel): TraceFileSystem {
  const fileSystem = new TraceFileSystem(store, log);
  context.subscriptions.push(
    fileSystem,
    vscode.workspace.registerFileSystemProvider(TRACE_SCHEME, fileSystem, { isReadonly: true, isCaseSensitive: true }),
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

/**
 * Read-only JSON documents for a trace's request, response and metadata, served by a read-only
 * file system: the editor refuses typing (a content provider's documents could still be edited in
 * memory), and the `.json` path gives JSON mode.
 */
import * as vscode from 'vscode';
import { prettyJson, tracePartValue } from '../core/traceJson';
import { parseTraceDocumentPath, TRACE_SCHEME, traceDocumentPath, type TracePart } from '../core/traceUri';
import type { TraceStore } from './contracts';

export function traceDocumentUri(stepId: string, part: TracePart): vscode.Uri {
  return vscode.Uri.from({ scheme: TRACE_SCHEME, path: traceDocumentPath(stepId, part) });
}

export class TraceFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** The last few rendered documents: `stat` and `readFile` come in pairs. */
  private readonly rendered = new Map<string, Uint8Array>();

  constructor(
    private readonly store: TraceStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Never throws: a failure becomes readable text in the document. */
  async render(uri: vscode.Uri): Promise<Uint8Array> {
    const hit = this.rendered.get(uri.path);
    if (hit) {
      return hit;
    }
    const target = parseTraceDocumentPath(uri.path);
    let text: string;
    if (!target) {
      text = `// Not a Letta trace document: ${uri.toString()}`;
    } else {
      try {
        const loaded = this.store.peek(target.stepId) ?? (await this.store.load(target.stepId));
        text = loaded
          ? prettyJson(tracePartValue(loaded.trace, target.part))
          : `// The trace of ${target.stepId} could not be loaded. Run "Letta: Open Step Trace" to try again.`;
      } catch (e) {
        this.log.error(`Trace document ${uri.toString()}: ${e instanceof Error ? e.message : String(e)}`);
        text = `// The trace of ${target.stepId} could not be shown; see "Letta: Show Log".`;
      }
    }
    const bytes = Buffer.from(text, 'utf8');
    this.rendered.set(uri.path, bytes);
    while (this.rendered.size > 6) {
      this.rendered.delete(this.rendered.keys().next().value as string);
    }
    return bytes;
  }

  /** Forgets rendered text (after a refresh from the server) and tells open editors. */
  invalidate(stepId: string): void {
    for (const path of [...this.rendered.keys()].filter((p) => p.startsWith(`/${stepId}/`))) {
      this.rendered.delete(path);
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri: vscode.Uri.from({ scheme: TRACE_SCHEME, path }) }]);
    }
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    if (!parseTraceDocumentPath(uri.path)) {
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
}

/** Registers the read-only `letta-trace:` file system. */
export function registerTraceDocuments(context: vscode.ExtensionContext, store: TraceStore, log: vscode.LogOutputChannel): TraceFileSystem {
  const fileSystem = new TraceFileSystem(store, log);
  context.subscriptions.push(vscode.workspace.registerFileSystemProvider(TRACE_SCHEME, fileSystem, { isReadonly: true, isCaseSensitive: true }));
  return fileSystem;
}

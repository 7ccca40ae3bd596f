/**
 * Which agent each workspace folder's Letta Code project file names, kept current by a file
 * watcher (debounced: Letta Code writes the file in one go, but editors and git may touch it twice).
 *
 * Untrusted workspaces: the file is still read, for the agent ID only. It is data, not
 * configuration: the ID is looked up on the server the user configured, with the user's key, so a
 * hostile file can at most name an agent that server does not know.
 */
import * as vscode from 'vscode';
import { lettaCodeServerKey, MAX_PROJECT_FILE_BYTES, parseProjectSettings, PROJECT_FILE, type ProjectAgent } from '../../core/workspace/lettaCodeFiles';

export interface FolderAgent {
  folder: vscode.WorkspaceFolder;
  /** What the file says; folders without the file are not listed at all. */
  agent: ProjectAgent;
}

const DEBOUNCE_MS = 250;

export class ProjectAgents implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the list was read again and differs. */
  readonly onDidChange = this.changed.event;
  private current: FolderAgent[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private watchers: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reading: Promise<void> = Promise.resolve();

  /** `serverUrl` gives the configured server's origin: the file's agent for that server is used. */
  constructor(
    private readonly serverUrl: () => string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watch();
        this.schedule();
      }),
    );
    this.watch();
  }

  get folders(): readonly FolderAgent[] {
    return this.current;
  }

  /** Reads every folder's file now (the first read, a server change). */
  refresh(): Promise<void> {
    this.reading = this.reading.then(() => this.readAll()).catch((e: unknown) => this.log.warn(`Letta Code project files: ${String(e)}`));
    return this.reading;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), DEBOUNCE_MS);
  }

  private watch(): void {
    vscode.Disposable.from(...this.watchers).dispose();
    this.watchers = (vscode.workspace.workspaceFolders ?? []).map((folder) => {
      // The folder too: a deleted or recreated `.letta` may be reported for the folder alone.
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, `{${PROJECT_FILE.split('/')[0]},${PROJECT_FILE}}`));
      return vscode.Disposable.from(watcher, watcher.onDidCreate(() => this.schedule()), watcher.onDidChange(() => this.schedule()), watcher.onDidDelete(() => this.schedule()));
    });
  }

  private async readAll(): Promise<void> {
    const serverKey = lettaCodeServerKey(this.serverUrl());
    const next: FolderAgent[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const agent = await readProjectAgent(vscode.Uri.joinPath(folder.uri, ...PROJECT_FILE.split('/')), serverKey);
      if (agent) {
        next.push({ folder, agent });
      }
    }
    if (JSON.stringify(next.map(describe)) !== JSON.stringify(this.current.map(describe))) {
      this.current = next;
      this.log.info(`Letta Code workspace agents: ${next.map(describe).join(', ') || 'none'}`);
      this.changed.fire();
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    vscode.Disposable.from(...this.watchers, ...this.disposables).dispose();
    this.changed.dispose();
  }
}

function describe(f: FolderAgent): string {
  const what = f.agent.kind === 'agent' ? f.agent.agentId : f.agent.kind === 'problem' ? f.agent.problem : 'none';
  return `${f.folder.uri.toString()}=${what}`;
}

/** The file's agent, a problem, or undefined when there is no file. The size is checked before reading. */
export async function readProjectAgent(uri: vscode.Uri, serverKey: string): Promise<ProjectAgent | undefined> {
  let size: number;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) {
      return undefined;
    }
    size = stat.size;
  } catch {
    return undefined;
  }
  if (size > MAX_PROJECT_FILE_BYTES) {
    return { kind: 'problem', problem: 'too-large' };
  }
  try {
    return parseProjectSettings(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), serverKey);
  } catch {
    return undefined; // deleted between stat and read: the watcher reads again
  }
}

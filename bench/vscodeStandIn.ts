/**
 * A minimal stand-in for the `vscode` module, enough for `activate()` to register everything:
 * every namespace is a Proxy whose functions return a disposable (or an event), so activation is
 * timed without VS Code.
 */
const disposable = { dispose() {} };
const event = () => disposable;

class EventEmitter {
  event = event;
  fire() {}
  dispose() {}
}

class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]) {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose() {
    this.fn();
  }
}

function namespace(overrides: Record<string, unknown> = {}): unknown {
  return new Proxy(overrides, {
    get: (target, key: string) => (key in target ? target[key] : key.startsWith('onDid') || key.startsWith('onWill') ? event : () => disposable),
  });
}

const configuration = { get: (_k: string, d?: unknown) => d, inspect: () => undefined, update: () => Promise.resolve(), has: () => false };

export function vscodeStandIn(): unknown {
  const treeView = { dispose() {}, reveal: () => Promise.resolve(), description: '' };
  return new Proxy(
    {
      EventEmitter,
      Disposable,
      Uri: { file: (p: string) => ({ fsPath: p, path: p, scheme: 'file' }), from: (c: object) => c, parse: (s: string) => ({ path: s }), joinPath: () => ({}) },
      ThemeIcon: class {},
      TreeItem: class {},
      MarkdownString: class {},
      window: namespace({ createOutputChannel: () => namespace(), createTreeView: () => treeView, activeTextEditor: undefined, visibleTextEditors: [] }),
      workspace: namespace({ getConfiguration: () => configuration, textDocuments: [], workspaceFolders: undefined }),
      commands: namespace({ executeCommand: () => Promise.resolve() }),
      languages: namespace(),
      env: namespace({ clipboard: { readText: () => Promise.resolve(''), writeText: () => Promise.resolve() } }),
      l10n: { t: (s: string) => s },
      ProgressLocation: { Notification: 15 },
      ConfigurationTarget: { Global: 1 },
      ViewColumn: { Active: -1, Beside: -2 },
      FileType: { File: 1, Directory: 2 },
      FilePermission: { Readonly: 1 },
      FileChangeType: { Changed: 1 },
      TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
      FileSystemError: { NoPermissions: () => new Error('no permissions') },
    },
    { get: (target: Record<string, unknown>, key: string) => (key in target ? target[key] : namespace()) },
  );
}

/**
 * A stand-in for the `vscode` module, enough for `activate()` to run in plain Node: real little
 * classes where the extension constructs or extends them (EventEmitter, Disposable, Uri, TreeItem…),
 * and a generic Proxy for everything else, which accepts any call and returns something disposable.
 * Calls to `register*` / `create*` are counted, so the benchmark can show that activation did its work.
 * Settings answer their defaults, except the server URL, which points at a closed loopback port so
 * nothing the extension starts in the background can leave the machine.
 */
import Module from 'node:module';
import * as path from 'node:path';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const calls = new Map<string, number>();

function count(name: string): void {
  calls.set(name, (calls.get(name) ?? 0) + 1);
}

/** Anything: callable, constructible, every property another stub, never a thenable. */
function anything(name: string): any {
  const target = function () {
    /* stub */
  };
  return new Proxy(target, {
    get(t, prop) {
      switch (prop) {
        case 'then':
          return undefined;
        case 'dispose':
          return () => undefined;
        case Symbol.toPrimitive:
          return () => name;
        case Symbol.iterator:
          return function* () {
            /* empty */
          };
        case 'toString':
        case 'toJSON':
          return () => name;
        case 'prototype':
          return t.prototype;
        default:
          return anything(`${name}.${String(prop)}`);
      }
    },
    set: () => true,
    apply: () => anything(`${name}()`),
    construct: (_t, _args, newTarget) => Reflect.construct(Object, [], newTarget),
  });
}

class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  constructor(private readonly fn: () => unknown = () => undefined) {}
  dispose(): void {
    this.fn();
  }
}

class EventEmitter<T> {
  private listeners: ((e: T) => unknown)[] = [];
  readonly event = (listener: (e: T) => unknown, thisArg?: unknown, disposables?: Disposable[]): Disposable => {
    const bound = thisArg ? listener.bind(thisArg) : listener;
    this.listeners.push(bound);
    const d = new Disposable(() => (this.listeners = this.listeners.filter((l) => l !== bound)));
    disposables?.push(d);
    return d;
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) {
      l(e);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

class Uri {
  constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static parse(value: string): Uri {
    const u = new URL(value);
    return new Uri(u.protocol.replace(/:$/, ''), u.host, decodeURIComponent(u.pathname), u.search.replace(/^\?/, ''), u.hash.replace(/^#/, ''));
  }
  static file(p: string): Uri {
    return new Uri('file', '', p, '', '');
  }
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return base.with({ path: path.posix.join(base.path, ...parts) });
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: Partial<Pick<Uri, 'scheme' | 'authority' | 'path' | 'query' | 'fragment'>>): Uri {
    return new Uri(change.scheme ?? this.scheme, change.authority ?? this.authority, change.path ?? this.path, change.query ?? this.query, change.fragment ?? this.fragment);
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
  toJSON(): string {
    return this.toString();
  }
}

class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c ?? 0, d ?? 0) : (b as Position);
  }
}

class TreeItem {
  [key: string]: unknown;
  constructor(
    public label: unknown,
    public collapsibleState?: number,
  ) {}
}

class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(
    readonly id: string,
    readonly color?: unknown,
  ) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class MarkdownString {
  isTrusted: unknown;
  supportThemeIcons?: boolean;
  supportHtml?: boolean;
  constructor(
    public value = '',
    supportThemeIcons?: boolean,
  ) {
    this.supportThemeIcons = supportThemeIcons;
  }
  appendMarkdown(v: string): this {
    this.value += v;
    return this;
  }
  appendText(v: string): this {
    this.value += v;
    return this;
  }
  appendCodeblock(v: string): this {
    this.value += `\n\`\`\`\n${v}\n\`\`\`\n`;
    return this;
  }
}

class Hover {
  constructor(
    readonly contents: unknown,
    readonly range?: Range,
  ) {}
}

class DocumentLink {
  tooltip?: string;
  constructor(
    readonly range: Range,
    readonly target?: Uri,
  ) {}
}

class CancellationTokenSource {
  token = { isCancellationRequested: false, onCancellationRequested: () => new Disposable() };
  cancel(): void {
    this.token.isCancellationRequested = true;
  }
  dispose(): void {
    /* nothing */
  }
}

class FileSystemError extends Error {
  static NoPermissions = (m?: unknown) => new FileSystemError(String(m));
  static FileNotFound = (m?: unknown) => new FileSystemError(String(m));
  static Unavailable = (m?: unknown) => new FileSystemError(String(m));
}

/** Answers every setting with its default; the server URL with a closed loopback port. */
function configuration(section?: string): any {
  return {
    get<T>(key: string, fallback?: T): T | undefined {
      const full = section ? `${section}.${key}` : key;
      if (full === 'letta.baseUrl') {
        return 'http://127.0.0.1:9' as T;
      }
      return fallback;
    },
    has: () => false,
    inspect: () => undefined,
    update: () => Promise.resolve(),
  };
}

function memento(): any {
  const values = new Map<string, unknown>();
  return {
    get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback),
    update: (key: string, value: unknown) => {
      values.set(key, value);
      return Promise.resolve();
    },
    keys: () => [...values.keys()],
    setKeysForSync: () => undefined,
  };
}

/** A namespace whose functions are stubs that count `register*` and `create*` calls. */
function namespace(name: string, overrides: Record<string, unknown> = {}): any {
  return new Proxy(overrides, {
    get(t, prop) {
      if (typeof prop === 'string' && prop in t) {
        return t[prop];
      }
      if (prop === 'then') {
        return undefined;
      }
      const stub = anything(`${name}.${String(prop)}`);
      if (typeof prop === 'string' && /^(register|create|on)/.test(prop)) {
        return (...args: unknown[]) => {
          count(`${name}.${prop}`);
          return typeof args[0] === 'function' || prop.startsWith('register') || prop.startsWith('on') ? new Disposable() : stub(...args);
        };
      }
      return stub;
    },
  });
}

function enumOf(...names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((n, i) => [n, i]));
}

export function createVscodeStub(): any {
  const outputChannel = () => ({
    name: 'Letta',
    logLevel: 2,
    onDidChangeLogLevel: () => new Disposable(),
    append: () => undefined,
    appendLine: () => undefined,
    replace: () => undefined,
    clear: () => undefined,
    show: () => undefined,
    hide: () => undefined,
    dispose: () => undefined,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  });
  const treeView = () => ({
    visible: false,
    selection: [],
    message: undefined,
    title: undefined,
    description: undefined,
    badge: undefined,
    onDidChangeVisibility: () => new Disposable(),
    onDidChangeSelection: () => new Disposable(),
    onDidExpandElement: () => new Disposable(),
    onDidCollapseElement: () => new Disposable(),
    onDidChangeCheckboxState: () => new Disposable(),
    reveal: () => Promise.resolve(),
    dispose: () => undefined,
  });
  const stub: Record<string, unknown> = {
    version: '1.100.0',
    Disposable,
    EventEmitter,
    Uri,
    Position,
    Range,
    Selection: Range,
    TreeItem,
    ThemeIcon,
    ThemeColor,
    MarkdownString,
    Hover,
    DocumentLink,
    CancellationTokenSource,
    FileSystemError,
    TreeItemCollapsibleState: enumOf('None', 'Collapsed', 'Expanded'),
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 },
    FileType: { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 },
    FilePermission: { Readonly: 1 },
    FileChangeType: { Changed: 1, Created: 2, Deleted: 3 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    LogLevel: enumOf('Off', 'Trace', 'Debug', 'Info', 'Warning', 'Error'),
    l10n: { t: (message: string | { message: string }, ...args: unknown[]) => format(typeof message === 'string' ? message : message.message, args) },
    window: namespace('window', {
      createOutputChannel: () => {
        count('window.createOutputChannel');
        return outputChannel();
      },
      createTreeView: () => {
        count('window.createTreeView');
        return treeView();
      },
      activeTextEditor: undefined,
      visibleTextEditors: [],
      terminals: [],
      state: { focused: true, active: true },
    }),
    workspace: namespace('workspace', {
      getConfiguration: (section?: string) => configuration(section),
      workspaceFolders: undefined,
      isTrusted: true,
      textDocuments: [],
      fs: anything('workspace.fs'),
    }),
    commands: namespace('commands', {
      executeCommand: () => Promise.resolve(undefined),
      getCommands: () => Promise.resolve([]),
    }),
    languages: namespace('languages'),
    env: namespace('env', { language: 'en', appName: 'Visual Studio Code', uriScheme: 'vscode', machineId: 'bench', sessionId: 'bench' }),
    extensions: namespace('extensions'),
  };
  return new Proxy(stub, {
    get(t, prop) {
      if (typeof prop === 'string' && prop in t) {
        return t[prop];
      }
      if (prop === 'then' || prop === '__esModule') {
        return undefined;
      }
      return anything(`vscode.${String(prop)}`);
    },
  });
}

function format(message: string, args: unknown[]): string {
  const named = args.length === 1 && typeof args[0] === 'object' && args[0] !== null ? (args[0] as Record<string, unknown>) : undefined;
  const text = (v: unknown, m: string) => (v === undefined ? m : typeof v === 'string' ? v : JSON.stringify(v));
  return message.replace(/\{(\w+)\}/g, (m, key: string) => text(named ? named[key] : args[Number(key)], m));
}

/** An `ExtensionContext` with in-memory state and secrets. */
export function createExtensionContext(extensionPath: string): any {
  const secrets = new Map<string, string>();
  const secretChanged = new EventEmitter<{ key: string }>();
  const extensionUri = Uri.file(extensionPath);
  return {
    subscriptions: [] as { dispose(): unknown }[],
    extensionPath,
    extensionUri,
    extensionMode: 1,
    globalState: memento(),
    workspaceState: memento(),
    secrets: {
      get: (k: string) => Promise.resolve(secrets.get(k)),
      store: (k: string, v: string) => {
        secrets.set(k, v);
        secretChanged.fire({ key: k });
        return Promise.resolve();
      },
      delete: (k: string) => {
        secrets.delete(k);
        secretChanged.fire({ key: k });
        return Promise.resolve();
      },
      keys: () => Promise.resolve([...secrets.keys()]),
      onDidChange: secretChanged.event,
    },
    globalStorageUri: Uri.file(path.join(extensionPath, '.bench-storage')),
    storageUri: undefined,
    logUri: Uri.file(path.join(extensionPath, '.bench-log')),
    asAbsolutePath: (p: string) => path.join(extensionPath, p),
    environmentVariableCollection: anything('context.environmentVariableCollection'),
    extension: { id: 'letta-step-trace.letta-step-trace', extensionUri, extensionPath, packageJSON: {} },
  };
}

/** Makes `require('vscode')` answer `stub` from now on in this process. */
export function installVscodeStub(stub: unknown): void {
  const id = path.join(__dirname, '__vscode_stub__.js');
  const m = new Module(id);
  m.filename = id;
  m.loaded = true;
  m.exports = stub;
  require.cache[id] = m;
  const mod = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = mod._resolveFilename;
  mod._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? id : original.call(this, request, ...rest);
  };
}

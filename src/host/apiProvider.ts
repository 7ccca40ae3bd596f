/** A client for the configured server with that server's key: built on demand, rebuilt on change. */
import * as vscode from 'vscode';
import { normalizeBaseUrl } from '../core/baseUrl';
import type { LettaApi } from '../core/lettaApi';
import type { ApiProvider } from './contracts';
import type { ApiKeys } from './apiKeys';
import { readBaseUrl, readSettings } from './settings';

export class SettingsApiProvider implements ApiProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly keys: ApiKeys,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('letta')) {
          this.changed.fire();
        }
      }),
      keys.onDidChange(() => this.changed.fire()),
    ];
  }

  get origin(): string {
    const base = normalizeBaseUrl(readBaseUrl());
    return base.ok ? base.origin : readBaseUrl();
  }

  async getApi(options: { prompt?: boolean } = {}): Promise<LettaApi | undefined> {
    const settings = readSettings();
    const base = normalizeBaseUrl(settings.baseUrl);
    if (!base.ok) {
      if (options.prompt) {
        void vscode.window.showErrorMessage(vscode.l10n.t('The setting "letta.baseUrl" is not valid: {0}', base.error), vscode.l10n.t('Change Server')).then((c) => {
          if (c) {
            void vscode.commands.executeCommand('letta.changeServer');
          }
        });
      }
      return undefined;
    }
    let apiKey = await this.keys.get(base.origin);
    if (!apiKey && !this.keys.isNoKey(base.origin)) {
      if (!options.prompt) {
        return undefined;
      }
      const answer = await this.keys.prompt(base.origin, { allowNoKey: true });
      if (answer === undefined) {
        return undefined;
      }
      apiKey = answer ?? undefined;
    }
    if (apiKey && !base.isHttps && !base.isLoopback) {
      if (!options.prompt || !(await this.keys.confirmInsecure(base.origin))) {
        return undefined;
      }
    }
    // Loaded on first use: the SDK is most of the bundle, and activation should not pay for it.
    const [{ createLettaClient }, { nodeFetch }] = await Promise.all([import('../core/lettaClient'), import('../core/httpTransport')]);
    return createLettaClient({
      baseUrl: base.apiBase,
      apiKey,
      project: settings.project,
      timeoutMs: settings.timeoutMs,
      maxBodyBytes: settings.maxBodyBytes,
      fetch: nodeFetch,
      log: (message) => this.log.debug(message),
    });
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.changed.dispose();
  }
}

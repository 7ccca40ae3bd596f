/**
 * A client for the configured server with that server's key: built once, rebuilt when a client
 * setting or the key changes.
 */
import * as vscode from 'vscode';
import { normalizeBaseUrl } from '../../core/baseUrl';
import type { LettaApi } from '../../core/lettaApi';
import type { ApiKeys } from './apiKeys';
import type { ApiProvider } from '../contracts';
import { CLIENT_SETTINGS, onDidChangeSettings, readBaseUrl, readSettings, SERVER_SETTINGS } from '../settings';

export class SettingsApiProvider implements ApiProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the server, its project or its key changes: what was loaded may not be this server's. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** The client of the current settings and key; dropped on any change to them. */
  private client: { api: LettaApi; settings: string } | undefined;
  /** Bumped on every change, so a client built from stale settings is not kept. */
  private generation = 0;

  constructor(
    private readonly keys: ApiKeys,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      onDidChangeSettings(CLIENT_SETTINGS, () => this.invalidate()),
      onDidChangeSettings(SERVER_SETTINGS, () => this.changed.fire()),
      keys.onDidChange((origin) => {
        if (origin === this.origin) {
          this.invalidate();
          this.changed.fire();
        }
      }),
    ];
  }

  /** The origin of the configured server (the raw setting when it is not a valid URL). */
  get origin(): string {
    const base = normalizeBaseUrl(readBaseUrl());
    return base.ok ? base.origin : readBaseUrl();
  }

  /** The prompting build under way: two loads at once ask for the key once. */
  private prompting: Promise<LettaApi | undefined> | undefined;

  getApi(options: { prompt?: boolean } = {}): Promise<LettaApi | undefined> {
    if (!options.prompt) {
      return this.build(false);
    }
    this.prompting ??= this.build(true).finally(() => (this.prompting = undefined));
    return this.prompting;
  }

  private async build(prompt: boolean): Promise<LettaApi | undefined> {
    const options = { prompt };
    const settings = readSettings();
    // Compared as well as invalidated by events: a setting written a moment ago may not have been announced yet.
    const signature = JSON.stringify([settings.baseUrl, settings.project, settings.timeoutMs, settings.maxBodyBytes]);
    if (this.client?.settings === signature) {
      return this.client.api;
    }
    const generation = this.generation;
    const base = normalizeBaseUrl(settings.baseUrl);
    if (!base.ok) {
      this.log.warn(`The setting letta.baseUrl is not valid: ${base.error}`);
      if (options.prompt) {
        const change = vscode.l10n.t('Change Server');
        void vscode.window.showErrorMessage(vscode.l10n.t('The setting "letta.baseUrl" is not valid: {0}', base.error), change).then((c) => {
          if (c === change) {
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
      const answer = await this.keys.prompt(base.origin, { allowNoKey: true, reason: vscode.l10n.t('{0} needs an API key to read traces.', base.host) });
      if (answer === undefined) {
        return undefined;
      }
      apiKey = answer ?? undefined;
    }
    if (apiKey && !base.isHttps && !base.isLoopback && !this.keys.acceptedInsecure(base.origin)) {
      if (!options.prompt || !(await this.keys.confirmInsecure(base.origin))) {
        this.log.info(`Not sending the key to ${base.origin} over plain http without consent.`);
        return undefined;
      }
    }
    // Loaded on first use (dist/client.js in the package): activation does not pay for the SDK.
    const { createLettaClient, nodeFetch } = await import('../../core/clientModule');
    const client = createLettaClient({
      baseUrl: base.apiBase,
      apiKey,
      project: settings.project,
      timeoutMs: settings.timeoutMs,
      maxBodyBytes: settings.maxBodyBytes,
      fetch: nodeFetch,
      log: (message) => this.log.debug(message),
    });
    if (generation === this.generation) {
      this.client = { api: client, settings: signature };
    }
    return client;
  }

  private invalidate(): void {
    this.generation++;
    this.client = undefined;
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.changed.dispose();
  }
}

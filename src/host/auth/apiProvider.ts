/**
 * A client for the configured server with that server's key: built once, rebuilt when a client
 * setting or the key changes. `access()` says whether the server can be used now, and what is in the
 * way when it cannot (a bad URL, no key, or a plain-http consent still to give).
 */
import * as vscode from 'vscode';
import { LETTA_CLOUD_URL, normalizeBaseUrl } from '../../core/baseUrl';
import type { LettaApi } from '../../core/lettaApi';
import { decideServerAccess, type ServerAccess } from '../../core/serverAccess';
import type { ApiKeys } from './apiKeys';
import type { ApiProvider } from '../contracts';
import { CLIENT_SETTINGS, onDidChangeSettings, readBaseUrl, readSettings, SERVER_SETTINGS, type Settings } from '../settings';
import { localized } from '../../core/localization';

/** Letta Cloud always wants a key: asking it without one would only cost a request. */
const KEY_ALWAYS_NEEDED = new Set([LETTA_CLOUD_URL, 'https://app.letta.com']);

export class SettingsApiProvider implements ApiProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the server, its project or its key changes: what was loaded may not be this server's. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** The client of the current settings and key; dropped on any change to them. */
  private client: { api: LettaApi; settings: string } | undefined;
  /** Bumped on every change, so a client built from stale settings is not kept. */
  private generation = 0;
  /** Origins already asked, without a key, whether they need one (once a session each). */
  private readonly probed = new Map<string, Promise<void>>();

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

  /**
   * Whether the server can be used now. A server with no key stored is first asked, without one,
   * whether it needs one: a self-hosted server without a password then just works.
   */
  async access(): Promise<ServerAccess> {
    const setting = readBaseUrl();
    const base = normalizeBaseUrl(setting);
    if (!base.ok) {
      return decideServerAccess(setting, base, { hasKey: false, noKeyNeeded: false, acceptedInsecure: false });
    }
    let hasKey = Boolean(await this.keys.get(base.origin));
    if (!hasKey && !this.keys.isNoKey(base.origin) && !KEY_ALWAYS_NEEDED.has(base.origin)) {
      await this.probeKeyless(base.apiBase, base.origin);
      hasKey = Boolean(await this.keys.get(base.origin));
    }
    return decideServerAccess(setting, base, { hasKey, noKeyNeeded: this.keys.isNoKey(base.origin), acceptedInsecure: this.keys.acceptedInsecure(base.origin) });
  }

  /** One request with no key at all (so nothing secret can leak): a server that answers it needs none. */
  private probeKeyless(apiBase: string, origin: string): Promise<void> {
    let probe = this.probed.get(origin);
    if (!probe) {
      probe = (async () => {
        try {
          const client = await this.createClient(apiBase, undefined, readSettings());
          await client.listAgents({ limit: 1 }, { timeoutMs: 3000, maxRetries: 0 });
          this.log.info(`${origin} answers without an API key: using it without one.`);
          await this.keys.setNoKey(origin, true);
        } catch {
          this.log.debug(`${origin} needs an API key.`);
        }
      })();
      this.probed.set(origin, probe);
    }
    return probe;
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
    const settings = readSettings();
    // Compared as well as invalidated by events: a setting written a moment ago may not have been announced yet.
    const signature = JSON.stringify([settings.baseUrl, settings.project, settings.timeoutMs, settings.maxBodyBytes]);
    if (this.client?.settings === signature) {
      return this.client.api;
    }
    const generation = this.generation;
    let access = await this.access();
    const base = normalizeBaseUrl(settings.baseUrl);
    if (access.kind === 'bad-url' || !base.ok) {
      this.log.warn(`The setting letta.baseUrl is not valid: ${access.kind === 'bad-url' ? access.error : ''}`);
      if (prompt && access.kind === 'bad-url') {
        const change = vscode.l10n.t('Change Server');
        void vscode.window.showErrorMessage(vscode.l10n.t('The setting "letta.baseUrl" is not valid: {0}', access.error), change).then((c) => {
          if (c === change) {
            void vscode.commands.executeCommand('letta.changeServer');
          }
        });
      }
      return undefined;
    }
    if (access.kind === 'no-key') {
      if (!prompt) {
        return undefined;
      }
      const answer = await this.keys.prompt(base.origin, { allowNoKey: true, reason: vscode.l10n.t('{0} needs an API key to read traces.', base.host) });
      if (answer === undefined) {
        return undefined;
      }
      access = await this.access();
    }
    if (access.kind === 'consent-needed' && (!prompt || !(await this.keys.confirmInsecure(base.origin)))) {
      this.log.info(`Not sending the key to ${base.origin} over plain http without consent.`);
      return undefined;
    }
    const client = await this.createClient(base.apiBase, await this.keys.get(base.origin), settings);
    if (generation === this.generation) {
      this.client = { api: client, settings: signature };
    }
    return client;
  }

  private async createClient(apiBase: string, apiKey: string | undefined, settings: Settings): Promise<LettaApi> {
    // Loaded on first use (dist/client.js in the package): activation does not pay for the SDK.
    // It has its own copy of @vscode/l10n: `localized` hands it the host's translations.
    const { createLettaClient, nodeFetch } = localized(await import('../../core/clientModule'));
    return createLettaClient({
      baseUrl: apiBase,
      apiKey,
      project: settings.project,
      timeoutMs: settings.timeoutMs,
      maxBodyBytes: settings.maxBodyBytes,
      fetch: nodeFetch,
      log: (message) => this.log.debug(message),
    });
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

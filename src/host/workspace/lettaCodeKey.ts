/**
 * "Use the API key Letta Code uses?": copies the key from Letta Code's user file
 * (`~/.letta/settings.json`, `env.LETTA_API_KEY`) into SecretStorage, for the origin Letta Code
 * sends it to (its `env.LETTA_BASE_URL`, else Letta Cloud). Only on the user's yes: the file is
 * read after the question, never before (its existence alone decides whether the offer shows).
 * Nothing of the file reaches a log; the extension host's own environment is never read.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { LETTA_CLOUD_URL, normalizeBaseUrl } from '../../core/baseUrl';
import { describeFileProblem, MAX_USER_FILE_BYTES, parseUserSettings } from '../../core/workspace/lettaCodeFiles';
import type { ApiKeys } from '../auth/apiKeys';
import { confirmModal } from '../confirm';

export const USER_FILE_LABEL = '~/.letta/settings.json';

export class LettaCodeKey {
  /** Letta Code's home folder; tests point it elsewhere so a developer's own file is never touched. */
  home: vscode.Uri = vscode.Uri.file(os.homedir());

  constructor(
    private readonly keys: ApiKeys,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private get file(): vscode.Uri {
    return vscode.Uri.joinPath(this.home, '.letta', 'settings.json');
  }

  /** True when Letta Code's user file exists (it is not read). */
  async available(): Promise<boolean> {
    try {
      const stat = await vscode.workspace.fs.stat(this.file);
      return (stat.type & vscode.FileType.File) !== 0;
    } catch {
      return false;
    }
  }

  /**
   * Asks, then copies. `currentOrigin` is the server the extension uses: when Letta Code uses
   * another, the key is stored for Letta Code's and the user is offered to switch. True when stored.
   * `ask` is the modal question (the integration tests answer it).
   */
  async offer(currentOrigin: string, ask: typeof confirmModal = confirmModal): Promise<boolean> {
    const yes = await ask(
      vscode.l10n.t('Use the API key Letta Code uses?'),
      vscode.l10n.t('The key is read from {0} and kept in VS Code secret storage for the server Letta Code uses. It is sent to that server only.', USER_FILE_LABEL),
      vscode.l10n.t('Use Letta Code\'s Key'),
    );
    if (!yes) {
      return false;
    }
    let bytes: Uint8Array;
    try {
      const stat = await vscode.workspace.fs.stat(this.file);
      if (stat.size > MAX_USER_FILE_BYTES) {
        void vscode.window.showWarningMessage(describeFileProblem(USER_FILE_LABEL, 'too-large'));
        return false;
      }
      bytes = await vscode.workspace.fs.readFile(this.file);
    } catch {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} could not be read.', USER_FILE_LABEL));
      return false;
    }
    const parsed = parseUserSettings(new TextDecoder().decode(bytes));
    if (parsed.kind === 'problem') {
      void vscode.window.showWarningMessage(describeFileProblem(USER_FILE_LABEL, parsed.problem));
      return false;
    }
    const { apiKey, baseUrl, expiresAt } = parsed.credentials;
    if (!apiKey) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('{0} holds no API key: Letta Code keeps it in the system keychain when it can. Use "Letta: Set API Key" with a key from app.letta.com.', USER_FILE_LABEL),
      );
      return false;
    }
    const base = normalizeBaseUrl(baseUrl ?? LETTA_CLOUD_URL);
    if (!base.ok) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Letta Code\'s server in {0} is not a valid address: {1}', USER_FILE_LABEL, base.error));
      return false;
    }
    await this.keys.set(base.origin, apiKey);
    // The origin only: never the key, nor anything else of the file.
    this.log.info(`API key copied from Letta Code's settings for ${base.origin}.`);
    const expiry = expiresAt !== undefined ? ' ' + vscode.l10n.t('It is a sign-in token that expires {0}; a key from app.letta.com does not expire.', new Date(expiresAt).toLocaleString()) : '';
    if (base.origin === currentOrigin) {
      void vscode.window.showInformationMessage(vscode.l10n.t('API key saved for {0}.', base.origin) + expiry);
      return true;
    }
    const use = vscode.l10n.t('Use {0}', base.host);
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('API key saved for {0}, the server Letta Code uses. The extension reads {1}.', base.origin, currentOrigin) + expiry,
      use,
    );
    if (choice === use) {
      await vscode.workspace.getConfiguration('letta').update('baseUrl', base.apiBase, vscode.ConfigurationTarget.Global);
    }
    return true;
  }
}

/**
 * API keys in SecretStorage, one per server origin, so a key entered for one server is never sent
 * to another. The key never reaches a log, a setting, the state or a message.
 */
import * as vscode from 'vscode';

const SECRET_PREFIX = 'letta.apiKey:';
/** globalState key of origins where the user accepted sending a key over plain http. */
const INSECURE_OK = 'letta.insecureOriginsAccepted';
/** Marks "this server needs no key" per origin, so the user is not asked again. */
const NO_KEY = 'letta.noKeyOrigins';

export class ApiKeys implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the origin whose key changed. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.subscription = context.secrets.onDidChange((e) => {
      if (e.key.startsWith(SECRET_PREFIX)) {
        this.changed.fire(e.key.slice(SECRET_PREFIX.length));
      }
    });
  }

  get(origin: string): Thenable<string | undefined> {
    return this.context.secrets.get(SECRET_PREFIX + origin);
  }

  async set(origin: string, key: string): Promise<void> {
    await this.context.secrets.store(SECRET_PREFIX + origin, key);
    await this.setNoKey(origin, false);
  }

  async delete(origin: string): Promise<void> {
    await this.context.secrets.delete(SECRET_PREFIX + origin);
    await this.setNoKey(origin, false);
  }

  /** True when the user said this server needs no key. */
  isNoKey(origin: string): boolean {
    return this.context.globalState.get<string[]>(NO_KEY, []).includes(origin);
  }

  async setNoKey(origin: string, noKey: boolean): Promise<void> {
    const list = this.context.globalState.get<string[]>(NO_KEY, []).filter((o) => o !== origin);
    await this.context.globalState.update(NO_KEY, noKey ? [...list, origin] : list);
    this.changed.fire(origin);
  }

  /**
   * Asks for the key of `origin` in a password box, validating as the user types.
   * Returns the key, `null` for "this server needs no key", or undefined when dismissed.
   */
  async prompt(origin: string, options: { allowNoKey?: boolean; reason?: string } = {}): Promise<string | null | undefined> {
    const input = vscode.window.createInputBox();
    const noKeyButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('debug-disconnect'), tooltip: vscode.l10n.t('Continue without a key (self-hosted server without password)') };
    try {
      input.title = vscode.l10n.t('Letta API key for {0}', origin);
      input.prompt = options.reason ?? vscode.l10n.t('Paste the API key for {0}. It is kept in VS Code secret storage for this server only.', origin);
      input.password = true;
      input.ignoreFocusOut = true;
      input.placeholder = vscode.l10n.t('API key');
      if (options.allowNoKey) {
        input.buttons = [noKeyButton];
      }
      input.onDidChangeValue((value) => {
        input.validationMessage = validateKey(value);
      });
      const answer = await new Promise<string | null | undefined>((resolve) => {
        input.onDidAccept(() => {
          const problem = validateKey(input.value);
          if (problem === undefined && input.value.trim() !== '') {
            resolve(input.value.trim());
          } else {
            input.validationMessage = problem ?? vscode.l10n.t('Enter the key, or press Escape to cancel.');
          }
        });
        input.onDidTriggerButton(() => resolve(null));
        input.onDidHide(() => resolve(undefined));
        input.show();
      });
      if (typeof answer === 'string') {
        await this.set(origin, answer);
      } else if (answer === null) {
        await this.setNoKey(origin, true);
      }
      return answer;
    } finally {
      input.dispose();
    }
  }

  /** Before a key goes over plain http to a non-loopback host: ask once per origin. */
  async confirmInsecure(origin: string): Promise<boolean> {
    const accepted = this.context.globalState.get<string[]>(INSECURE_OK, []);
    if (accepted.includes(origin)) {
      return true;
    }
    const send = vscode.l10n.t('Send Over HTTP');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} uses plain http: your API key would cross the network unencrypted. Send it anyway?', origin),
      { modal: true },
      send,
    );
    if (choice !== send) {
      return false;
    }
    await this.context.globalState.update(INSECURE_OK, [...accepted, origin]);
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function validateKey(value: string): string | undefined {
  const key = value.trim();
  if (/\s/.test(key)) {
    return vscode.l10n.t('An API key has no spaces.');
  }
  if (/[^\x21-\x7e]/.test(key)) {
    return vscode.l10n.t('An API key has only printable ASCII characters.');
  }
  return undefined;
}

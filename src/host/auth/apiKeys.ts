/**
 * API keys in SecretStorage, one per server origin (`letta.apiKey:<origin>`), so a key entered for
 * one server is never sent to another. The key never reaches a log, a setting, the state or a
 * message; globalState holds only origins (accepted plain-http servers, servers without a password).
 */
import * as vscode from 'vscode';
import { confirmModal } from '../confirm';

const SECRET_PREFIX = 'letta.apiKey:';
/** globalState: origins where the user accepted sending a key over plain http. */
const INSECURE_OK = 'letta.insecureOriginsAccepted';
/** globalState: origins the user said need no key, so the flow does not ask again. */
const NO_KEY = 'letta.noKeyOrigins';

/** The SecretStorage key of `origin`'s API key. */
export function secretKeyFor(origin: string): string {
  return SECRET_PREFIX + origin;
}

export class ApiKeys implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the origin whose key (or no-key choice) changed, in this window or another. */
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
    return this.context.secrets.get(secretKeyFor(origin));
  }

  async set(origin: string, key: string): Promise<void> {
    await this.context.secrets.store(secretKeyFor(origin), key);
    await this.forgetNoKey(origin);
  }

  async delete(origin: string): Promise<void> {
    await this.context.secrets.delete(secretKeyFor(origin));
    await this.forgetNoKey(origin);
  }

  /** SecretStorage reports the key itself; a dropped "no key needed" choice is reported here. */
  private async forgetNoKey(origin: string): Promise<void> {
    if (this.isNoKey(origin)) {
      await this.updateOrigins(NO_KEY, origin, false);
      this.changed.fire(origin);
    }
  }

  /** True when the user said this server needs no key. */
  isNoKey(origin: string): boolean {
    return this.origins(NO_KEY).includes(origin);
  }

  async setNoKey(origin: string, noKey: boolean): Promise<void> {
    await this.updateOrigins(NO_KEY, origin, noKey);
    this.changed.fire(origin);
  }

  /**
   * Asks for the key of `origin` in a password box, validating as the user types, and stores it.
   * Returns the key, `null` for "this server needs no key" (only offered with `allowNoKey`), or
   * undefined when dismissed.
   */
  async prompt(origin: string, options: { allowNoKey?: boolean; reason?: string } = {}): Promise<string | null | undefined> {
    const input = vscode.window.createInputBox();
    const disposables: vscode.Disposable[] = [];
    try {
      input.title = vscode.l10n.t('Letta API key for {0}', origin);
      const kept = vscode.l10n.t('It is kept in VS Code secret storage and sent to this server only.');
      input.prompt = [options.reason ?? vscode.l10n.t('Paste the API key for {0}.', origin), kept].join(' ');
      input.password = true;
      input.ignoreFocusOut = true;
      input.placeholder = vscode.l10n.t('API key');
      if (options.allowNoKey) {
        input.buttons = [{ iconPath: new vscode.ThemeIcon('debug-disconnect'), tooltip: vscode.l10n.t('Continue without a key (a self-hosted server without a password)') }];
        input.prompt += ' ' + vscode.l10n.t('No password on your self-hosted server? Use the plug button to continue without a key.');
      }
      const answer = await new Promise<string | null | undefined>((resolve) => {
        disposables.push(
          input.onDidChangeValue((value) => {
            input.validationMessage = validateKey(value);
          }),
          input.onDidAccept(() => {
            const problem = validateKey(input.value) ?? (input.value.trim() === '' ? vscode.l10n.t('Enter the key, or press Escape to cancel.') : undefined);
            if (problem === undefined) {
              resolve(input.value.trim());
            } else {
              input.validationMessage = problem;
            }
          }),
          input.onDidTriggerButton(() => resolve(null)),
          input.onDidHide(() => resolve(undefined)),
        );
        input.show();
      });
      if (typeof answer === 'string') {
        await this.set(origin, answer);
      } else if (answer === null) {
        await this.setNoKey(origin, true);
      }
      return answer;
    } finally {
      vscode.Disposable.from(...disposables).dispose();
      input.dispose();
    }
  }

  /** True when the user already accepted sending a key over plain http to `origin`. */
  acceptedInsecure(origin: string): boolean {
    return this.origins(INSECURE_OK).includes(origin);
  }

  /** Before a key goes over plain http to a non-loopback host: ask once per origin, remember a yes. */
  async confirmInsecure(origin: string): Promise<boolean> {
    if (this.acceptedInsecure(origin)) {
      return true;
    }
    const send = await confirmModal(
      vscode.l10n.t('{0} uses plain http: your API key would cross the network unencrypted. Send it anyway?', origin),
      vscode.l10n.t('Use an https:// address for this server if it has one ("Letta: Change Server").'),
      vscode.l10n.t('Send Over HTTP'),
    );
    if (!send) {
      return false;
    }
    await this.updateOrigins(INSECURE_OK, origin, true);
    this.changed.fire(origin);
    return true;
  }

  private origins(stateKey: string): string[] {
    const value = this.context.globalState.get<unknown>(stateKey);
    return Array.isArray(value) ? value.filter((o): o is string => typeof o === 'string') : [];
  }

  private async updateOrigins(stateKey: string, origin: string, present: boolean): Promise<void> {
    const others = this.origins(stateKey).filter((o) => o !== origin);
    await this.context.globalState.update(stateKey, present ? [...others, origin] : others);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Why `value` cannot be an API key, or undefined when it can. */
export function validateKey(value: string): string | undefined {
  const key = value.trim();
  if (/\s/.test(key)) {
    return vscode.l10n.t('An API key has no spaces.');
  }
  if (/[^\x21-\x7e]/.test(key)) {
    return vscode.l10n.t('An API key has only printable ASCII characters.');
  }
  return undefined;
}

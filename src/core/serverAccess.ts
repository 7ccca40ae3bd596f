/**
 * Whether the configured server can be used now, and if not, the one thing in the way: a setting
 * that is not a URL, no key, or a key that may not go over plain http until the user agrees. Each
 * state has its own message and next step, so no view says "no key" when the truth is something else. Pure.
 */
import * as l10n from '@vscode/l10n';
import type { BaseUrl } from './baseUrl';

export type ServerAccess =
  | { kind: 'bad-url'; setting: string; error: string }
  | { kind: 'no-key'; origin: string; host: string }
  /** A key is stored, but the server is plain http off this machine and the user has not agreed yet. */
  | { kind: 'consent-needed'; origin: string; host: string }
  | { kind: 'ready'; origin: string; host: string; withKey: boolean };

export interface KeyFacts {
  hasKey: boolean;
  /** The user said (or the server showed) that it needs no key. */
  noKeyNeeded: boolean;
  /** The user agreed to send the key to this origin over plain http. */
  acceptedInsecure: boolean;
}

export function decideServerAccess(setting: string, base: BaseUrl, keys: KeyFacts): ServerAccess {
  if (!base.ok) {
    return { kind: 'bad-url', setting, error: base.error };
  }
  const { origin, host } = base;
  if (keys.hasKey) {
    const needsConsent = !base.isHttps && !base.isLoopback && !keys.acceptedInsecure;
    return needsConsent ? { kind: 'consent-needed', origin, host } : { kind: 'ready', origin, host, withKey: true };
  }
  return keys.noKeyNeeded ? { kind: 'ready', origin, host, withKey: false } : { kind: 'no-key', origin, host };
}

/** The next step for a state that is not `ready`: the command that fixes it and its button. */
export interface AccessFix {
  message: string;
  command: 'letta.setApiKey' | 'letta.allowInsecureKey' | 'letta.changeServer';
  title: string;
}

export function accessFix(access: Exclude<ServerAccess, { kind: 'ready' }>): AccessFix {
  switch (access.kind) {
    case 'bad-url':
      return { message: l10n.t('The setting "letta.baseUrl" is not a valid server address: {0}', access.error), command: 'letta.changeServer', title: l10n.t('Change Server') };
    case 'no-key':
      return { message: l10n.t('No API key is set for {0}.', access.origin), command: 'letta.setApiKey', title: l10n.t('Set API Key') };
    case 'consent-needed':
      return { message: l10n.t('{0} uses plain http: the API key is sent only once you agree.', access.origin), command: 'letta.allowInsecureKey', title: l10n.t('Send the key to {0}?', access.origin) };
  }
}

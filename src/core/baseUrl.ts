/** The server setting: what a user may type, and the origin the API key belongs to. Pure. */
import * as l10n from '@vscode/l10n';

export type BaseUrl =
  | {
      ok: true;
      /** Where the API lives, without `/v1` and without a trailing slash, e.g. `https://api.letta.com`. */
      apiBase: string;
      /** Scheme, host and port: what the key is stored under and the only place it is sent. */
      origin: string;
      /** Host and port, for messages (`api.letta.com`, `localhost:8283`). */
      host: string;
      /** localhost, 127.0.0.0/8 or ::1: plain http stays on this machine. */
      isLoopback: boolean;
      isHttps: boolean;
    }
  | { ok: false; error: string };

/** Letta Cloud, the default server. */
export const LETTA_CLOUD_URL = 'https://api.letta.com';

/** The two addresses every "for example" in the messages names. */
const EXAMPLES = ['https://api.letta.com', 'http://localhost:8283'] as const;

/** True for localhost, 127.0.0.0/8 and ::1 (also as an IPv4-mapped address): hosts that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    // `new URL` writes ::ffff:127.x.y.z as ::ffff:7fxx:yyzz.
    /^::ffff:(7f[0-9a-f]{2}:[0-9a-f]{1,4}|127(\.\d{1,3}){3})$/.test(host)
  );
}

/**
 * Normalises `https://api.letta.com`, `https://api.letta.com/`, `…/v1` and `…/v1/` to one API base
 * (without `/v1`). Refuses what could hide where a key goes: credentials, queries, fragments,
 * whitespace or control characters (which the URL parser would silently drop).
 */
export function normalizeBaseUrl(input: string): BaseUrl {
  const text = input.trim();
  if (text === '') {
    return { ok: false, error: l10n.t('Enter the server URL, for example {0} or {1}.', ...EXAMPLES) };
  }
  if (/[\s\p{Cc}\p{Cf}]/u.test(text)) {
    return { ok: false, error: l10n.t('The server URL cannot contain spaces or control characters; for example {0} or {1}.', ...EXAMPLES) };
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const guess = /^(localhost|127\.|\[::1\])/i.test(text) ? `http://${text}` : `https://${text}`;
    return { ok: false, error: l10n.t('The server URL needs https:// or http:// in front, for example {0}.', excerpt(guess)) };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: l10n.t('"{0}" is not a valid URL; for example {1} or {2}.', excerpt(text), ...EXAMPLES) };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: l10n.t('The server URL must start with https:// or http://, not {0}//.', excerpt(url.protocol)) };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, error: l10n.t('Leave credentials out of the server URL; set the key with "Letta: Set API Key".') };
  }
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(text)) {
    return { ok: false, error: l10n.t('The server URL cannot have a query (?…) or a fragment (#…); for example {0} or {1}.', ...EXAMPLES) };
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/i, '');
  if (/\/v1\//i.test(`${path}/`)) {
    return { ok: false, error: l10n.t("Use the server's address without an API path, {0}.", `${url.origin}${path.replace(/\/v1\/.*$/i, '')}`) };
  }
  return {
    ok: true,
    apiBase: `${url.origin}${path}`,
    origin: url.origin,
    host: url.host,
    isLoopback: isLoopbackHost(url.hostname),
    isHttps: url.protocol === 'https:',
  };
}

function excerpt(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

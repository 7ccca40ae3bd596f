/** The server setting: what a user may type, and the origin the API key belongs to. Pure. */

export type BaseUrl =
  | { ok: true; apiBase: string; origin: string; host: string; isLoopback: boolean; isHttps: boolean }
  | { ok: false; error: string };

/** Letta Cloud, the default server. */
export const LETTA_CLOUD_URL = 'https://api.letta.com';

/** True for localhost, 127.0.0.0/8 and ::1: the only hosts a key may reach over plain http without asking. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Normalises `https://api.letta.com`, `https://api.letta.com/`, `…/v1` and `…/v1/` to one API base
 * (without `/v1`). Refuses what could hide where a key goes: credentials, queries, fragments.
 */
export function normalizeBaseUrl(input: string): BaseUrl {
  const text = input.trim();
  if (text === '') {
    return { ok: false, error: 'Enter the server URL, for example https://api.letta.com or http://localhost:8283.' };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: `"${text.slice(0, 80)}" is not a URL. Use for example https://api.letta.com or http://localhost:8283.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: `The server URL must start with https:// or http://, not ${url.protocol}//.` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, error: 'Leave credentials out of the server URL; set the key with "Letta: Set API Key".' };
  }
  if (url.search !== '' || url.hash !== '') {
    return { ok: false, error: 'The server URL cannot have a query (?…) or a fragment (#…).' };
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return {
    ok: true,
    apiBase: `${url.origin}${path}`,
    origin: url.origin,
    host: url.host,
    isLoopback: isLoopbackHost(url.hostname),
    isHttps: url.protocol === 'https:',
  };
}

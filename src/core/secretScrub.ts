/**
 * Removes credentials from text a server sent before it reaches a message or a log line: a hostile
 * or careless server may echo the Authorization header back (in a 401 `detail`, an HTML page, a
 * redirect address). Pure: no `vscode` import.
 */

export const REDACTED = '[redacted]';

/** Secrets shorter than this are not searched for literally: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;

/** A token as it appears after a scheme or header name: up to a quote, space, comma, `&` or bracket. */
const TOKEN = String.raw`[^\s"'\`,;&<>(){}\[\]]+`;

/** A word that introduces a credential in a header value: `Bearer abc`, `password abc`. */
const SCHEMES = 'bearer|basic|token|password';

/**
 * `Bearer <token>` anywhere; `Basic <token>` only when the token looks like base64 (a digit, `+`,
 * `/` or `=`), so "basic auth required" stays as it is.
 */
const SCHEME_TOKEN = new RegExp(String.raw`\b(bearer(?:\s+|%20|\+)(?![\[])${TOKEN}|basic(?:\s+|%20|\+)(?=[A-Za-z0-9+/=]{0,200}[0-9+/=])[A-Za-z0-9+/]{8,}={0,2})`, 'gi');

/**
 * A credential-looking name followed by `:` or `=` and a value, as in a header dump, a query string
 * or a JSON object: `X-BARE-PASSWORD: password abc`, `api_key=abc`, `"password": "abc"`. A scheme
 * word before the value (`password`, `Bearer`) is kept so the text still reads.
 */
const NAMED_VALUE = new RegExp(
  String.raw`\b((?:x-)?(?:bare-password|api[-_]?key|(?:access[-_]?|auth[-_]?)?token|password|passwd|secret|authorization))` +
    String.raw`(["']?\s*[:=]\s*["']?)((?:${SCHEMES})\s+)?(?!(?:${SCHEMES})\s)${TOKEN}`,
  'gi',
);

/** A function that returns its text with every known secret and credential-looking value replaced. */
export type Scrubber = (text: string) => string;

/**
 * A scrubber for `secrets` (the API key; empty entries are ignored). Besides each secret as it is,
 * it finds the secret URL-encoded and JSON-escaped, and any `Bearer …` token or named credential,
 * so a key the client never knew (another header the server echoes) is hidden as well.
 */
export function createScrubber(secrets: readonly (string | undefined)[]): Scrubber {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) {
      continue;
    }
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    const json = JSON.stringify(secret).slice(1, -1);
    forms.add(json);
    forms.add(json.replace(/\//g, '\\/'));
  }
  // Longest first, so a form that contains another is replaced whole.
  const literal = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const form of literal) {
      if (out.includes(form)) {
        out = out.split(form).join(REDACTED);
      }
    }
    return out
      .replace(SCHEME_TOKEN, (match: string) => `${/^\w+/.exec(match)?.[0] ?? ''} ${REDACTED}`)
      .replace(NAMED_VALUE, (_m, name: string, sep: string, scheme: string | undefined) => `${name}${sep}${scheme ?? ''}${REDACTED}`);
  };
}

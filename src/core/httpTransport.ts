/**
 * The HTTP transport under the SDK: node-fetch, with the limits an editor needs. It sends only the
 * headers we choose (so LETTA_CUSTOM_HEADERS from the environment never rides along), only to the
 * configured origin (redirects elsewhere are refused rather than followed with the key), caps the
 * body size, and puts one deadline over headers and body alike. Pure: no `vscode` import.
 */

/** The fetch the host injects: node-fetch@3 (see `nodeFetch`), or anything taking its options. */
export type FetchLike = (url: string, init: Record<string, unknown>) => Promise<unknown>;

/** The fetch signature the SDK calls (a subset of WHATWG fetch). */
export type SdkFetch = (url: string | URL, init?: SdkRequestInit) => Promise<Response>;

/** What the SDK passes to fetch, plus our per-request deadline (given to the SDK as `fetchOptions`). */
export interface SdkRequestInit {
  method?: string;
  headers?: unknown;
  body?: unknown;
  signal?: AbortSignal | null;
  /** Overrides `TransportOptions.timeoutMs` for this request. */
  deadlineMs?: number;
}

export interface TransportOptions {
  /** The only origin requests may go to, e.g. `https://api.letta.com`: the origin the key belongs to. */
  origin: string;
  /** Sent as `Authorization: Bearer <apiKey>` when set; no Authorization header otherwise. */
  apiKey?: string;
  /** Letta Cloud project slug, sent as `X-Project`. */
  project?: string;
  /** Bodies over this many bytes fail with `BodyTooLargeError` instead of filling memory. */
  maxBodyBytes: number;
  /** One request, headers and body together (the SDK's own timeout stops once the headers arrive). */
  timeoutMs: number;
  fetch: FetchLike;
  userAgent?: string;
}

/** The body is over the cap. `bytes` is the announced size when the server sent one. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(
    readonly limitBytes: number,
    readonly bytes?: number,
  ) {
    super(`The response body is over ${limitBytes} bytes.`);
  }
}

/** The body claims to be JSON but does not parse; `text` is what came, for an excerpt. */
export class InvalidJsonError extends Error {
  override readonly name = 'InvalidJsonError';
  constructor(readonly text: string) {
    super('The response body is not valid JSON.');
  }
}

/** The transport's own deadline passed before the whole answer (headers and body) arrived. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(readonly timeoutMs: number) {
    super(`No complete answer within ${timeoutMs} ms.`);
  }
}

/** A request or redirect pointed away from the configured origin; it was not sent. */
export class OffOriginError extends Error {
  override readonly name = 'OffOriginError';
  constructor(
    readonly target: string,
    readonly redirected: boolean,
  ) {
    super(`Refused to send a request to ${target}.`);
  }
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Wraps `fetch` for the SDK; see the file comment for what it enforces. */
export function createTransport(options: TransportOptions): SdkFetch {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': options.userAgent ?? 'letta-step-trace' };
  if (options.project) {
    headers['x-project'] = options.project;
  }
  if (options.apiKey) {
    headers.authorization = `Bearer ${options.apiKey}`;
  }
  return async (input, init = {}) => {
    const timeoutMs = typeof init.deadlineMs === 'number' && init.deadlineMs > 0 ? init.deadlineMs : options.timeoutMs;
    const deadline = AbortSignal.timeout(timeoutMs);
    const fail = (e: unknown): never => {
      // The caller's own abort stays an AbortError, so the SDK reports it as a cancel, not a timeout.
      throw deadline.aborted && !init.signal?.aborted ? new DeadlineError(timeoutMs) : e;
    };
    let url = new URL(String(input));
    for (let hop = 0; ; hop++) {
      if (url.origin !== options.origin) {
        throw new OffOriginError(url.origin, hop > 0);
      }
      // Aborted to drop a response we will not read (a redirect, a body over the cap) and free its socket.
      const release = new AbortController();
      const signal = AbortSignal.any([deadline, release.signal, ...(init.signal ? [init.signal] : [])]);
      // Redirects are followed here, not by node-fetch: it keeps Authorization on a redirect to another port.
      const response = (await options.fetch(url.href, {
        method: init.method ?? 'GET',
        headers: { ...headers },
        body: init.body,
        signal,
        redirect: 'manual',
        size: options.maxBodyBytes,
        compress: true,
      }).catch(fail)) as Response;
      const location = response.headers.get('location');
      if (REDIRECT_STATUSES.has(response.status) && location !== null) {
        release.abort();
        const target = parseUrl(location, url);
        if (target === undefined) {
          throw new OffOriginError(`an invalid address ("${location.slice(0, 60)}")`, true);
        }
        if (target.origin !== options.origin || hop >= MAX_REDIRECTS) {
          throw new OffOriginError(target.origin === options.origin ? target.href : target.origin, true);
        }
        url = target;
        continue;
      }
      const length = Number(response.headers.get('content-length') ?? NaN);
      if (length > options.maxBodyBytes) {
        release.abort(); // frees the socket without reading a byte of it
        throw new BodyTooLargeError(options.maxBodyBytes, length);
      }
      guardBody(response, options.maxBodyBytes, fail);
      return response;
    }
  };
}

/**
 * Makes the body readers report our errors: over the cap, past the deadline, or JSON that does
 * not parse (with the text, so the message can say what came back).
 */
function guardBody(response: Response, maxBodyBytes: number, fail: (e: unknown) => never): void {
  const readText = response.text.bind(response);
  const text = async (): Promise<string> => {
    try {
      return await readText();
    } catch (e) {
      if (isRecord(e) && e.type === 'max-size') {
        throw new BodyTooLargeError(maxBodyBytes);
      }
      return fail(e);
    }
  };
  Object.assign(response, {
    text,
    async json(): Promise<unknown> {
      const body = await text();
      try {
        return JSON.parse(body) as unknown;
      } catch {
        throw new InvalidJsonError(body.slice(0, 1000));
      }
    },
  });
}

function parseUrl(text: string, base: URL): URL | undefined {
  try {
    return new URL(text, base);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** node-fetch@3 is ESM-only: load it once, lazily, so activation does not pay for it. */
let nodeFetchModule: Promise<typeof import('node-fetch')> | undefined;

/** node-fetch's `fetch`, which honours `size` (the body cap) and aborts a body read mid-stream. */
export async function nodeFetch(url: string, init: Record<string, unknown>): Promise<unknown> {
  nodeFetchModule ??= import('node-fetch');
  const { default: fetch } = await nodeFetchModule;
  return fetch(url, init);
}

/**
 * The HTTP transport under the SDK: node-fetch, with the limits an editor needs. It sends only the
 * headers we choose (so LETTA_CUSTOM_HEADERS from the environment never rides along), only to the
 * configured origin (redirects elsewhere are refused rather than followed with the key), caps the
 * body size (decoded bytes, read here), bounds what the body may cost once parsed, and puts one
 * deadline over headers and body alike. Pure: no `vscode` import.
 */
import * as l10n from '@vscode/l10n';
import { linkAbort, type AbortLink } from './abortLink';
import { describeJsonCostProblem, exceedsJsonLimits, JSON_LIMITS, type JsonCostProblem, type JsonLimits } from './jsonCost';

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
  /** Bodies over this many bytes (once decompressed) fail with `BodyTooLargeError` instead of filling memory. */
  maxBodyBytes: number;
  /** One request, headers and body together (the SDK's own timeout stops once the headers arrive). */
  timeoutMs: number;
  fetch: FetchLike;
  userAgent?: string;
  /** What a JSON body may cost once parsed, checked before it is parsed. Default `JSON_LIMITS`. */
  jsonLimits?: JsonLimits;
  /** Told where a body's time went, once it is read (and parsed, when read as JSON): for the debug log. */
  onBody?: (timing: BodyTiming) => void;
}

/** Where the time of one answer went, in ms from the request: headers, body read, cost check, parse. */
export interface BodyTiming {
  method: string;
  /** The path only (the origin is the client's; a query may hold anything). */
  path: string;
  bytes: number;
  headersMs: number;
  readMs: number;
  checkMs: number;
  /** Absent when the body was read as text, not parsed here. */
  parseMs?: number;
}

/** One debug line: `GET /v1/steps/…/trace: 41.9 MB; headers 12 ms, body read 310 ms, cost check 35 ms, parse 240 ms`. */
export function describeBodyTiming(t: BodyTiming): string {
  const size = t.bytes >= 1024 * 1024 ? `${(t.bytes / (1024 * 1024)).toFixed(1)} MB` : t.bytes >= 1024 ? `${(t.bytes / 1024).toFixed(1)} KB` : `${t.bytes} B`;
  const parts = [`headers ${Math.round(t.headersMs)} ms`, `body read ${Math.round(t.readMs)} ms`, `cost check ${Math.round(t.checkMs)} ms`];
  if (t.parseMs !== undefined) {
    parts.push(`parse ${Math.round(t.parseMs)} ms`);
  }
  return `${t.method} ${t.path}: ${size}; ${parts.join(', ')}`;
}

/**
 * The body is over the cap. `bytes` is the announced size when the server sent one. For a
 * compressed body, `encoding` names the compression and `compressedBytes` its announced size, so
 * a message can tell a large trace from a small body that decompresses to gigabytes.
 */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(
    readonly limitBytes: number,
    readonly bytes?: number,
    readonly encoding?: string,
    readonly compressedBytes?: number,
  ) {
    super(encoding ? l10n.t('The response body is over {0} bytes once decompressed.', limitBytes) : l10n.t('The response body is over {0} bytes.', limitBytes));
  }
}

/** The body is under the cap but would cost far more once parsed (deep nesting, millions of values). */
export class BodyTooCostlyError extends Error {
  override readonly name = 'BodyTooCostlyError';
  constructor(readonly problem: JsonCostProblem) {
    super(l10n.t('The response body {0}.', describeJsonCostProblem(problem)));
  }
}

/** The connection closed before the whole body came: `expectedBytes` when the length was announced. */
export class BodyCutShortError extends Error {
  override readonly name = 'BodyCutShortError';
  constructor(
    readonly receivedBytes: number,
    readonly expectedBytes?: number,
  ) {
    super(
      expectedBytes !== undefined
        ? l10n.t('The connection closed after {0} of {1} bytes of the body.', receivedBytes, expectedBytes)
        : l10n.t('The connection closed after {0} bytes of the body.', receivedBytes),
    );
  }
}

/** Same-origin redirects went round in a loop, or there were more than the few we follow. */
export class TooManyRedirectsError extends Error {
  override readonly name = 'TooManyRedirectsError';
  constructor(
    /** How many redirects were followed before giving up. */
    readonly followed: number,
    /** The address that was reached again (a loop), or undefined when the chain was only too long. */
    readonly loopsTo: string | undefined,
  ) {
    super(loopsTo !== undefined ? l10n.t('Redirected in a loop back to {0} after {1} redirects.', loopsTo, followed) : l10n.t('More than {0} redirects.', followed));
  }
}

/** The body claims to be JSON but does not parse; `text` is its start, for an excerpt. */
export class InvalidJsonError extends Error {
  override readonly name = 'InvalidJsonError';
  /** True when `text` is only the start of the body. */
  readonly truncated: boolean;
  readonly text: string;
  constructor(body: string) {
    super(l10n.t('The response body is not valid JSON.'));
    this.truncated = body.length > INVALID_JSON_EXCERPT;
    this.text = this.truncated ? body.slice(0, INVALID_JSON_EXCERPT) : body;
  }
}

/** How much of a body that does not parse is kept for the message's excerpt. */
const INVALID_JSON_EXCERPT = 64 * 1024;

/** The transport's own deadline passed before the whole answer (headers and body) arrived. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(readonly timeoutMs: number) {
    super(l10n.t('No complete answer within {0} ms.', timeoutMs));
  }
}

/** A request or redirect pointed away from the configured origin; it was not sent. */
export class OffOriginError extends Error {
  override readonly name = 'OffOriginError';
  constructor(
    readonly target: string,
    readonly redirected: boolean,
  ) {
    super(l10n.t('Refused to send a request to {0}.', target));
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
    // Over headers and body alike, every hop: let go of once the body is read (or the request failed).
    const deadline = linkAbort([init.signal], timeoutMs);
    const fail = (e: unknown): never => {
      // The caller's own abort stays an AbortError, so the SDK reports it as a cancel, not a timeout.
      throw deadline.timedOut && !init.signal?.aborted ? new DeadlineError(timeoutMs) : e;
    };
    try {
      return await send(String(input), init, deadline, fail);
    } catch (e) {
      deadline.dispose();
      throw e;
    }
  };

  /** The request and the redirects it is allowed to follow; the body is read later, through `guardBody`. */
  async function send(input: string, init: SdkRequestInit, deadline: AbortLink, fail: (e: unknown) => never): Promise<Response> {
    const started = performance.now();
    let url = new URL(input);
    const visited = new Set<string>([url.href]);
    for (let hop = 0; ; hop++) {
      if (url.origin !== options.origin) {
        throw new OffOriginError(url.origin, hop > 0);
      }
      // One signal per hop: aborted on its own (`deadline.abort()`) to drop a response we will not read (a redirect, a body over the cap) and free its socket.
      const signal = hop === 0 ? deadline.signal : deadline.renew();
      // Redirects are followed here, not by node-fetch: it keeps Authorization on a redirect to another port.
      const response = (await options
        .fetch(url.href, {
          method: init.method ?? 'GET',
          headers: { ...headers },
          body: init.body,
          signal,
          redirect: 'manual',
          compress: true,
        })
        .catch(fail)) as Response;
      const location = response.headers.get('location');
      if (REDIRECT_STATUSES.has(response.status) && location !== null) {
        deadline.abort();
        const target = parseUrl(location, url);
        if (target === undefined) {
          throw new OffOriginError(l10n.t('an invalid address ("{0}")', location.slice(0, 60)), true);
        }
        if (target.origin !== options.origin) {
          throw new OffOriginError(target.origin, true);
        }
        if (visited.has(target.href)) {
          throw new TooManyRedirectsError(hop, target.href);
        }
        if (hop >= MAX_REDIRECTS) {
          throw new TooManyRedirectsError(hop, undefined);
        }
        visited.add(target.href);
        url = target;
        continue;
      }
      const encoding = contentEncoding(response);
      const length = Number(response.headers.get('content-length') ?? NaN);
      if (length > options.maxBodyBytes) {
        deadline.abort(); // frees the socket without reading a byte of it (compressed, it would only grow)
        throw encoding === undefined ? new BodyTooLargeError(options.maxBodyBytes, length) : new BodyTooLargeError(options.maxBodyBytes, undefined, encoding, length);
      }
      guardBody(response, {
        maxBodyBytes: options.maxBodyBytes,
        jsonLimits: options.jsonLimits ?? JSON_LIMITS,
        encoding,
        announcedBytes: Number.isFinite(length) && length >= 0 ? length : undefined,
        release: deadline,
        interrupted: () => deadline.timedOut || init.signal?.aborted === true,
        fail,
        timing: options.onBody && { onBody: options.onBody, method: init.method ?? 'GET', path: url.pathname, started, headers: performance.now() },
      });
      return response;
    }
  }
}

/** The compression node-fetch undoes for this response (it decodes gzip, deflate and br), if any. */
function contentEncoding(response: Response): string | undefined {
  const value = response.headers.get('content-encoding')?.trim().toLowerCase();
  return value && value !== 'identity' ? value : undefined;
}

interface BodyGuard {
  maxBodyBytes: number;
  jsonLimits: JsonLimits;
  /** Set when the body is compressed: `announcedBytes` is then the compressed size. */
  encoding: string | undefined;
  announcedBytes: number | undefined;
  /** The request's link: aborted to drop the connection when the body goes over the cap, let go of (its timer and listeners) once the body is read or its reading failed. */
  release: AbortLink;
  /** True once our deadline or the caller's signal ended the request (then an error is theirs). */
  interrupted: () => boolean;
  fail: (e: unknown) => never;
  /** Set when someone wants the body's timings: when the request started and its headers came. */
  timing?: { onBody: (timing: BodyTiming) => void; method: string; path: string; started: number; headers: number };
}

/** Node's codes for a connection that closed under a body being read (zlib's when a compressed one stops). */
const CUT_SHORT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET', 'Z_BUF_ERROR']);

/**
 * Makes the body readers enforce our limits and report our errors: over the cap (counted on the
 * decoded bytes, so a decompression bomb stops at the cap too), cut short, past the deadline, too
 * costly to parse (checked before `JSON.parse`), or JSON that does not parse (with the text, so the
 * message can say what came back). The body is read here rather than by node-fetch so the bytes
 * received are known when it stops.
 */
function guardBody(response: Response, guard: BodyGuard): void {
  const read = async (): Promise<{ body: string; timing?: BodyTiming }> => {
    const t0 = performance.now();
    let got: { text: string; bytes: number };
    try {
      got = await readBody(response, guard);
    } finally {
      guard.release.dispose();
    }
    const { text: body, bytes } = got;
    const t1 = performance.now();
    // Only a text that starts like an array or object can cost more once parsed than it weighs.
    if (/^\s*[[{]/.test(body.slice(0, 64))) {
      const problem = exceedsJsonLimits(body, guard.jsonLimits);
      if (problem) {
        throw new BodyTooCostlyError(problem);
      }
    }
    const t = guard.timing;
    const timing = t && { method: t.method, path: t.path, bytes, headersMs: t.headers - t.started, readMs: t1 - t0, checkMs: performance.now() - t1 };
    return { body, timing };
  };
  const report = (timing: BodyTiming | undefined) => {
    if (timing) {
      try {
        guard.timing?.onBody(timing);
      } catch {
        // A listener that throws never fails the request.
      }
    }
  };
  Object.assign(response, {
    async text(): Promise<string> {
      const { body, timing } = await read();
      report(timing);
      return body;
    },
    async json(): Promise<unknown> {
      const { body, timing } = await read();
      const t0 = performance.now();
      let value: unknown;
      try {
        value = JSON.parse(body) as unknown;
      } catch {
        throw new InvalidJsonError(body);
      }
      report(timing && { ...timing, parseMs: performance.now() - t0 });
      return value;
    },
  });
}

/** The body's text and how many (decoded) bytes it came in. */
async function readBody(response: Response, guard: BodyGuard): Promise<{ text: string; bytes: number }> {
  const stream = response.body as AsyncIterable<Uint8Array> | null;
  if (stream === null || typeof stream[Symbol.asyncIterator] !== 'function') {
    return { text: '', bytes: 0 };
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for await (const chunk of stream) {
      received += chunk.byteLength;
      if (received > guard.maxBodyBytes) {
        guard.release.abort(); // drops the connection: the rest is never read
        throw new BodyTooLargeError(guard.maxBodyBytes, guard.encoding ? undefined : guard.announcedBytes, guard.encoding, guard.encoding ? guard.announcedBytes : undefined);
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof BodyTooLargeError || guard.interrupted()) {
      return guard.fail(e);
    }
    if (CUT_SHORT_CODES.has(errorCode(e) ?? '')) {
      throw new BodyCutShortError(received, guard.encoding ? undefined : guard.announcedBytes);
    }
    return guard.fail(e);
  }
  if (guard.encoding === undefined && guard.announcedBytes !== undefined && received < guard.announcedBytes) {
    throw new BodyCutShortError(received, guard.announcedBytes);
  }
  // TextDecoder, as node-fetch's text() does: it drops a UTF-8 byte-order mark.
  return { text: new TextDecoder().decode(Buffer.concat(chunks, received)), bytes: received };
}

/** `code` of the error or of its causes (node-fetch wraps stream errors in a FetchError). */
function errorCode(e: unknown): string | undefined {
  let current = e;
  for (let i = 0; i < 5 && isRecord(current); i++) {
    if (typeof current.code === 'string') {
      return current.code;
    }
    current = current.cause;
  }
  return undefined;
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
/** Its `fetch` once loaded: later requests call it without another turn of the event loop. */
let loadedFetch: (typeof import('node-fetch'))['default'] | undefined;

/** node-fetch's `fetch`: its body is a Node stream that an abort ends mid-read. */
export async function nodeFetch(url: string, init: Record<string, unknown>): Promise<unknown> {
  if (loadedFetch === undefined) {
    nodeFetchModule ??= import('node-fetch');
    loadedFetch = (await nodeFetchModule).default;
  }
  return loadedFetch(url, init);
}

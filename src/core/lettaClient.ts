/**
 * The Letta API client: the official SDK for the calls, typed errors and retries, wrapped so every
 * failure becomes a `LettaApiError` with a message a user can act on. Every SDK option is passed
 * explicitly, so LETTA_* environment variables cannot change where requests go. Pure: no `vscode`.
 */
import Letta, { APIConnectionError, APIError, APIUserAbortError } from '@letta-ai/letta-client';
import type { CallOptions, LettaApi, PageQuery } from './lettaApi';
import { LettaApiError } from './lettaApi';
import type { Agent, ProviderTrace, Step } from './lettaTypes';
import { normalizeBaseUrl } from './baseUrl';
import { createTransport, type TransportOptions } from './httpTransport';
import { describeStepIdProblem, isStepId } from './stepIds';

export interface LettaClientOptions {
  /** As the user typed it; normalised here. */
  baseUrl: string;
  apiKey?: string;
  /** Letta Cloud project slug (`X-Project`). */
  project?: string;
  /** The whole call, body included, per attempt. */
  timeoutMs?: number;
  maxRetries?: number;
  maxBodyBytes?: number;
  fetch: TransportOptions['fetch'];
  /** Never receives the key. */
  log?: (message: string) => void;
  /** Traces are written just after a step: a `null` gets one more try after this delay. */
  nullTraceRetryDelayMs?: number;
}

const DEFAULTS = { timeoutMs: 30_000, maxRetries: 2, maxBodyBytes: 100 * 1024 * 1024, nullTraceRetryDelayMs: 700 };

/** Builds a client for one server and key. Throws `LettaApiError('invalid-request')` for a bad base URL. */
export function createLettaClient(options: LettaClientOptions): LettaApi {
  const base = normalizeBaseUrl(options.baseUrl);
  if (!base.ok) {
    throw new LettaApiError('invalid-request', base.error);
  }
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const sdk = new Letta({
    apiKey: null, // the transport sets Authorization itself, so the environment's LETTA_API_KEY is never used
    baseURL: base.apiBase,
    project: options.project ? options.project : null,
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    logLevel: 'off',
    defaultHeaders: {},
    // The SDK's `Fetch` type is the DOM one; node-fetch's Response is compatible at run time.
    fetch: createTransport({ apiKey: options.apiKey, maxBodyBytes: settings.maxBodyBytes, timeoutMs: settings.timeoutMs, fetch: options.fetch }) as unknown as typeof globalThis.fetch,
  });
  const host = base.host;
  const log = options.log ?? (() => undefined);

  /** Runs one SDK call with our deadline and cancellation, and maps its failure. */
  async function call<T>(what: string, run: (request: { signal: AbortSignal; maxRetries: number; timeout: number }) => Promise<T>, opts: CallOptions = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? settings.timeoutMs;
    const maxRetries = opts.maxRetries ?? settings.maxRetries;
    // A deadline over all attempts and their waits; the transport bounds each attempt, body included.
    const budgetMs = timeoutMs * (maxRetries + 1) + 10_000 * maxRetries;
    const deadline = AbortSignal.timeout(budgetMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
    const started = Date.now();
    try {
      // Race the abort so a cancel returns at once, even while the SDK sleeps before a retry.
      const result = await raceAbort(run({ signal, maxRetries, timeout: timeoutMs }), signal);
      log(`${what} → ok in ${Date.now() - started} ms`);
      return result;
    } catch (e) {
      const error = toApiError(e, { host, timeoutMs, cancelled: opts.signal?.aborted === true, deadlineHit: deadline.aborted, maxBodyBytes: settings.maxBodyBytes });
      log(`${what} → ${error.kind}${error.details.status ? ` (${error.details.status})` : ''} in ${Date.now() - started} ms`);
      throw error;
    }
  }

  function requireStepId(stepId: string): void {
    if (!isStepId(stepId)) {
      throw new LettaApiError('invalid-request', describeStepIdProblem(stepId) ?? 'Not a step ID.');
    }
  }

  return {
    origin: base.origin,

    async getTrace(stepId, opts) {
      requireStepId(stepId);
      const fetchOnce = () =>
        call(`GET trace ${stepId} from ${base.origin}`, (request) => sdk.steps.trace.retrieve(stepId, request) as Promise<unknown>, opts);
      let body = await fetchOnce();
      if (body === null) {
        await abortableDelay(settings.nullTraceRetryDelayMs, opts?.signal);
        body = await fetchOnce();
      }
      if (body === null) {
        throw new LettaApiError(
          'no-trace',
          `No trace was recorded for ${stepId} on ${host}. Possible reasons: provider tracing is off on that server, ` +
            'the step belongs to another server, project or organisation, or the step finished moments ago and its trace is not written yet.',
          { host },
        );
      }
      return checkTrace(body, host);
    },

    async getStep(stepId, opts) {
      requireStepId(stepId);
      const body = await call(`GET step ${stepId}`, (request) => sdk.steps.retrieve(stepId, request) as Promise<unknown>, opts);
      if (!isRecord(body) || typeof body.id !== 'string') {
        throw badResponse(host, body, 'a step');
      }
      return body as Step;
    },

    async listSteps(query, opts) {
      const params = { ...pageParams(query), ...(query.agentId ? { agent_id: query.agentId } : {}), ...(query.model ? { model: query.model } : {}) };
      const page = await call('GET steps', (request) => sdk.steps.list(params, request), opts);
      return pageItems<Step>(page, host, 'a list of steps');
    },

    async listAgents(query, opts) {
      const params = { ...pageParams(query), ...(query.name ? { name: query.name } : {}) };
      const page = await call('GET agents', (request) => sdk.agents.list(params, request), opts);
      return pageItems<Agent>(page, host, 'a list of agents');
    },
  };
}

function pageParams(query: PageQuery): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (query.before) {
    out.before = query.before;
  }
  if (query.after) {
    out.after = query.after;
  }
  if (query.limit !== undefined) {
    out.limit = query.limit;
  }
  if (query.order) {
    out.order = query.order;
  }
  return out;
}

/** The SDK's array page: its items (`getPaginatedItems`) or, for an odd server, the raw array. */
function pageItems<T>(page: unknown, host: string, what: string): T[] {
  const items = (page as { getPaginatedItems?: () => unknown }).getPaginatedItems?.() ?? page;
  if (!Array.isArray(items)) {
    throw badResponse(host, items, what);
  }
  return items.filter((item): item is T => isRecord(item) && typeof item.id === 'string');
}

function checkTrace(body: unknown, host: string): ProviderTrace {
  if (!isRecord(body)) {
    throw badResponse(host, body, 'a trace');
  }
  if (!isRecord(body.request_json) || !isRecord(body.response_json)) {
    throw new LettaApiError('bad-response', `${host} sent a trace whose request_json or response_json is not a JSON object; the server may be a different version.`, { host });
  }
  return body as ProviderTrace;
}

function badResponse(host: string, body: unknown, expected: string): LettaApiError {
  return new LettaApiError('bad-response', `${host} did not send ${expected} but ${describeBody(body)}. Check the server URL.`, { host });
}

/** What came back instead of JSON, in words, with a short and printable excerpt. */
export function describeBody(body: unknown): string {
  if (typeof body === 'string') {
    if (/^\s*<(!doctype|html|head|body)/i.test(body)) {
      return 'an HTML page (a proxy, a login page or not a Letta server?)';
    }
    return body.trim() === '' ? 'an empty body' : `text: "${printableExcerpt(body)}"`;
  }
  if (body === null || body === undefined) {
    return 'nothing';
  }
  return Array.isArray(body) ? 'a JSON array' : `a JSON ${typeof body}`;
}

/** At most 80 characters, control and format characters removed, for messages. */
export function printableExcerpt(text: string, max = 80): string {
  const clean = text.replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]+/gu, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

interface ErrorContext {
  host: string;
  timeoutMs: number;
  cancelled: boolean;
  deadlineHit: boolean;
  maxBodyBytes: number;
}

/** Maps anything the SDK or the transport throws to a `LettaApiError`. */
function toApiError(e: unknown, ctx: ErrorContext): LettaApiError {
  const { host } = ctx;
  if (e instanceof LettaApiError) {
    return e;
  }
  if (ctx.cancelled) {
    return new LettaApiError('cancelled', 'Cancelled.', { host });
  }
  const cause = rootCause(e);
  if (isSizeError(cause)) {
    const mb = Math.round(ctx.maxBodyBytes / 1024 / 1024);
    return new LettaApiError('too-large', `The answer from ${host} is larger than ${mb} MB, the limit set by "letta.maxTraceSizeMB". Raise the setting to open it.`, { host });
  }
  if (ctx.deadlineHit || e instanceof APIUserAbortError || isTimeout(e)) {
    return new LettaApiError('timeout', `${host} did not answer within ${Math.round(ctx.timeoutMs / 1000)} s ("letta.requestTimeoutSeconds"). The server may be slow or unreachable.`, { host });
  }
  if (e instanceof APIError && typeof e.status === 'number') {
    return fromStatus(e.status, e.error, e.headers, host);
  }
  if (e instanceof APIConnectionError || isNetworkError(cause)) {
    return new LettaApiError('network', `Could not reach ${host}: ${networkReason(cause)}.`, { host });
  }
  if (e instanceof SyntaxError || (cause instanceof Error && cause.name === 'SyntaxError') || isInvalidJsonError(cause)) {
    return new LettaApiError('bad-response', `${host} sent malformed JSON. Check the server URL, or try again.`, { host });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new LettaApiError('network', `The request to ${host} failed: ${printableExcerpt(message, 160)}.`, { host });
}

function fromStatus(status: number, body: unknown, headers: Headers | undefined, host: string): LettaApiError {
  const detail = readDetail(body);
  const details = { status, host, detail };
  if (status === 401 || status === 403) {
    return new LettaApiError('unauthorized', `${host} rejected the API key (HTTP ${status}${detail ? `: ${detail}` : ''}). Set the key for this server.`, details);
  }
  if (status === 404) {
    return new LettaApiError('not-found', `${host} has no such resource${detail ? `: ${detail}` : ''} (HTTP 404). Check the step ID and the server.`, details);
  }
  if (status === 400 || status === 422) {
    return new LettaApiError('invalid-request', `${host} refused the request (HTTP ${status})${detail ? `: ${detail}` : ''}.`, details);
  }
  if (status === 429) {
    const wait = retryAfterSeconds(headers);
    return new LettaApiError('rate-limited', `${host} is rate limiting requests (HTTP 429).${wait ? ` Try again in ${wait} s.` : ' Try again shortly.'}`, details);
  }
  if (status >= 500) {
    return new LettaApiError('server-error', `${host} had an error (HTTP ${status}${detail ? `: ${detail}` : ''}). Try again later.`, details);
  }
  return new LettaApiError('bad-response', `${host} answered HTTP ${status}${detail ? `: ${detail}` : ''}.`, details);
}

/** `detail` as a string: the real server's string, or the spec's list of `{loc, msg}`. */
export function readDetail(body: unknown): string | undefined {
  if (!isRecord(body)) {
    return typeof body === 'string' && body.trim() !== '' && !/^\s*</.test(body) ? printableExcerpt(body, 200) : undefined;
  }
  const detail = body.detail ?? body.message ?? body.error;
  if (typeof detail === 'string') {
    return printableExcerpt(detail, 300);
  }
  if (Array.isArray(detail)) {
    const parts = detail.map((d) => (isRecord(d) ? [Array.isArray(d.loc) ? d.loc.join('.') : undefined, d.msg].filter(Boolean).join(': ') : String(d)));
    return printableExcerpt(parts.join('; '), 300);
  }
  return undefined;
}

function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after');
  if (!value) {
    return undefined;
  }
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 1000) : undefined;
}

function rootCause(e: unknown): unknown {
  let current = e;
  for (let i = 0; i < 5 && current instanceof Error && current.cause !== undefined; i++) {
    current = current.cause;
  }
  return current;
}

function errorField(e: unknown, field: 'type' | 'code' | 'name'): string | undefined {
  return isRecord(e) || e instanceof Error ? (typeof (e as Record<string, unknown>)[field] === 'string' ? ((e as Record<string, unknown>)[field] as string) : undefined) : undefined;
}

function isSizeError(e: unknown): boolean {
  return errorField(e, 'type') === 'max-size';
}

function isInvalidJsonError(e: unknown): boolean {
  return errorField(e, 'type') === 'invalid-json';
}

function isTimeout(e: unknown): boolean {
  // node-fetch reports an aborted body read as AbortError; when the user did not cancel, a deadline did.
  return ['TimeoutError', 'APIConnectionTimeoutError', 'AbortError'].includes(errorField(e, 'name') ?? '') || errorField(rootCause(e), 'name') === 'AbortError';
}

function isNetworkError(e: unknown): boolean {
  return errorField(e, 'type') === 'system' || errorField(e, 'name') === 'FetchError' || typeof errorField(e, 'code') === 'string';
}

function networkReason(e: unknown): string {
  const code = errorField(e, 'code') ?? (e instanceof Error && /E[A-Z]+/.exec(e.message)?.[0]);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name was not found (DNS)';
    case 'ECONNRESET':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return 'the connection was reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the network is unreachable';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    default:
      if (typeof code === 'string' && /CERT|SSL|TLS|SELF_SIGNED/i.test(code)) {
        return `the TLS certificate was not accepted (${code})`;
      }
      return typeof code === 'string' ? code : 'the connection failed';
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new LettaApiError('cancelled', 'Cancelled.'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new LettaApiError('cancelled', 'Cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

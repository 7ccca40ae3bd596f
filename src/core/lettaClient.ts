/**
 * The Letta API client: the official SDK for the calls, wrapped so every failure becomes a
 * `LettaApiError` with a message a user can act on. Every SDK option is passed explicitly and the
 * transport chooses the headers, so LETTA_* environment variables cannot change where requests go or
 * what they carry. Retries are ours, not the SDK's, so a cancel also ends a retry wait at once and a
 * huge Retry-After is reported instead of slept through. Pure: no `vscode` import.
 */
import Letta, { APIConnectionTimeoutError, APIError, APIUserAbortError } from '@letta-ai/letta-client';
import { isRecord } from './conversation/util';
import { errorMessage } from './errorMessage';
import type { CallOptions, LettaApi, PageQuery, RunSteps } from './lettaApi';
import { LettaApiError } from './lettaApi';
import type { Agent, ProviderTrace, Run, RunMetrics, Step, UsageStatistics } from './lettaTypes';
import { normalizeBaseUrl } from './baseUrl';
import { BodyTooLargeError, createTransport, DeadlineError, InvalidJsonError, OffOriginError, type FetchLike } from './httpTransport';
import { AGENT_IDS, RUN_IDS, STEP_IDS, type IdKind } from './lettaIds';

export type { FetchLike } from './httpTransport';

export interface LettaClientOptions {
  /** As the user typed it (`…/`, `…/v1` accepted); normalised here. */
  baseUrl: string;
  /** Without one, no Authorization header is sent (a self-hosted server without a password). */
  apiKey?: string;
  /** Letta Cloud project slug, sent as `X-Project`. */
  project?: string;
  /** One attempt, headers and body, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Retries after 429, 5xx or a reset connection. Default 2. */
  maxRetries?: number;
  /** The largest body accepted, in bytes. Default 100 MB. */
  maxBodyBytes?: number;
  /** A Retry-After longer than this (ms) is reported ("try again in N s") instead of waited for. Default 10 000. */
  maxRetryAfterMs?: number;
  /** node-fetch@3's fetch in the extension: `nodeFetch` from `httpTransport.ts`. */
  fetch: FetchLike;
  /** One line per call and retry; never receives the key. */
  log?: (message: string) => void;
  /** Traces are written just after a step: a `null` gets one more try after this delay. Default 700. */
  nullTraceRetryDelayMs?: number;
}

/** Per-request SDK options: its retries off (ours run instead), our deadline handed to the transport. */
type SdkRequest = NonNullable<Parameters<Letta['steps']['retrieve']>[1]>;

const DEFAULTS = { timeoutMs: 30_000, maxRetries: 2, maxBodyBytes: 100 * 1024 * 1024, maxRetryAfterMs: 10_000, nullTraceRetryDelayMs: 700 };
const MB = 1024 * 1024;

/** Builds a client for one server and key. Throws `LettaApiError('invalid-request')` for a bad base URL. */
export function createLettaClient(options: LettaClientOptions): LettaApi {
  const base = normalizeBaseUrl(options.baseUrl);
  if (!base.ok) {
    throw new LettaApiError('invalid-request', base.error);
  }
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  settings.timeoutMs = Math.max(1, Math.round(settings.timeoutMs));
  const { host } = base;
  const sdk = new Letta({
    // Auth and project headers come from the transport; null here keeps LETTA_API_KEY out.
    apiKey: null,
    project: null,
    projectID: null,
    baseURL: base.apiBase,
    timeout: settings.timeoutMs,
    maxRetries: 0,
    logLevel: 'off',
    defaultHeaders: {},
    // The SDK's `Fetch` type is the DOM one; node-fetch's Response is compatible at run time.
    fetch: createTransport({
      origin: base.origin,
      apiKey: options.apiKey || undefined,
      project: options.project || undefined,
      maxBodyBytes: settings.maxBodyBytes,
      timeoutMs: settings.timeoutMs,
      fetch: options.fetch,
    }) as unknown as typeof globalThis.fetch,
  });
  const log = options.log ?? (() => undefined);
  const context = { host, hasKey: Boolean(options.apiKey), maxBodyBytes: settings.maxBodyBytes };

  /** Runs one SDK call with retries, the per-call deadline and cancellation, and maps its failure. */
  async function call<T>(what: string, run: (request: SdkRequest) => Promise<T>, opts: CallOptions = {}): Promise<T> {
    // The SDK refuses a timeout that is not a positive integer.
    const timeoutMs = Math.max(1, Math.round(opts.timeoutMs ?? settings.timeoutMs));
    const maxRetries = Math.max(0, Math.floor(opts.maxRetries ?? settings.maxRetries));
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      // Per attempt: the transport's deadline is the client's; this one also honours a shorter per-call one.
      const deadline = AbortSignal.timeout(timeoutMs);
      const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
      try {
        const request: SdkRequest = { signal, maxRetries: 0, timeout: timeoutMs, fetchOptions: { deadlineMs: timeoutMs } as SdkRequest['fetchOptions'] };
        const result = await raceAbort(run(request), signal);
        log(`${what} → ok in ${Date.now() - started} ms${attempt ? ` after ${attempt} ${attempt === 1 ? 'retry' : 'retries'}` : ''}`);
        return result;
      } catch (e) {
        const error = toApiError(e, { ...context, timeoutMs, cancelled: opts.signal?.aborted === true, deadlineHit: deadline.aborted });
        const status = error.details.status ? ` (HTTP ${error.details.status})` : '';
        const wait = attempt < maxRetries ? retryDelayMs(error, e, attempt, settings.maxRetryAfterMs) : undefined;
        if (wait === undefined) {
          log(`${what} → ${error.kind}${status} in ${Date.now() - started} ms`);
          throw error;
        }
        log(`${what} → ${error.kind}${status}; retry ${attempt + 1} of ${maxRetries} in ${wait} ms`);
        await abortableDelay(wait, opts.signal, host);
      }
    }
  }

  /** A malformed ID never reaches the server (nor its URL). */
  function requireId(kind: IdKind, id: string): void {
    if (!kind.is(id)) {
      throw new LettaApiError('invalid-request', kind.describeProblem(id) ?? `This is not a Letta ${kind.noun} ID (${kind.prefix}<uuid>).`);
    }
  }
  const requireStepId = (stepId: string) => requireId(STEP_IDS, stepId);

  /** One object answer: parsed leniently, refused unless it is a JSON object (with an `id` when `needsId`). */
  async function getObject<T>(what: string, expected: string, run: (request: SdkRequest) => Promise<unknown>, opts: CallOptions | undefined, needsId: boolean): Promise<T> {
    const body = parseLenient(await call(what, run, opts));
    if (!isRecord(body) || (needsId && typeof body.id !== 'string')) {
      throw badResponse(host, body, expected);
    }
    return body as T;
  }

  return {
    origin: base.origin,

    async getTrace(stepId, opts) {
      requireStepId(stepId);
      const fetchOnce = async () => parseLenient(await call(`GET trace ${stepId}`, (request) => sdk.steps.trace.retrieve(stepId, request) as Promise<unknown>, opts));
      let body = await fetchOnce();
      if (body === null) {
        log(`GET trace ${stepId} → null; one more try in ${settings.nullTraceRetryDelayMs} ms`);
        await abortableDelay(settings.nullTraceRetryDelayMs, opts?.signal, host);
        body = await fetchOnce();
      }
      if (body === null) {
        throw new LettaApiError(
          'no-trace',
          `No trace was recorded for ${stepId} on ${host}. Possible reasons: provider tracing is off on that server, ` +
            'the step belongs to another server, project or organisation, or the step finished moments ago and its trace is not written yet (try again in a few seconds).',
          { host, status: 200 },
        );
      }
      return checkTrace(body, host);
    },

    async getStep(stepId, opts) {
      requireStepId(stepId);
      const body = parseLenient(await call(`GET step ${stepId}`, (request) => sdk.steps.retrieve(stepId, request) as Promise<unknown>, opts));
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

    async getRun(runId, opts) {
      requireId(RUN_IDS, runId);
      return getObject<Run>(`GET run ${runId}`, 'a run', (request) => sdk.runs.retrieve(runId, request), opts, true);
    },

    async listRunSteps(runId, query = {}, opts) {
      requireId(RUN_IDS, runId);
      const pageSize = clampInt(query.pageSize ?? DEFAULT_RUN_PAGE, 1, MAX_RUN_PAGE);
      const maxSteps = clampInt(query.maxSteps ?? DEFAULT_MAX_RUN_STEPS, 1, Number.MAX_SAFE_INTEGER);
      const result: RunSteps = { steps: [], truncated: false };
      const seen = new Set<string>();
      for (let after: string | undefined; ; ) {
        const remaining = maxSteps - result.steps.length;
        // One more than fits tells a run that is exactly `maxSteps` long from a longer one.
        const limit = Math.min(pageSize, remaining + 1);
        const params = { order: 'asc', order_by: 'created_at', limit, ...(after ? { after } : {}) };
        const page = pageItems<Step>(await call(`GET run steps ${runId}${after ? ` after ${after}` : ''}`, (request) => sdk.runs.steps.list(runId, params, request), opts), host, 'a list of steps');
        const fresh = page.filter((s) => !seen.has(s.id));
        if (page.length > 0 && fresh.length === 0) {
          // A server that ignores the cursor would hand back the same page for ever.
          throw new LettaApiError('bad-response', `${host} sent the same steps again for the page after ${after ?? 'the first'}; it does not seem to page run steps. Check the server URL ("letta.baseUrl").`, { host, status: 200 });
        }
        const kept = fresh.slice(0, remaining);
        for (const step of kept) {
          seen.add(step.id);
          result.steps.push(step);
        }
        if (kept.length > 0) {
          query.onPage?.(kept);
        }
        if (fresh.length > remaining) {
          result.truncated = true;
          return result;
        }
        if (page.length < limit || kept.length === 0) {
          return result;
        }
        after = kept[kept.length - 1].id;
      }
    },

    async getRunUsage(runId, opts) {
      requireId(RUN_IDS, runId);
      return getObject<UsageStatistics>(`GET run usage ${runId}`, "a run's usage", (request) => sdk.runs.usage.retrieve(runId, request), opts, false);
    },

    async getRunMetrics(runId, opts) {
      requireId(RUN_IDS, runId);
      // The SDK has no method for this route; its generic `get` still goes through our transport.
      return getObject<RunMetrics>(`GET run metrics ${runId}`, "a run's metrics", (request) => sdk.get(`/v1/runs/${runId}/metrics`, request), opts, true);
    },

    async listRuns(query, opts) {
      if (query.agentId !== undefined) {
        requireId(AGENT_IDS, query.agentId);
      }
      const params = { ...pageParams(query), ...(query.agentId ? { agent_id: query.agentId } : {}) };
      const page = await call('GET runs', (request) => sdk.runs.list(params, request), opts);
      return pageItems<Run>(page, host, 'a list of runs');
    },

    async getRunTrace(runId, opts) {
      requireId(RUN_IDS, runId);
      const params = opts?.limit !== undefined ? { limit: clampInt(opts.limit, 1, 5000) } : {};
      try {
        const body = parseLenient(await call(`GET run trace ${runId}`, (request) => sdk.runs.trace.retrieve(runId, params, request) as Promise<unknown>, opts));
        if (!Array.isArray(body)) {
          throw badResponse(host, body, "a run's spans");
        }
        return { available: true, spans: body.filter(isRecord) };
      } catch (e) {
        if (e instanceof LettaApiError && e.details.status === NOT_IMPLEMENTED) {
          return { available: false, reason: `${host} does not keep run traces (HTTP 501${e.details.detail ? `: ${e.details.detail}` : ''}).` };
        }
        throw e;
      }
    },
  };
}

/** 501 Not Implemented: the server lacks the feature, so asking again cannot help. */
const NOT_IMPLEMENTED = 501;
const DEFAULT_RUN_PAGE = 100;
const MAX_RUN_PAGE = 1000;
const DEFAULT_MAX_RUN_STEPS = 1000;

function clampInt(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : min;
}

/** Retry 429, 5xx (but 501) and dropped connections; a wait longer than `maxRetryAfterMs` is reported instead. */
function retryDelayMs(error: LettaApiError, cause: unknown, attempt: number, maxRetryAfterMs: number): number | undefined {
  const transient =
    error.kind === 'rate-limited' || (error.kind === 'server-error' && error.details.status !== NOT_IMPLEMENTED) || (error.kind === 'network' && isDroppedConnection(rootCause(cause)));
  if (!transient) {
    return undefined;
  }
  const asked = cause instanceof APIError ? retryAfterMs(cause.headers as Headers | undefined) : undefined;
  if (asked !== undefined) {
    return asked <= maxRetryAfterMs ? asked : undefined;
  }
  // Exponential backoff, 0.5 s doubling to at most 8 s, with up to 25 % jitter.
  return Math.round(Math.min(500 * 2 ** attempt, 8000) * (1 - Math.random() * 0.25));
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

/** The SDK's array page: its items (`getPaginatedItems`) or, for an odd server, the raw body. */
function pageItems<T>(page: unknown, host: string, what: string): T[] {
  const items = parseLenient((page as { getPaginatedItems?: () => unknown }).getPaginatedItems?.() ?? page);
  if (!Array.isArray(items)) {
    throw badResponse(host, items, what);
  }
  return items.filter((item): item is T => isRecord(item) && typeof item.id === 'string');
}

/** The SDK hands back text when the content type is not JSON; a proxy may relabel real JSON. */
function parseLenient(body: unknown): unknown {
  if (typeof body !== 'string' || !/^\s*[[{n]/.test(body)) {
    return body;
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function checkTrace(body: unknown, host: string): ProviderTrace {
  if (!isRecord(body)) {
    throw badResponse(host, body, 'a trace');
  }
  if (!isRecord(body.request_json) || !isRecord(body.response_json)) {
    const which = !isRecord(body.request_json) ? 'request_json' : 'response_json';
    throw new LettaApiError(
      'bad-response',
      `${host} sent a trace whose ${which} is ${describeBody(body[which])}, not a JSON object. The server may be a version this extension does not know.`,
      { host, status: 200 },
    );
  }
  return body as ProviderTrace;
}

function badResponse(host: string, body: unknown, expected: string): LettaApiError {
  return new LettaApiError('bad-response', `${host} sent ${describeBody(body)} instead of ${expected}. Check the server URL ("letta.baseUrl").`, { host, status: 200 });
}

/** What came back, in words, with a short printable excerpt of any text. */
export function describeBody(body: unknown): string {
  if (typeof body === 'string') {
    if (/^\s*<(!doctype|html|head|body|\?xml)/i.test(body)) {
      const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1];
      return `an HTML page ("${printableExcerpt(title?.trim() ? title : body, 60)}"; a proxy, a login page or not a Letta server?)`;
    }
    return body.trim() === '' ? 'an empty body' : `text ("${printableExcerpt(body, 60)}")`;
  }
  if (body === null) {
    return 'null';
  }
  if (body === undefined) {
    return 'nothing';
  }
  return Array.isArray(body) ? 'a JSON array' : `a JSON ${typeof body}`;
}

/** At most `max` characters, control and format characters removed, for messages. */
export function printableExcerpt(text: string, max = 80): string {
  const clean = text.replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]+/gu, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

interface ErrorContext {
  host: string;
  hasKey: boolean;
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
    return new LettaApiError('cancelled', `The request to ${host} was cancelled.`, { host });
  }
  const cause = rootCause(e);
  if (cause instanceof BodyTooLargeError) {
    const limit = formatMB(ctx.maxBodyBytes);
    const size = cause.bytes !== undefined ? `is ${formatMB(cause.bytes)}, over` : 'is larger than';
    return new LettaApiError('too-large', `The answer from ${host} ${size} the ${limit} limit. Raise "letta.maxTraceSizeMB" to open it.`, { host });
  }
  if (ctx.deadlineHit || cause instanceof DeadlineError || e instanceof APIConnectionTimeoutError || (e instanceof APIUserAbortError && !ctx.cancelled)) {
    return new LettaApiError(
      'timeout',
      `${host} did not answer within ${formatSeconds(ctx.timeoutMs)}. The server may be slow or unreachable; try again, or raise "letta.requestTimeoutSeconds".`,
      { host },
    );
  }
  if (cause instanceof OffOriginError) {
    return new LettaApiError(
      'bad-response',
      cause.redirected
        ? `${host} redirected the request to ${cause.target}; it was not followed, so your key stays with ${host}. If that is the right server, set "letta.baseUrl" to it.`
        : `A request for ${host} pointed to ${cause.target}; it was not sent.`,
      { host },
    );
  }
  if (cause instanceof InvalidJsonError) {
    const excerpt = printableExcerpt(cause.text, 60);
    return new LettaApiError('bad-response', `${host} sent malformed JSON${excerpt ? ` ("${excerpt}")` : ' (an empty body)'}. Check the server URL, or try again.`, { host, status: 200 });
  }
  if (e instanceof APIError && typeof e.status === 'number') {
    // Without a JSON body the SDK keeps the text only in its message, after the status.
    return fromStatus(e.status, e.error ?? e.message.replace(/^\d{3} (status code \(no body\))?/, ''), e.headers as Headers | undefined, ctx);
  }
  if (isNetworkError(cause)) {
    return new LettaApiError('network', `Could not reach ${host}: ${networkReason(cause)}.`, { host });
  }
  const message = errorMessage(cause);
  return new LettaApiError('network', `The request to ${host} failed: ${printableExcerpt(message, 160)}.`, { host });
}

function fromStatus(status: number, body: unknown, headers: Headers | undefined, ctx: ErrorContext): LettaApiError {
  const { host } = ctx;
  const detail = readDetail(body);
  const details = { status, host, detail };
  const said = detail ? `: ${detail}` : '';
  if (status === 401 || status === 403) {
    return ctx.hasKey
      ? new LettaApiError('unauthorized', `${host} rejected the API key (HTTP ${status}${said}). Set the key for this server with "Letta: Set API Key".`, details)
      : new LettaApiError('unauthorized', `${host} needs an API key (HTTP ${status}${said}). Set one with "Letta: Set API Key".`, details);
  }
  if (status === 404) {
    return new LettaApiError('not-found', `${host} has no such resource (HTTP 404${said}). Check the ID and the server URL.`, details);
  }
  if (status === 400 || status === 422) {
    return new LettaApiError('invalid-request', `${host} refused the request (HTTP ${status}${said}).`, details);
  }
  if (status === 429) {
    const wait = retryAfterMs(headers);
    const when = wait !== undefined ? `Try again in ${Math.max(1, Math.ceil(wait / 1000))} s.` : 'Try again in a moment.';
    return new LettaApiError('rate-limited', `${host} is limiting requests (HTTP 429${said}). ${when}`, wait !== undefined ? { ...details, retryAfterMs: wait } : details);
  }
  if (status >= 500) {
    return new LettaApiError('server-error', `${host} had an internal error (HTTP ${status}${said}). Try again later.`, details);
  }
  return new LettaApiError('bad-response', `${host} answered HTTP ${status}${said}.`, details);
}

/** `detail` as one line: the real server's string, or the spec's list of `{loc, msg}`. */
export function readDetail(body: unknown): string | undefined {
  const parsed = parseLenient(body);
  if (!isRecord(parsed)) {
    if (typeof parsed !== 'string' || parsed.trim() === '') {
      return undefined;
    }
    return /^\s*</.test(parsed) ? describeBody(parsed) : printableExcerpt(parsed, 200);
  }
  const detail = parsed.detail ?? parsed.message ?? parsed.error;
  if (typeof detail === 'string') {
    return printableExcerpt(detail, 300);
  }
  if (Array.isArray(detail)) {
    const parts = detail.map((d) => (isRecord(d) ? [Array.isArray(d.loc) ? d.loc.join('.') : undefined, d.msg].filter(Boolean).join(': ') : String(d)));
    return printableExcerpt(parts.join('; '), 300);
  }
  return undefined;
}

/** `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) {
    return ms;
  }
  const value = headers?.get('retry-after');
  if (!value) {
    return undefined;
  }
  const seconds = Number(value);
  const wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(wait) ? Math.max(0, Math.round(wait)) : undefined;
}

function rootCause(e: unknown): unknown {
  let current = e;
  for (let i = 0; i < 5 && current instanceof Error && current.cause !== undefined; i++) {
    current = current.cause;
  }
  return current;
}

function field(e: unknown, name: 'type' | 'code' | 'name'): string | undefined {
  const value = isRecord(e) || e instanceof Error ? (e as unknown as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function isNetworkError(e: unknown): boolean {
  return field(e, 'type') === 'system' || field(e, 'name') === 'FetchError' || typeof field(e, 'code') === 'string';
}

function isDroppedConnection(e: unknown): boolean {
  return ['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET'].includes(field(e, 'code') ?? '');
}

function networkReason(e: unknown): string {
  const code = field(e, 'code') ?? (e instanceof Error ? /\bE[A-Z_]{3,}\b/.exec(e.message)?.[0] : undefined);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running, and is the URL right?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name was not found (DNS); check the server URL';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return 'the connection was reset; try again';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the network is unreachable';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    case 'EPROTO':
      return 'no TLS connection could be set up (EPROTO); does the server use http:// rather than https://?';
    default:
      if (code && /CERT|SSL|TLS|SELF_SIGNED|ERR_TLS/i.test(code)) {
        return `its TLS certificate was not accepted (${code}); a self-signed certificate needs its CA trusted via NODE_EXTRA_CA_CERTS`;
      }
      return code ? `the connection failed (${code})` : 'the connection failed';
  }
}

function formatMB(bytes: number): string {
  const mb = bytes / MB;
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** Rejects as soon as `signal` aborts, so a cancel returns at once whatever the call is doing. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  const reason = () => (signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(reason());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reason());
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

function abortableDelay(ms: number, signal: AbortSignal | undefined, host: string): Promise<void> {
  const cancelled = () => new LettaApiError('cancelled', `The request to ${host} was cancelled.`, { host });
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelled());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

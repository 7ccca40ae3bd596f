/**
 * The Letta API client: the official SDK for the calls, wrapped so every failure becomes a
 * `LettaApiError` with a message a user can act on. Every SDK option is passed explicitly and the
 * transport chooses the headers, so LETTA_* environment variables cannot change where requests go or
 * what they carry. Retries are ours, not the SDK's, so a cancel also ends a retry wait at once and a
 * huge Retry-After is reported instead of slept through (and every wait is announced through
 * `onWait`). Text a server sends is scrubbed of the key and any credential before it reaches a
 * message or the log (`secretScrub.ts`). Pure: no `vscode` import.
 */
import * as l10n from '@vscode/l10n';
import Letta, { APIConnectionTimeoutError, APIError, APIUserAbortError } from '@letta-ai/letta-client';
import { dropUndefined, isRecord } from './conversation/util';
import { errorMessage } from './errorMessage';
import type { CallOptions, LettaApi, PageQuery, RetryWait, RunSteps } from './lettaApi';
import { LettaApiError } from './lettaApi';
import type { Agent, ProviderTrace, Run, RunMetrics, Step, UsageStatistics } from './lettaTypes';
import { normalizeBaseUrl } from './baseUrl';
import {
  BodyCutShortError,
  BodyTooCostlyError,
  BodyTooLargeError,
  createTransport,
  DeadlineError,
  describeBodyTiming,
  InvalidJsonError,
  OffOriginError,
  TooManyRedirectsError,
  type FetchLike,
} from './httpTransport';
import { describeJsonCostProblem, type JsonLimits } from './jsonCost';
import { createScrubber, type Scrubber } from './secretScrub';
import { AGENT_IDS, RUN_IDS, STEP_IDS, type IdKind } from './lettaIds';

export type { FetchLike } from './httpTransport';
export type { RetryWait } from './lettaApi';

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
  /** One line per call and retry; never receives the key (server text in it is scrubbed). */
  log?: (message: string) => void;
  /**
   * Called before every wait between tries of any call (after a per-call `onWait`), so the host can
   * say that it is waiting and for how long instead of sitting silent through a Retry-After.
   */
  onWait?: (wait: RetryWait) => void;
  /** What a JSON body may cost once parsed (checked before parsing). Default `JSON_LIMITS`. */
  jsonLimits?: JsonLimits;
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
  const settings = { ...DEFAULTS, ...dropUndefined({ ...options }) };
  // Every text a server sent passes through this before it reaches a message or the log.
  const scrub = createScrubber([options.apiKey]);
  settings.timeoutMs = Math.max(1, Math.round(settings.timeoutMs));
  const { host, apiBase } = base;
  // One transport for the SDK and for the calls that skip it (`getDirect`): the same limits for both.
  const transport = createTransport({
    origin: base.origin,
    apiKey: options.apiKey || undefined,
    project: options.project || undefined,
    maxBodyBytes: settings.maxBodyBytes,
    timeoutMs: settings.timeoutMs,
    fetch: options.fetch,
    jsonLimits: options.jsonLimits,
    // Where a body's time went (headers, read, cost check, parse), for the debug log.
    onBody: options.log && ((timing) => log(describeBodyTiming(timing))),
  });
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
    fetch: transport as unknown as typeof globalThis.fetch,
  });
  const sink = options.log;
  const log = (message: string) => sink?.(scrub(message));
  const context = { host, hasKey: Boolean(options.apiKey), maxBodyBytes: settings.maxBodyBytes, scrub };

  /** Tells the per-call and the client's listener about a wait; a listener that throws is only logged. */
  function announceWait(wait: RetryWait, opts: CallOptions | undefined): void {
    for (const listener of [opts?.onWait, options.onWait]) {
      try {
        listener?.(wait);
      } catch (e) {
        log(`onWait listener failed: ${errorMessage(e)}`);
      }
    }
  }

  /** Runs one SDK call with retries, the per-call deadline and cancellation, and maps its failure. */
  async function call<T>(what: string, noun: string, run: (request: SdkRequest) => Promise<T>, opts: CallOptions = {}): Promise<T> {
    // The SDK refuses a timeout that is not a positive integer.
    const timeoutMs = Math.max(1, Math.round(opts.timeoutMs ?? settings.timeoutMs));
    const maxRetries = Math.max(0, Math.floor(opts.maxRetries ?? settings.maxRetries));
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      // The deadline is the transport's, per attempt (over headers and body); the SDK's own timeout matches it.
      const signal = opts.signal;
      try {
        const request: SdkRequest = { signal, maxRetries: 0, timeout: timeoutMs, fetchOptions: { deadlineMs: timeoutMs } as SdkRequest['fetchOptions'] };
        const result = signal ? await raceAbort(run(request), signal) : await run(request);
        log(`${what} → ok in ${Date.now() - started} ms${attempt ? ` after ${attempt} ${attempt === 1 ? 'retry' : 'retries'}` : ''}`);
        return result;
      } catch (e) {
        const error = scrubError(toApiError(e, { ...context, noun, timeoutMs, cancelled: opts.signal?.aborted === true }), scrub);
        // The server's detail (scrubbed) goes into the log: it is what says why.
        const detail = error.details.detail ? `: ${error.details.detail}` : '';
        const status = error.details.status ? ` (HTTP ${error.details.status}${detail})` : '';
        const wait = attempt < maxRetries ? retryDelayMs(error, e, attempt, settings.maxRetryAfterMs) : undefined;
        if (wait === undefined) {
          log(`${what} → ${error.kind}${status} in ${Date.now() - started} ms`);
          throw error;
        }
        log(`${what} → ${error.kind}${status}; retry ${attempt + 1} of ${maxRetries} in ${wait} ms`);
        announceWait(describeWait(error, wait, attempt + 1, maxRetries, host), opts);
        await abortableDelay(wait, opts.signal, host);
      }
    }
  }

  /**
   * GET `path` through the transport alone, read as the SDK reads an answer (JSON by its content
   * type, else text; any other status than 2xx an error with the body's text), for the call made
   * hundreds of times in a row (a run's traces): the SDK's request building and response layers
   * cost more than the request itself there. Retries, deadline, cancel and error messages stay
   * `call`'s; the size cap, the nesting pre-scan and the origin check stay the transport's.
   */
  async function getDirect(path: string, request: SdkRequest): Promise<unknown> {
    const response = await transport(`${apiBase}${path}`, { method: 'GET', signal: request.signal, deadlineMs: request.timeout });
    if (!response.ok) {
      throw new HttpStatusError(response.status, await response.text(), response.headers);
    }
    return /\bjson\b/i.test(response.headers.get('content-type') ?? '') ? response.json() : response.text();
  }

  /** A malformed ID never reaches the server (nor its URL). */
  function requireId(kind: IdKind, id: string): void {
    if (!kind.is(id)) {
      throw new LettaApiError('invalid-request', kind.describeProblem(id) ?? l10n.t('This is not a Letta {0} ID ({1}<uuid>).', kind.noun, kind.prefix));
    }
  }
  const requireStepId = (stepId: string) => requireId(STEP_IDS, stepId);

  /** One object answer: parsed leniently, refused unless it is a JSON object (with an `id` when `needsId`). */
  async function getObject<T>(what: string, noun: string, expected: string, run: (request: SdkRequest) => Promise<unknown>, opts: CallOptions | undefined, needsId: boolean): Promise<T> {
    const body = parseLenient(await call(what, noun, run, opts));
    if (!isRecord(body) || (needsId && typeof body.id !== 'string')) {
      throw badResponse(host, body, expected, scrub);
    }
    return body as T;
  }

  return {
    origin: base.origin,

    async getTrace(stepId, opts) {
      requireStepId(stepId);
      const path = `/v1/steps/${encodeURIComponent(stepId)}/trace`;
      const fetchOnce = async () => parseLenient(await call(`GET trace ${stepId}`, l10n.t('trace'), (request) => getDirect(path, request), opts));
      let body = await fetchOnce();
      if (body === null) {
        log(`GET trace ${stepId} → null; one more try in ${settings.nullTraceRetryDelayMs} ms`);
        const seconds = formatSeconds(settings.nullTraceRetryDelayMs);
        announceWait(
          { reason: 'trace-not-written', waitMs: settings.nullTraceRetryDelayMs, retry: 1, maxRetries: 1, message: l10n.t('{0} has no trace for this step yet: trying again in {1}.', host, seconds) },
          opts,
        );
        await abortableDelay(settings.nullTraceRetryDelayMs, opts?.signal, host);
        body = await fetchOnce();
      }
      if (body === null) {
        throw new LettaApiError(
          'no-trace',
          l10n.t(
            'No trace was recorded for {0} on {1}. Possible reasons: provider tracing is off on that server, the step belongs to another server, project or organisation, or the step finished moments ago and its trace is not written yet (try again in a few seconds).',
            stepId,
            host,
          ),
          { host, status: 200 },
        );
      }
      return checkTrace(body, host, scrub);
    },

    async getStep(stepId, opts) {
      requireStepId(stepId);
      const body = parseLenient(await call(`GET step ${stepId}`, l10n.t('step'), (request) => sdk.steps.retrieve(stepId, request) as Promise<unknown>, opts));
      if (!isRecord(body) || typeof body.id !== 'string') {
        throw badResponse(host, body, l10n.t('a step'), scrub);
      }
      return body as Step;
    },

    async listSteps(query, opts) {
      const params = {
        ...pageParams(query),
        ...(query.agentId ? { agent_id: query.agentId } : {}),
        ...(query.model ? { model: query.model } : {}),
        ...(query.feedback ? { feedback: query.feedback } : {}),
        ...(query.hasFeedback !== undefined ? { has_feedback: query.hasFeedback } : {}),
      };
      const page = await call('GET steps', l10n.t('list of steps'), (request) => sdk.steps.list(params, request), opts);
      return pageItems<Step>(page, host, l10n.t('a list of steps'), scrub);
    },

    async setFeedback(stepId, feedback, tags, opts) {
      requireStepId(stepId);
      if (feedback !== null && feedback !== 'positive' && feedback !== 'negative') {
        throw new LettaApiError('invalid-request', l10n.t('Feedback is positive, negative or none.'));
      }
      const body = { feedback, ...(tags ? { tags: tags.map(String) } : {}) };
      const step = parseLenient(await call(`PATCH feedback ${stepId}`, 'feedback', (request) => sdk.steps.feedback.create(stepId, body, request) as Promise<unknown>, opts));
      if (!isRecord(step) || typeof step.id !== 'string') {
        throw badResponse(host, step, l10n.t('a step'), scrub);
      }
      return step as Step;
    },

    async listAgents(query, opts) {
      const params = { ...pageParams(query), ...(query.name ? { name: query.name } : {}) };
      const page = await call('GET agents', l10n.t('list of agents'), (request) => sdk.agents.list(params, request), opts);
      return pageItems<Agent>(page, host, l10n.t('a list of agents'), scrub);
    },

    async getAgent(agentId, opts) {
      requireId(AGENT_IDS, agentId);
      return getObject<Agent>(`GET agent ${agentId}`, l10n.t('agent'), l10n.t('an agent'), (request) => sdk.agents.retrieve(agentId, {}, request), opts, true);
    },

    async getRun(runId, opts) {
      requireId(RUN_IDS, runId);
      return getObject<Run>(`GET run ${runId}`, l10n.t('run'), l10n.t('a run'), (request) => sdk.runs.retrieve(runId, request), opts, true);
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
        const page = pageItems<Step>(await call(`GET run steps ${runId}${after ? ` after ${after}` : ''}`, l10n.t('list of steps'), (request) => sdk.runs.steps.list(runId, params, request), opts), host, l10n.t('a list of steps'), scrub);
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
      return getObject<UsageStatistics>(`GET run usage ${runId}`, l10n.t("run's usage"), l10n.t("a run's usage"), (request) => sdk.runs.usage.retrieve(runId, request), opts, false);
    },

    async getRunMetrics(runId, opts) {
      requireId(RUN_IDS, runId);
      // The SDK has no method for this route; its generic `get` still goes through our transport.
      return getObject<RunMetrics>(`GET run metrics ${runId}`, l10n.t("run's metrics"), l10n.t("a run's metrics"), (request) => sdk.get(`/v1/runs/${runId}/metrics`, request), opts, true);
    },

    async listRuns(query, opts) {
      if (query.agentId !== undefined) {
        requireId(AGENT_IDS, query.agentId);
      }
      const params = { ...pageParams(query), ...(query.agentId ? { agent_id: query.agentId } : {}) };
      const page = await call('GET runs', l10n.t('list of runs'), (request) => sdk.runs.list(params, request), opts);
      return pageItems<Run>(page, host, l10n.t('a list of runs'), scrub);
    },

    async getRunTrace(runId, opts) {
      requireId(RUN_IDS, runId);
      const params = opts?.limit !== undefined ? { limit: clampInt(opts.limit, 1, 5000) } : {};
      try {
        const body = parseLenient(await call(`GET run trace ${runId}`, l10n.t("run's spans"), (request) => sdk.runs.trace.retrieve(runId, params, request) as Promise<unknown>, opts));
        if (!Array.isArray(body)) {
          throw badResponse(host, body, l10n.t("a run's spans"), scrub);
        }
        return { available: true, spans: body.filter(isRecord) };
      } catch (e) {
        if (e instanceof LettaApiError && e.details.status === NOT_IMPLEMENTED) {
          return {
            available: false,
            reason: e.details.detail ? l10n.t('{0} does not keep run traces (HTTP 501: {1}).', host, e.details.detail) : l10n.t('{0} does not keep run traces (HTTP 501).', host),
          };
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
  const root = rootCause(cause);
  const transient =
    error.kind === 'rate-limited' ||
    (error.kind === 'server-error' && error.details.status !== NOT_IMPLEMENTED) ||
    (error.kind === 'network' && (isDroppedConnection(root) || root instanceof BodyCutShortError));
  if (!transient) {
    return undefined;
  }
  const asked = cause instanceof APIError || cause instanceof HttpStatusError ? retryAfterMs(cause.headers as Headers | undefined) : undefined;
  if (asked !== undefined) {
    return asked <= maxRetryAfterMs ? asked : undefined;
  }
  // Exponential backoff, 0.5 s doubling to at most 8 s, with up to 25 % jitter.
  return Math.round(Math.min(500 * 2 ** attempt, 8000) * (1 - Math.random() * 0.25));
}

/** What the client waits for, in words the host can show as they are ("waiting 3 s (rate limited)"). */
function describeWait(error: LettaApiError, waitMs: number, retry: number, maxRetries: number, host: string): RetryWait {
  const reason: RetryWait['reason'] = error.kind === 'rate-limited' ? 'rate-limited' : error.kind === 'server-error' ? 'server-error' : 'connection-dropped';
  const wait = formatSeconds(waitMs);
  const message =
    reason === 'rate-limited'
      ? l10n.t('{0} is limiting requests: waiting {1} before retry {2} of {3}.', host, wait, retry, maxRetries)
      : reason === 'server-error'
        ? l10n.t('{0} had an error (HTTP {1}): waiting {2} before retry {3} of {4}.', host, error.details.status ?? '5xx', wait, retry, maxRetries)
        : l10n.t('{0} dropped the connection: waiting {1} before retry {2} of {3}.', host, wait, retry, maxRetries);
  return { reason, waitMs, retry, maxRetries, message };
}

/** The same error with the scrubber applied to its message and detail once more, whatever built them. */
function scrubError(error: LettaApiError, scrub: Scrubber): LettaApiError {
  const message = scrub(error.message);
  const detail = error.details.detail === undefined ? undefined : scrub(error.details.detail);
  if (message === error.message && detail === error.details.detail) {
    return error;
  }
  return new LettaApiError(error.kind, message, { ...error.details, ...(detail !== undefined ? { detail } : {}) });
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
function pageItems<T>(page: unknown, host: string, what: string, scrub: Scrubber): T[] {
  const items = parseLenient((page as { getPaginatedItems?: () => unknown }).getPaginatedItems?.() ?? page);
  if (!Array.isArray(items)) {
    throw badResponse(host, items, what, scrub);
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

function checkTrace(body: unknown, host: string, scrub: Scrubber): ProviderTrace {
  if (!isRecord(body)) {
    throw badResponse(host, body, l10n.t('a trace'), scrub);
  }
  if (!isRecord(body.request_json) || !isRecord(body.response_json)) {
    const which = !isRecord(body.request_json) ? 'request_json' : 'response_json';
    throw new LettaApiError(
      'bad-response',
      l10n.t('{0} sent a trace whose {1} is {2}, not a JSON object. The server may be a version this extension does not know.', host, which, describeBody(body[which], scrub)),
      { host, status: 200 },
    );
  }
  return body as ProviderTrace;
}

function badResponse(host: string, body: unknown, expected: string, scrub: Scrubber): LettaApiError {
  return new LettaApiError('bad-response', l10n.t('{0} sent {1} instead of {2}. Check the server URL ("letta.baseUrl").', host, describeBody(body, scrub), expected), { host, status: 200 });
}

/** What came back, in words, with a short printable excerpt of any text (secrets scrubbed). */
export function describeBody(body: unknown, scrub: Scrubber): string {
  if (typeof body === 'string') {
    if (/^\s*<(!doctype|html|head|body|\?xml)/i.test(body)) {
      const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body.slice(0, SERVER_TEXT_WINDOW))?.[1];
      return l10n.t('an HTML page ("{0}"; a proxy, a login page or not a Letta server?)', serverExcerpt(title?.trim() ? title : body, 60, scrub));
    }
    return body.trim() === '' ? l10n.t('an empty body') : l10n.t('text ("{0}")', serverExcerpt(body, 60, scrub));
  }
  if (body === null) {
    return 'null';
  }
  if (body === undefined) {
    return l10n.t('nothing');
  }
  return Array.isArray(body) ? l10n.t('a JSON array') : l10n.t('a JSON {0}', typeof body);
}

/** The text on one line, control and format characters removed, for messages. */
function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]+/gu, ' ').replace(/\s+/g, ' ').trim();
}

/** How much of a server's text is looked at for a message: bounds the work on a huge body. */
const SERVER_TEXT_WINDOW = 64 * 1024;

/**
 * A server's text as a printable excerpt of at most `max` characters, scrubbed before it is cut so
 * no part of a key survives the cut. When the text is longer than the window (or `complete` is
 * false: it was cut before it came here), the window's last kilobyte is dropped too, since a key
 * cut there would not be recognised.
 */
export function serverExcerpt(text: string, max: number, scrub: Scrubber, complete = true): string {
  const cut = !complete || text.length > SERVER_TEXT_WINDOW;
  let clean = scrub(printable(cut ? text.slice(0, SERVER_TEXT_WINDOW) : text));
  if (cut) {
    clean = clean.slice(0, Math.max(0, clean.length - 1024));
  }
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

interface ErrorContext {
  host: string;
  /** What was asked for ("trace", "list of steps"), for messages. */
  noun: string;
  scrub: Scrubber;
  hasKey: boolean;
  timeoutMs: number;
  cancelled: boolean;
  maxBodyBytes: number;
}

/** Maps anything the SDK or the transport throws to a `LettaApiError`. */
function toApiError(e: unknown, ctx: ErrorContext): LettaApiError {
  const { host } = ctx;
  if (e instanceof LettaApiError) {
    return e;
  }
  if (ctx.cancelled) {
    return new LettaApiError('cancelled', l10n.t('The request to {0} was cancelled.', host), { host });
  }
  const cause = rootCause(e);
  if (cause instanceof BodyTooLargeError) {
    return tooLarge(cause, ctx);
  }
  if (cause instanceof BodyTooCostlyError) {
    // Not "too-large": raising the size cap would not help, and must not be offered.
    return new LettaApiError(
      'bad-response',
      l10n.t(
        'The {0} from {1} {2}, far more than any real trace, so it was not read: parsing it could exhaust the editor\'s memory. Check the server URL ("letta.baseUrl").',
        ctx.noun,
        host,
        describeJsonCostProblem(cause.problem),
      ),
      { host },
    );
  }
  if (cause instanceof BodyCutShortError) {
    const got =
      cause.expectedBytes !== undefined ? l10n.t('got {0} of {1}', formatBytes(cause.receivedBytes), formatBytes(cause.expectedBytes)) : l10n.t('got {0}', formatBytes(cause.receivedBytes));
    return new LettaApiError(
      'network',
      l10n.t('The connection to {0} closed before the whole {1} arrived ({2}). Try again; a proxy or the server may have dropped it.', host, ctx.noun, got),
      { host },
    );
  }
  if (cause instanceof TooManyRedirectsError) {
    const check = l10n.t('Check the server URL ("letta.baseUrl") or the proxy in front of the server.');
    const target = serverExcerpt(cause.loopsTo ?? '', 120, ctx.scrub);
    const message =
      cause.loopsTo === undefined
        ? l10n.t('{0} redirected the request again after {1} redirects, all followed on {0}; it was given up. {2}', host, cause.followed, check)
        : cause.followed === 0
          ? l10n.t('{0} redirects the request to the address it came from ({1}), a loop; nothing was followed. {2}', host, target, check)
          : cause.followed === 1
            ? l10n.t('{0} redirects in a loop: after 1 redirect, followed on {0}, the request came back to {1}. {2}', host, target, check)
            : l10n.t('{0} redirects in a loop: after {1} redirects, followed on {0}, the request came back to {2}. {3}', host, cause.followed, target, check);
    return new LettaApiError('bad-response', message, { host });
  }
  if (cause instanceof DeadlineError || e instanceof APIConnectionTimeoutError || (e instanceof APIUserAbortError && !ctx.cancelled)) {
    return new LettaApiError(
      'timeout',
      l10n.t('{0} did not answer within {1}. The server may be slow or unreachable; try again, or raise "letta.requestTimeoutSeconds".', host, formatSeconds(ctx.timeoutMs)),
      { host },
    );
  }
  if (cause instanceof OffOriginError) {
    return new LettaApiError(
      'bad-response',
      cause.redirected
        ? l10n.t('{0} redirected the request to {1}; it was not followed, so your key stays with {0}. If that is the right server, set "letta.baseUrl" to it.', host, serverExcerpt(cause.target, 120, ctx.scrub))
        : l10n.t('A request for {0} pointed to {1}; it was not sent.', host, serverExcerpt(cause.target, 120, ctx.scrub)),
      { host },
    );
  }
  if (cause instanceof InvalidJsonError) {
    const excerpt = serverExcerpt(cause.text, 60, ctx.scrub, !cause.truncated);
    return new LettaApiError(
      'bad-response',
      excerpt ? l10n.t('{0} sent malformed JSON ("{1}"). Check the server URL, or try again.', host, excerpt) : l10n.t('{0} sent malformed JSON (an empty body). Check the server URL, or try again.', host),
      { host, status: 200 },
    );
  }
  if (e instanceof HttpStatusError) {
    return fromStatus(e.status, e.body, e.headers, ctx);
  }
  if (e instanceof APIError && typeof e.status === 'number') {
    // Without a JSON body the SDK keeps the text only in its message, after the status.
    return fromStatus(e.status, e.error ?? e.message.replace(/^\d{3} (status code \(no body\))?/, ''), e.headers as Headers | undefined, ctx);
  }
  if (isNetworkError(cause)) {
    return new LettaApiError('network', l10n.t('Could not reach {0}: {1}.', host, networkReason(cause)), { host });
  }
  const message = errorMessage(cause);
  return new LettaApiError('network', l10n.t('The request to {0} failed: {1}.', host, serverExcerpt(message, 160, ctx.scrub)), { host });
}

/** A status other than 2xx on the direct path (`getDirect`); `body` is the answer's text. */
class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Headers,
  ) {
    super(`HTTP ${status}`);
  }
}

/** Bodies that decode to over this many times their compressed size are not traces (JSON compresses about 10:1). */
const BOMB_RATIO = 100;

/**
 * Over the size cap: a large trace gets the setting that opens it; a small compressed body that
 * decodes past the cap (a decompression bomb) is refused without that invitation.
 */
function tooLarge(cause: BodyTooLargeError, ctx: ErrorContext): LettaApiError {
  const { host } = ctx;
  const limit = formatBytes(ctx.maxBodyBytes);
  if (cause.encoding !== undefined) {
    const compressed = cause.compressedBytes;
    if (compressed === undefined) {
      // node-fetch does not count the compressed bytes of a body without a length: say what is known.
      return new LettaApiError(
        'too-large',
        l10n.t(
          'The {0} from {1} expands to more than the {2} limit once decompressed; it came {3}-compressed without a length, so it may be a decompression bomb rather than a trace. Check the server before raising "letta.maxTraceSizeMB".',
          ctx.noun,
          host,
          limit,
          cause.encoding,
        ),
        { host },
      );
    }
    // {0} what, {1} host, {2} limit, {3} compressed size, {4} encoding: the same in the three messages.
    const said = [ctx.noun, host, limit, formatBytes(compressed), cause.encoding] as const;
    if (ctx.maxBodyBytes / Math.max(1, compressed) > BOMB_RATIO) {
      // Not "too-large": raising the limit would not help, and must not be offered.
      return new LettaApiError(
        'bad-response',
        l10n.t(
          'The {0} from {1} expands to more than the {2} limit from only {3} sent {4}-compressed: no trace compresses that much, so it was refused (a decompression bomb?). Check the server URL ("letta.baseUrl") or the proxy in front of it.',
          ...said,
        ),
        { host },
      );
    }
    const times = Math.floor(ctx.maxBodyBytes / compressed);
    return new LettaApiError(
      'too-large',
      times > 1
        ? l10n.t(
            'The {0} from {1} is larger than the {2} limit once decompressed ({3} came {4}-compressed, expanding more than {5} times). If a trace that large is expected, raise "letta.maxTraceSizeMB" to open it.',
            ...said,
            times,
          )
        : l10n.t(
            'The {0} from {1} is larger than the {2} limit once decompressed ({3} came {4}-compressed). If a trace that large is expected, raise "letta.maxTraceSizeMB" to open it.',
            ...said,
          ),
      { host },
    );
  }
  const message =
    cause.bytes !== undefined
      ? l10n.t('The answer from {0} is {1}, over the {2} limit. Raise "letta.maxTraceSizeMB" to open it.', host, formatMB(cause.bytes), limit)
      : l10n.t('The answer from {0} is larger than the {1} limit. Raise "letta.maxTraceSizeMB" to open it.', host, limit);
  return new LettaApiError('too-large', message, { host });
}

function fromStatus(status: number, body: unknown, headers: Headers | undefined, ctx: ErrorContext): LettaApiError {
  const { host } = ctx;
  const detail = readDetail(body, ctx.scrub);
  const details = { status, host, detail };
  // "HTTP 404" or "HTTP 404: what the server said", inside each message.
  const http = `HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 401 || status === 403) {
    return ctx.hasKey
      ? new LettaApiError('unauthorized', l10n.t('{0} rejected the API key ({1}). Set the key for this server with "Letta: Set API Key".', host, http), details)
      : new LettaApiError('unauthorized', l10n.t('{0} needs an API key ({1}). Set one with "Letta: Set API Key".', host, http), details);
  }
  if (status === 404) {
    return new LettaApiError('not-found', l10n.t('{0} has no such resource ({1}). Check the ID and the server URL.', host, http), details);
  }
  if (status === 400 || status === 422) {
    return new LettaApiError('invalid-request', l10n.t('{0} refused the request ({1}).', host, http), details);
  }
  if (status === 429) {
    const wait = retryAfterMs(headers);
    const when = wait !== undefined ? l10n.t('Try again in {0} s.', Math.max(1, Math.ceil(wait / 1000))) : l10n.t('Try again in a moment.');
    return new LettaApiError('rate-limited', l10n.t('{0} is limiting requests ({1}). {2}', host, http, when), wait !== undefined ? { ...details, retryAfterMs: wait } : details);
  }
  if (status >= 500) {
    return new LettaApiError('server-error', l10n.t('{0} had an internal error ({1}). Try again later.', host, http), details);
  }
  return new LettaApiError('bad-response', l10n.t('{0} answered {1}.', host, http), details);
}

/** `detail` as one line (secrets scrubbed): the real server's string, or the spec's list of `{loc, msg}`. */
export function readDetail(body: unknown, scrub: Scrubber): string | undefined {
  const parsed = parseLenient(body);
  if (!isRecord(parsed)) {
    if (typeof parsed !== 'string' || parsed.trim() === '') {
      return undefined;
    }
    return /^\s*</.test(parsed) ? describeBody(parsed, scrub) : serverExcerpt(parsed, 200, scrub);
  }
  const detail = parsed.detail ?? parsed.message ?? parsed.error;
  if (typeof detail === 'string') {
    return serverExcerpt(detail, 300, scrub);
  }
  if (Array.isArray(detail)) {
    const parts = detail.slice(0, 50).map((d) => (isRecord(d) ? [Array.isArray(d.loc) ? d.loc.join('.') : undefined, d.msg].filter(Boolean).join(': ') : String(d)));
    return serverExcerpt(parts.join('; '), 300, scrub);
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
      return l10n.t('connection refused (is the server running, and is the URL right?)');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return l10n.t('the host name was not found (DNS); check the server URL');
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return l10n.t('the connection was reset; try again');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return l10n.t('the network is unreachable');
    case 'ETIMEDOUT':
      return l10n.t('the connection timed out');
    case 'EPROTO':
      return l10n.t('no TLS connection could be set up (EPROTO); does the server use http:// rather than https://?');
    default:
      if (code && /CERT|SSL|TLS|SELF_SIGNED|ERR_TLS/i.test(code)) {
        return l10n.t('its TLS certificate was not accepted ({0}); a self-signed certificate needs its CA trusted via NODE_EXTRA_CA_CERTS', code);
      }
      return code ? l10n.t('the connection failed ({0})', code) : l10n.t('the connection failed');
  }
}

function formatMB(bytes = 0): string {
  const mb = bytes / MB;
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}

function formatBytes(bytes: number): string {
  return bytes >= MB ? formatMB(bytes) : bytes >= 10_000 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
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
  const cancelled = () => new LettaApiError('cancelled', l10n.t('The request to {0} was cancelled.', host), { host });
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

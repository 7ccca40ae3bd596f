/**
 * A fake Letta server for tests and the demo: real HTTP on 127.0.0.1, the routes the extension
 * uses, bearer-key checks, and faults on demand (statuses, delays, stalls, resets, HTML, bad JSON,
 * huge bodies, `null` traces) — set in-process or over HTTP at `/__fake/*` from another process.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as zlib from 'node:zlib';
import { RUN_IDS, isStepId } from '../../src/core/stepIds';
import type { Agent, ProviderTrace, Run, Step } from '../../src/core/lettaTypes';
import { buildFakeData, runMetrics, runUsage, stepMetrics, type FakeData } from './data';

/** The routes faults can target; `any` is every API route. */
export type FaultRoute = 'trace' | 'step' | 'metrics' | 'feedback' | 'steps' | 'agents' | 'runs' | 'run' | 'run-steps' | 'run-usage' | 'run-metrics' | 'run-trace' | 'any';

/**
 * One injected fault, JSON-serialisable so it can be posted to `/__fake/faults`. It applies to
 * requests matching `route` (default any) and `path` (a regular expression on the path, if given);
 * without `times` to every such request until reset, with `times` to the next N only.
 */
export interface Fault {
  route?: FaultRoute;
  path?: string;
  times?: number;
  /** Answer with this status (and `body`, `headers`) instead of the real answer. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before sending headers (alone: then answer normally). */
  delayMs?: number;
  /**
   * A broken answer: half a body then silence (`stall-body`), a reset connection (`reset`), an HTML
   * page with 200 (`html`), broken JSON (`malformed-json`), a JSON body of `hugeBytes` (`huge-body`,
   * with `chunked: true` it announces no length), or `null` (`null`). Hostile ones: a third of the
   * announced body, then the connection closes (`cut-body`); a trace of `hugeBytes` that is arrays
   * nested `hugeBytes / 2` deep or a flat list of empty arrays (`nested-body`, see `nesting`); a
   * gzip body that decodes to `hugeBytes` (`gzip-bomb`, `chunked` as for `huge-body`); a 401 whose
   * detail repeats the request's Authorization header, as-is and as an X-BARE-PASSWORD (`echo-auth`).
   */
  kind?: 'stall-body' | 'reset' | 'html' | 'malformed-json' | 'huge-body' | 'null' | 'cut-body' | 'nested-body' | 'gzip-bomb' | 'echo-auth';
  hugeBytes?: number;
  chunked?: boolean;
  /** For `nested-body`: `deep` (`[[[…]]]`, the default) or `wide` (`[[],[],…]`). */
  nesting?: 'deep' | 'wide';
}

/** A request the fake saw (not the `/__fake` ones). */
export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** `answered` once the whole response went out; `aborted` when the client closed the connection first. */
  outcome: 'pending' | 'answered' | 'aborted';
  /** Settles with the outcome. */
  settled: Promise<'answered' | 'aborted'>;
}

export interface FakeLettaOptions {
  /** The accepted key; `null` for a server without auth. Default `fake-key`. */
  apiKey?: string | null;
  /** Default 0: any free port. */
  port?: number;
  /** Default 3. */
  agents?: number;
  /** Steps of the first agent (the others get at most 7). Default 120. */
  stepsPerAgent?: number;
}

export interface FakeLetta extends FakeData {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Requests seen (not the `/__fake` ones), oldest first. */
  readonly requests: SeenRequest[];
  /** The bodies of accepted `PATCH /v1/steps/{id}/feedback` requests, oldest first (also at `GET /__fake/feedback`). */
  readonly feedbackBodies: { stepId: string; body: unknown }[];
  /** The accepted key; `null` = no auth. Can be changed while running. */
  apiKey: string | null;
  /** Replaces the faults. */
  setFaults(faults: Fault[]): void;
  /** Clears faults, the request log and the feedback log (the data, feedback on steps included, stays). */
  reset(): void;
  /** Serves an extra trace (and a step for it), e.g. a generated 50 MB one for benchmarks. */
  addTrace(trace: ProviderTrace, step?: Partial<Step>): void;
  close(): Promise<void>;
}

export const DEFAULT_FAKE_KEY = 'fake-key';

const HTML_PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>nginx</p></body></html>';

/** Starts the fake on 127.0.0.1 and resolves once it listens. */
export async function startFakeLetta(options: FakeLettaOptions = {}): Promise<FakeLetta> {
  const data = buildFakeData(options);
  let faults: Fault[] = [];
  const requests: SeenRequest[] = [];
  const feedbackBodies: { stepId: string; body: unknown }[] = [];
  const sockets = new Set<Socket>();

  const fake: FakeLetta = {
    ...data,
    url: '',
    port: 0,
    requests,
    feedbackBodies,
    apiKey: options.apiKey === undefined ? DEFAULT_FAKE_KEY : options.apiKey,
    setFaults(next) {
      faults = next.map((f) => ({ ...f }));
    },
    reset() {
      faults = [];
      requests.length = 0;
      feedbackBodies.length = 0;
    },
    addTrace(trace, step) {
      const id = trace.step_id;
      if (typeof id !== 'string' || !isStepId(id)) {
        throw new Error(`addTrace: the trace needs a valid step_id, not ${String(id)}`);
      }
      data.traces.set(id, trace);
      if (!data.steps.some((s) => s.id === id)) {
        data.steps.unshift({ id, agent_id: trace.agent_id ?? data.agents[0]?.id, status: 'success', model: 'gpt-4.1-mini', ...step });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) {
          s.destroy();
        }
        server.close(() => resolve());
      }),
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        send(res, 500, { detail: `fake server error: ${String(e)}` });
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  // Big traces never change once added: serialise them once, so a benchmark times the client, not us.
  const bigTraceText = new WeakMap<ProviderTrace, string>();
  function traceText(trace: ProviderTrace): string {
    const cached = bigTraceText.get(trace);
    if (cached !== undefined) {
      return cached;
    }
    const text = JSON.stringify(trace);
    if (text.length > 1024 * 1024) {
      bigTraceText.set(trace, text);
    }
    return text;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path.startsWith('/__fake/')) {
      return admin(req, res, path);
    }
    track(req, res, url);
    if (fake.apiKey !== null && req.headers.authorization !== `Bearer ${fake.apiKey}`) {
      return send(res, 401, { detail: 'Unauthorized' });
    }
    const route = routeOf(path);
    const fault = takeFault(route, path);
    if (fault?.delayMs && !(await delay(fault.delayMs, res))) {
      return; // the client gave up while we waited
    }
    if (fault && (await applyFault(fault, req, res))) {
      return;
    }
    if (route === 'feedback') {
      return req.method === 'PATCH' ? feedback(req, res, path.split('/')[3]) : send(res, 405, { detail: 'Method Not Allowed' });
    }
    if (req.method !== 'GET') {
      return send(res, 405, { detail: 'Method Not Allowed' });
    }
    switch (route) {
      case 'trace':
      case 'step':
      case 'metrics': {
        const id = path.split('/')[3];
        if (!isStepId(id)) {
          return send(res, 422, validationError(id));
        }
        if (route === 'trace') {
          // The real server answers null (200) for an unknown step, another org's step, or tracing off.
          const trace = data.traces.get(id);
          return trace ? sendJson(res, traceText(trace)) : send(res, 200, null);
        }
        const step = data.steps.find((s) => s.id === id);
        if (!step) {
          return send(res, 404, { detail: `Step with id ${id} not found` });
        }
        return send(res, 200, route === 'step' ? step : stepMetrics(step, data.traces.get(id)));
      }
      case 'steps': {
        const agentId = url.searchParams.get('agent_id');
        const model = url.searchParams.get('model');
        const feedback = url.searchParams.get('feedback');
        return send(res, 200, page(data.steps.filter((s) => (!agentId || s.agent_id === agentId) && (!model || s.model === model) && (!feedback || s.feedback === feedback)), url.searchParams));
      }
      case 'agents': {
        const name = url.searchParams.get('name');
        return send(res, 200, page(data.agents.filter((a) => !name || a.name === name), url.searchParams));
      }
      case 'runs': {
        const agentId = url.searchParams.get('agent_id');
        return send(res, 200, page(data.runs.map((r) => r.run).filter((r) => !agentId || r.agent_id === agentId), url.searchParams, 100));
      }
      case 'run':
      case 'run-steps':
      case 'run-usage':
      case 'run-metrics':
      case 'run-trace': {
        const id = path.split('/')[3];
        const record = data.runs.find((r) => r.run.id === id);
        if (!record) {
          // The real server checks the run exists (and is the caller's) before anything else.
          return send(res, 404, { detail: `Run with id ${id} not found` });
        }
        const steps = data.steps.filter((s) => s.run_id === id);
        switch (route) {
          case 'run':
            return send(res, 200, record.run);
          case 'run-steps':
            return send(res, 200, page(steps, url.searchParams, 100));
          case 'run-usage':
            return send(res, 200, runUsage(steps));
          case 'run-metrics':
            return send(res, 200, runMetrics(record, steps));
          default:
            // Without ClickHouse (every self-hosted server) the OTEL spans are not available.
            return send(res, 501, { detail: 'Run traces require ClickHouse, which is not configured on this server.' });
        }
      }
      default:
        return send(res, 404, { detail: 'Not Found' });
    }
  }

  /** `PATCH /v1/steps/{id}/feedback` `{feedback, tags}`: stores them on the step, answers the step (as Letta does). */
  async function feedback(req: http.IncomingMessage, res: http.ServerResponse, id: string): Promise<void> {
    if (!isStepId(id)) {
      return send(res, 422, validationError(id));
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return send(res, 422, { detail: 'The request body is not JSON.', trace_id: '', examples: [] });
    }
    const { feedback: value, tags } = (body ?? {}) as { feedback?: unknown; tags?: unknown };
    const validFeedback = value === undefined || value === null || value === 'positive' || value === 'negative';
    const validTags = tags === undefined || tags === null || (Array.isArray(tags) && tags.every((t) => typeof t === 'string'));
    if (typeof body !== 'object' || body === null || Array.isArray(body) || !validFeedback || !validTags) {
      return send(res, 422, { detail: "feedback must be 'positive', 'negative' or null; tags a list of strings", trace_id: '', examples: [] });
    }
    const step = data.steps.find((s) => s.id === id);
    if (!step) {
      return send(res, 404, { detail: `Step with id ${id} not found` });
    }
    step.feedback = value ?? null;
    if (Array.isArray(tags)) {
      step.tags = tags;
    }
    feedbackBodies.push({ stepId: id, body });
    return send(res, 200, step);
  }

  function track(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    let settle: (outcome: 'answered' | 'aborted') => void = () => undefined;
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      outcome: 'pending',
      settled: new Promise((resolve) => (settle = resolve)),
    };
    res.once('close', () => {
      seen.outcome = res.writableFinished ? 'answered' : 'aborted';
      settle(seen.outcome);
    });
    requests.push(seen);
  }

  function takeFault(route: FaultRoute | undefined, path: string): Fault | undefined {
    const i = faults.findIndex((f) => (!f.route || f.route === 'any' || f.route === route) && (!f.path || new RegExp(f.path).test(path)));
    if (i < 0) {
      return undefined;
    }
    const fault = faults[i];
    if (fault.times !== undefined && --fault.times <= 0) {
      faults.splice(i, 1);
    }
    return fault;
  }

  async function applyFault(fault: Fault, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'echo-auth': {
        const auth = req.headers.authorization ?? '';
        const token = auth.replace(/^Bearer\s+/i, '');
        send(res, fault.status ?? 401, { detail: `Invalid credentials: got "Authorization: ${auth}" (X-BARE-PASSWORD: password ${token}); key ${token} is not valid` }, fault.headers);
        return true;
      }
      case 'cut-body': {
        const text = traceText([...data.traces.values()][0]);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...fault.headers });
        res.write(text.slice(0, Math.floor(text.length / 3)), () => res.destroy());
        return true;
      }
      case 'nested-body':
        sendNested(res, fault.hugeBytes ?? 8 * 1024 * 1024, fault.nesting ?? 'deep');
        return true;
      case 'gzip-bomb': {
        const zipped = gzipOfHuge(fault.hugeBytes ?? 8 * 1024 * 1024);
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', ...(fault.chunked ? {} : { 'content-length': String(zipped.length) }), ...fault.headers });
        res.end(zipped);
        return true;
      }
      case 'reset':
        res.socket?.resetAndDestroy();
        return true;
      case 'html':
        send(res, fault.status ?? 200, HTML_PAGE, { 'content-type': 'text/html; charset=utf-8', ...fault.headers });
        return true;
      case 'malformed-json':
        send(res, fault.status ?? 200, '{"request_json": {"model": "gpt-4.1", "messages": [', { 'content-type': 'application/json', ...fault.headers });
        return true;
      case 'null':
        send(res, 200, null, fault.headers);
        return true;
      case 'stall-body':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000', ...fault.headers });
        res.write('{"request_json": {"messages": [');
        return true; // and never finish: the client's deadline must end it
      case 'huge-body':
        await sendHuge(res, fault.hugeBytes ?? 8 * 1024 * 1024, fault.chunked === true);
        return true;
      default:
        if (fault.status !== undefined) {
          send(res, fault.status, fault.body === undefined ? { detail: http.STATUS_CODES[fault.status] ?? 'Error' } : fault.body, fault.headers);
          return true;
        }
        return false; // a pure delay
    }
  }

  async function admin(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const post = req.method === 'POST';
    if (path === '/__fake/requests') {
      return send(
        res,
        200,
        requests.map((r) => ({ method: r.method, path: r.path, query: r.query, headers: r.headers, authorization: r.headers.authorization ?? null, outcome: r.outcome })),
      );
    }
    if (path === '/__fake/feedback') {
      return send(res, 200, feedbackBodies);
    }
    if (path === '/__fake/reset' && post) {
      fake.reset();
      return send(res, 200, { ok: true });
    }
    if (path === '/__fake/faults' && post) {
      fake.setFaults(JSON.parse(await readBody(req)) as Fault[]);
      return send(res, 200, { ok: true });
    }
    if (path === '/__fake/traces' && post) {
      const trace = JSON.parse(await readBody(req)) as ProviderTrace;
      fake.addTrace(trace);
      return send(res, 200, { ok: true, stepId: trace.step_id });
    }
    if (path === '/__fake/config' && post) {
      const config = JSON.parse(await readBody(req)) as { apiKey?: string | null };
      if (config.apiKey !== undefined) {
        fake.apiKey = config.apiKey;
      }
      return send(res, 200, { ok: true });
    }
    if (path === '/__fake/data') {
      return send(res, 200, { agents: data.agents.map((a) => ({ id: a.id, name: a.name })), traceStepIds: [...data.traces.keys()], runs: data.named ?? null });
    }
    return send(res, 404, { detail: 'no such fake control' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  Object.assign(fake, { port, url: `http://127.0.0.1:${port}` });
  return fake;
}

function routeOf(path: string): FaultRoute | undefined {
  if (/^\/v1\/steps\/[^/]+\/trace$/.test(path)) {
    return 'trace';
  }
  if (/^\/v1\/steps\/[^/]+\/feedback$/.test(path)) {
    return 'feedback';
  }
  if (/^\/v1\/steps\/[^/]+\/metrics$/.test(path)) {
    return 'metrics';
  }
  if (/^\/v1\/steps\/[^/]+$/.test(path)) {
    return 'step';
  }
  if (path === '/v1/steps') {
    return 'steps';
  }
  if (path === '/v1/agents') {
    return 'agents';
  }
  if (path === '/v1/runs') {
    return 'runs';
  }
  const run = /^\/v1\/runs\/([^/]+)(?:\/(steps|usage|metrics|trace))?$/.exec(path);
  if (run && RUN_IDS.is(run[1])) {
    return run[2] ? (`run-${run[2]}` as FaultRoute) : 'run';
  }
  return undefined;
}

/** Cursor paging as Letta does it: `before`/`after` are IDs in the list's order (newest first unless `order=asc`). */
function page<T extends { id: string }>(items: T[], params: URLSearchParams, defaultLimit = 50): T[] {
  const ordered = params.get('order') === 'asc' ? [...items].reverse() : items;
  let from = 0;
  let to = ordered.length;
  const after = params.get('after');
  const before = params.get('before');
  if (after) {
    const i = ordered.findIndex((s) => s.id === after);
    from = i < 0 ? ordered.length : i + 1;
  }
  if (before) {
    const i = ordered.findIndex((s) => s.id === before);
    to = i < 0 ? 0 : i;
  }
  const limit = Math.max(1, Math.min(1000, Number(params.get('limit') ?? defaultLimit) || defaultLimit));
  // With only `before`, the page is the `limit` items just before the cursor.
  return before && !after ? ordered.slice(Math.max(from, to - limit), to) : ordered.slice(from, Math.min(to, from + limit));
}

/** The real server's 422 body (not the list form the spec declares). */
function validationError(id: string): Record<string, unknown> {
  return {
    trace_id: '',
    detail: `[{'type': 'string_pattern_mismatch', 'loc': ('path', 'step_id'), 'msg': "String should match pattern '^step-[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$'", 'input': '${id.replace(/'/g, '')}'}]`,
    examples: ['step-123e4567-e89b-42d3-8456-426614174000'],
  };
}

/** False when the client closed the connection during the wait. */
function delay(ms: number, res: http.ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}

/** A valid JSON trace of about `bytes` bytes, streamed with back-pressure. */
async function sendHuge(res: http.ServerResponse, bytes: number, chunked: boolean): Promise<void> {
  const head = '{"request_json": {"filler": "';
  const tail = '"}, "response_json": {}}';
  res.writeHead(200, { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': String(head.length + bytes + tail.length) }) });
  res.write(head);
  const chunk = 'x'.repeat(64 * 1024);
  for (let sent = 0; sent < bytes && !res.destroyed; sent += chunk.length) {
    if (!res.write(chunk.slice(0, Math.min(chunk.length, bytes - sent)))) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done).off('close', done);
          resolve();
        };
        res.on('drain', done).on('close', done);
      });
    }
  }
  res.end(tail);
}

/**
 * A trace of about `bytes` whose request is arrays nested `bytes / 2` deep (`deep`) or `bytes / 3`
 * empty arrays side by side (`wide`): small text that parses into millions of arrays.
 */
function sendNested(res: http.ServerResponse, bytes: number, nesting: 'deep' | 'wide'): void {
  const inner = nesting === 'deep' ? '['.repeat(bytes / 2) + ']'.repeat(bytes / 2) : `[${'[],'.repeat(bytes / 3)}[]]`;
  sendJson(res, `{"request_json": {"messages": ${inner}}, "response_json": {}}`);
}

/** A gzip of a JSON trace whose filler string is `bytes` of one letter: it compresses about 1000:1. */
function gzipOfHuge(bytes: number): Buffer {
  return zlib.gzipSync(Buffer.concat([Buffer.from('{"request_json": {"filler": "'), Buffer.alloc(bytes, 'x'), Buffer.from('"}, "response_json": {}}')]));
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) {
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendJson(res: http.ServerResponse, text: string): void {
  if (!res.destroyed) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export type { Agent, ProviderTrace, Run, Step };

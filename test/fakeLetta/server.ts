/**
 * A fake Letta server for tests and the demo: real HTTP on 127.0.0.1, the routes the extension
 * uses, bearer-key checks, and faults on demand (statuses, delays, stalls, resets, HTML, bad JSON,
 * huge bodies, `null` traces) — set in-process or over HTTP at `/__fake/*` from another process.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isStepId } from '../../src/core/stepIds';
import type { Agent, ProviderTrace, Step } from '../../src/core/lettaTypes';
import { buildFakeData, type FakeData } from './data';

export type FaultRoute = 'trace' | 'step' | 'steps' | 'agents' | 'any';

/** One injected fault. Without `times` it applies to every matching request until reset. */
export interface Fault {
  route?: FaultRoute;
  times?: number;
  /** Answer with this status (and `body`, `headers`) instead of the real answer. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before sending headers. */
  delayMs?: number;
  /** A body shape: half a body then silence, a reset socket, an HTML page with 200, broken JSON, a body of `hugeBytes`, or `null`. */
  kind?: 'stall-body' | 'reset' | 'html' | 'malformed-json' | 'huge-body' | 'null';
  hugeBytes?: number;
}

export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
}

export interface FakeLettaOptions {
  /** The accepted key; `null` for a server without auth. Default `fake-key`. */
  apiKey?: string | null;
  port?: number;
  agents?: number;
  stepsPerAgent?: number;
}

export interface FakeLetta extends FakeData {
  readonly url: string;
  readonly port: number;
  /** Requests seen (not the `/__fake` ones), oldest first. */
  readonly requests: SeenRequest[];
  apiKey: string | null;
  setFaults(faults: Fault[]): void;
  /** Clears faults and the request log. */
  reset(): void;
  /** Serves an extra trace (and its step) — e.g. a generated 50 MB one for benchmarks. */
  addTrace(trace: ProviderTrace, step?: Partial<Step>): void;
  close(): Promise<void>;
}

export const DEFAULT_FAKE_KEY = 'fake-key';

const HTML_PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

export async function startFakeLetta(options: FakeLettaOptions = {}): Promise<FakeLetta> {
  const data = buildFakeData(options);
  let faults: Fault[] = [];
  const requests: SeenRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const fake: FakeLetta = {
    ...data,
    url: '',
    port: 0,
    requests,
    apiKey: options.apiKey === undefined ? DEFAULT_FAKE_KEY : options.apiKey,
    setFaults(next) {
      faults = next.map((f) => ({ ...f }));
    },
    reset() {
      faults = [];
      requests.length = 0;
    },
    addTrace(trace, step) {
      const id = trace.step_id as string;
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
      if (!res.headersSent) {
        send(res, 500, { detail: `fake server error: ${String(e)}` });
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path.startsWith('/__fake/')) {
      return admin(req, res, path);
    }
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers });
    if (fake.apiKey !== null && req.headers.authorization !== `Bearer ${fake.apiKey}`) {
      return send(res, 401, { detail: 'Unauthorized' });
    }
    const route = routeOf(path);
    const fault = takeFault(route);
    if (fault?.delayMs) {
      await new Promise((r) => setTimeout(r, fault.delayMs));
    }
    if (fault && (await applyFault(fault, req, res))) {
      return;
    }
    if (req.method !== 'GET') {
      return send(res, 405, { detail: 'Method Not Allowed' });
    }
    switch (route) {
      case 'trace':
      case 'step': {
        const id = path.split('/')[3];
        if (!isStepId(id)) {
          return send(res, 422, validationError(id));
        }
        if (route === 'trace') {
          return send(res, 200, data.traces.get(id) ?? null);
        }
        const step = data.steps.find((s) => s.id === id);
        return step ? send(res, 200, step) : send(res, 404, { detail: `Step not found: ${id}` });
      }
      case 'steps': {
        const agentId = url.searchParams.get('agent_id');
        const model = url.searchParams.get('model');
        return send(res, 200, page(data.steps.filter((s) => (!agentId || s.agent_id === agentId) && (!model || s.model === model)), url.searchParams));
      }
      case 'agents': {
        const name = url.searchParams.get('name');
        return send(res, 200, page(data.agents.filter((a) => !name || a.name === name), url.searchParams));
      }
      default:
        return send(res, 404, { detail: 'Not Found' });
    }
  }

  function takeFault(route: FaultRoute | undefined): Fault | undefined {
    const i = faults.findIndex((f) => !f.route || f.route === 'any' || f.route === route);
    if (i < 0) {
      return undefined;
    }
    const fault = faults[i];
    if (fault.times !== undefined && --fault.times <= 0) {
      faults.splice(i, 1);
    }
    return fault;
  }

  async function applyFault(fault: Fault, _req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'reset':
        res.socket?.resetAndDestroy();
        return true;
      case 'html':
        res.writeHead(fault.status ?? 200, { 'content-type': 'text/html; charset=utf-8', ...fault.headers });
        res.end(HTML_PAGE);
        return true;
      case 'malformed-json':
        res.writeHead(fault.status ?? 200, { 'content-type': 'application/json', ...fault.headers });
        res.end('{"request_json": {"model": "gpt-4.1", "messages": [');
        return true;
      case 'null':
        send(res, 200, null);
        return true;
      case 'stall-body': {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
        res.write('{"request_json": {"messages": [');
        return true; // and never finish: the client's deadline must end it
      }
      case 'huge-body': {
        const bytes = fault.hugeBytes ?? 8 * 1024 * 1024;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes + 45) });
        res.write('{"request_json": {"filler": "');
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
        res.end('"}, "response_json": {}}');
        return true;
      }
      default:
        if (fault.status !== undefined) {
          const body = fault.body ?? { detail: http.STATUS_CODES[fault.status] ?? 'Error' };
          send(res, fault.status, body, fault.headers);
          return true;
        }
        return false; // a pure delay
    }
  }

  async function admin(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    if (path === '/__fake/requests') {
      return send(res, 200, requests.map((r) => ({ method: r.method, path: r.path, query: r.query, authorization: r.headers.authorization ?? null })));
    }
    if (path === '/__fake/reset' && req.method === 'POST') {
      fake.reset();
      return send(res, 200, { ok: true });
    }
    if (path === '/__fake/faults' && req.method === 'POST') {
      const body = await readBody(req);
      fake.setFaults(JSON.parse(body) as Fault[]);
      return send(res, 200, { ok: true });
    }
    if (path === '/__fake/data') {
      return send(res, 200, { agents: data.agents.map((a) => ({ id: a.id, name: a.name })), traceStepIds: [...data.traces.keys()] });
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
  if (/^\/v1\/steps\/[^/]+$/.test(path)) {
    return 'step';
  }
  if (path === '/v1/steps') {
    return 'steps';
  }
  if (path === '/v1/agents') {
    return 'agents';
  }
  return undefined;
}

/** Cursor paging as Letta does it: `before`/`after` are IDs in the list's order (newest first unless `order=asc`). */
function page<T extends { id: string }>(items: T[], params: URLSearchParams): T[] {
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
  const limit = Math.max(1, Math.min(1000, Number(params.get('limit') ?? 50) || 50));
  return before && !after ? ordered.slice(Math.max(from, to - limit), to) : ordered.slice(from, Math.min(to, from + limit));
}

/** The real server's 422 body (not the spec's list form). */
function validationError(id: string): Record<string, unknown> {
  return {
    trace_id: '',
    detail: `[{'type': 'string_pattern_mismatch', 'loc': ('path', 'step_id'), 'msg': "String should match pattern '^step-[a-fA-F0-9]{8}'", 'input': '${id.replace(/'/g, '')}'}]`,
    examples: ['step-123e4567-e89b-42d3-8456-426614174000'],
  };
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export type { Agent, ProviderTrace, Step };

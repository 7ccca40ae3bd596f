/**
 * The HTTP transport under the SDK: node-fetch, with the limits an editor needs — a cap on the body
 * size, and a header allowlist so nothing from the environment (LETTA_CUSTOM_HEADERS) rides along
 * and the Authorization header is exactly ours. Pure: no `vscode` import.
 */

/** The fetch signature the SDK calls (a subset of WHATWG fetch). */
export type FetchLike = (url: string, init?: RequestInitLike) => Promise<Response>;

export interface RequestInitLike {
  method?: string;
  headers?: unknown;
  body?: unknown;
  signal?: AbortSignal | null;
  [option: string]: unknown;
}

/** Headers the SDK may send; everything else is dropped. */
const ALLOWED_HEADER = /^(accept|content-type|user-agent|x-project|x-stainless-[a-z-]+)$/i;

export interface TransportOptions {
  /** Sent as `Authorization: Bearer <apiKey>` when set; no Authorization header otherwise. */
  apiKey?: string;
  /** Bodies over this many bytes fail with a size error instead of filling memory. */
  maxBodyBytes: number;
  /** One attempt, body included: the SDK's own timeout stops once the headers arrive. */
  timeoutMs: number;
  /** The fetch implementation; node-fetch in the extension (see `nodeFetch`). */
  fetch: (url: string, init: Record<string, unknown>) => Promise<unknown>;
}

/** Wraps `fetch` so the SDK's requests carry only allowed headers plus our Authorization. */
export function createTransport(options: TransportOptions): FetchLike {
  return async (url, init = {}) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of headerEntries(init.headers)) {
      if (ALLOWED_HEADER.test(name)) {
        headers[name.toLowerCase()] = value;
      }
    }
    if (options.apiKey) {
      headers.authorization = `Bearer ${options.apiKey}`;
    }
    const attempt = AbortSignal.timeout(options.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, attempt]) : attempt;
    const response = await options.fetch(url, { ...init, headers, signal, size: options.maxBodyBytes, compress: true });
    return response as Response;
  };
}

function headerEntries(headers: unknown): [string, string][] {
  if (headers === undefined || headers === null) {
    return [];
  }
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    const out: [string, string][] = [];
    (headers as Headers).forEach((value, name) => out.push([name, value]));
    return out;
  }
  if (Array.isArray(headers)) {
    return headers.filter((h): h is [string, string] => Array.isArray(h) && h.length === 2).map(([n, v]) => [String(n), String(v)]);
  }
  return Object.entries(headers as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([n, v]) => [n, String(v)]);
}

/** node-fetch@3 is ESM-only: load it once, lazily, so activation does not pay for it. */
let nodeFetchModule: Promise<typeof import('node-fetch')> | undefined;

/** node-fetch's `fetch`, which honours `size` (the body cap) and aborts a body read mid-stream. */
export async function nodeFetch(url: string, init: Record<string, unknown>): Promise<unknown> {
  nodeFetchModule ??= import('node-fetch');
  const { default: fetch } = await nodeFetchModule;
  return fetch(url, init);
}

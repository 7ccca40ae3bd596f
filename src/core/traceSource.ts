/**
 * Where a trace came from, as a key: a step's trace from one server, from another server and from a
 * saved file are three different traces, and none may stand in for another. Pure: no `vscode`.
 */
import type { TraceSource } from './lettaTypes';

/** `server:<origin>` or `file:<path>`: one string per source, for map keys. */
export function traceSourceKey(source: TraceSource): string {
  return source.kind === 'server' ? `server:${source.origin}` : `file:${source.path}`;
}

/** One string per (source, step): the key of a cached trace, an open panel, a rendered document. */
export function traceKey(stepId: string, source: TraceSource): string {
  return `${traceSourceKey(source)}\n${stepId}`;
}

export function sameSource(a: TraceSource, b: TraceSource): boolean {
  return traceSourceKey(a) === traceSourceKey(b);
}

/** A source from untrusted input (a webview's saved state, a command argument), or undefined. */
export function readTraceSource(value: unknown): TraceSource | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const v = value as { kind?: unknown; origin?: unknown; path?: unknown };
  if (v.kind === 'server' && typeof v.origin === 'string' && v.origin) {
    return { kind: 'server', origin: v.origin };
  }
  if (v.kind === 'file' && typeof v.path === 'string' && v.path) {
    return { kind: 'file', path: v.path };
  }
  return undefined;
}

/**
 * The read-only JSON documents of a trace: `letta-trace:/<stepId>/<part>.json?origin=<server>` for a
 * server's trace, `?file=<base64url path>` for a saved file's. The query names the source, so a
 * document restored after a reload reopens from where it came from, and a file's document never
 * shows the server's trace (or the other way round). No query: the configured server. Pure.
 */
import type { TraceSource } from './lettaTypes';
import { isStepId } from './stepIds';
import { TRACE_PARTS, type TracePart } from './traceJson';

export { TRACE_PARTS, type TracePart };

export const TRACE_SCHEME = 'letta-trace';

/** The path of a trace document (the `.json` ending makes VS Code pick JSON mode). */
export function traceDocumentPath(stepId: string, part: TracePart): string {
  return `/${stepId}/${part}.json`;
}

/**
 * The query naming `source`. An origin has no `&`, `=` or `%`, so it reads as is; a file path can
 * hold anything, so it is base64url (which survives VS Code's encoding and decoding of queries).
 */
export function traceDocumentQuery(source: TraceSource | undefined): string {
  if (!source) {
    return '';
  }
  return source.kind === 'server' ? `origin=${source.origin}` : `file=${Buffer.from(source.path, 'utf8').toString('base64url')}`;
}

/** The source a document query names; undefined for none (the configured server) or a broken one. */
export function parseTraceDocumentQuery(query: string): TraceSource | undefined {
  const origin = /^origin=(https?:\/\/[^&#]+)$/.exec(query)?.[1];
  if (origin) {
    return { kind: 'server', origin };
  }
  const file = /^file=([A-Za-z0-9_-]+)$/.exec(query)?.[1];
  if (file) {
    const path = Buffer.from(file, 'base64url').toString('utf8');
    return path ? { kind: 'file', path } : undefined;
  }
  return undefined;
}

/** The step and part of a trace document path, or undefined for any other path. */
export function parseTraceDocumentPath(path: string): { stepId: string; part: TracePart } | undefined {
  const match = /^\/([^/]+)\/(request|response|metadata)\.json$/.exec(path);
  if (!match || !isStepId(match[1])) {
    return undefined;
  }
  return { stepId: match[1], part: match[2] as TracePart };
}

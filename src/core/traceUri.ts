/** The read-only JSON documents of a trace: `letta-trace:/<stepId>/<part>.json`. Pure. */
import { isStepId } from './stepIds';

export const TRACE_SCHEME = 'letta-trace';

export const TRACE_PARTS = ['request', 'response', 'metadata'] as const;
export type TracePart = (typeof TRACE_PARTS)[number];

/** The path of a trace document (the `.json` ending makes VS Code pick JSON mode). */
export function traceDocumentPath(stepId: string, part: TracePart): string {
  return `/${stepId}/${part}.json`;
}

/** The step and part of a trace document path, or undefined for any other path. */
export function parseTraceDocumentPath(path: string): { stepId: string; part: TracePart } | undefined {
  const match = /^\/([^/]+)\/(request|response|metadata)\.json$/.exec(path);
  if (!match || !isStepId(match[1])) {
    return undefined;
  }
  return { stepId: match[1], part: match[2] as TracePart };
}

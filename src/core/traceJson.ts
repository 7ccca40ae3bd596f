/** The JSON text of a trace's parts, as the read-only documents and saved files show them. Pure. */
import type { ProviderTrace } from './lettaTypes';
import type { TracePart } from './traceUri';

/** The metadata part: every field of the trace but the request and the response. */
export function traceMetadata(trace: ProviderTrace): Record<string, unknown> {
  const { request_json: _request, response_json: _response, ...rest } = trace;
  return rest;
}

export function tracePartValue(trace: ProviderTrace, part: TracePart): unknown {
  return part === 'request' ? trace.request_json : part === 'response' ? trace.response_json : traceMetadata(trace);
}

/**
 * Pretty JSON with two-space indents. Data nested too deep for the engine's recursion falls back
 * to compact text, and if even that fails, to a readable note: a document never fails to open.
 */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? 'null';
  } catch {
    try {
      return JSON.stringify(value) ?? 'null';
    } catch (e) {
      return JSON.stringify({ error: `This value cannot be shown as JSON: ${e instanceof Error ? e.message : String(e)}` }, null, 2);
    }
  }
}

/**
 * Builds what the trace viewer receives for one loaded trace, and the cURL line of its "Copy as
 * cURL". No `vscode` import, so tests and the benchmark can build payloads in plain Node.
 */
import { normalizeTrace } from '../core/conversation/normalize';
import type { LoadedTrace } from '../core/lettaTypes';
import { summarizeTrace } from '../core/traceSummary';
import type { TraceData, TraceHeader } from '../shared/protocol';
import { CONVERSATION_MAX_DEPTH, limitDepth, stringifyJson } from './tracePanelJson';

/** The viewer's payload: header summary and conversation normalised here, raw JSON as text. */
export function buildTraceData(loaded: LoadedTrace): TraceData {
  const { request_json, response_json, ...rest } = loaded.trace;
  const metadata: Record<string, unknown> = { ...rest };
  if (loaded.step) {
    metadata.step = loaded.step;
  }
  const summary: TraceHeader = summarizeTrace(loaded.trace, loaded.step);
  const data: TraceData = {
    stepId: loaded.stepId,
    summary,
    conversation: limitDepth(normalizeTrace(loaded.trace), CONVERSATION_MAX_DEPTH),
    raw: safeStringify({ request: request_json, response: response_json, metadata }),
  };
  if (loaded.source.kind === 'server') {
    data.origin = loaded.source.origin;
  } else {
    data.file = loaded.source.path;
  }
  return data;
}

/** JSON text that never throws: a cycle or BigInt (impossible from parsed JSON) becomes a note. */
function safeStringify(value: unknown): string {
  try {
    return stringifyJson(value);
  } catch (e) {
    return JSON.stringify({ error: `The trace could not be shown as JSON: ${e instanceof Error ? e.message : String(e)}` });
  }
}

/** The command that fetches this trace; the key stays an environment variable, never its value. */
export function curlCommand(origin: string, stepId: string): string {
  const base = origin.replace(/\/+$/, '');
  return `curl -H "Authorization: Bearer $LETTA_API_KEY" ${base}/v1/steps/${encodeURIComponent(stepId)}/trace`;
}

/** Only http(s) links leave the webview; anything else (javascript:, data:, file:, command:) is refused. */
export function isOpenableUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

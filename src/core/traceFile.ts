/**
 * The saved-trace file: the whole trace and the step's record, versioned. It holds no key and no
 * setting. Reading also accepts a bare ProviderTrace (what the API returns). Pure.
 */
import { isRecord } from './conversation/util';
import { errorMessage } from './errorMessage';
import type { LoadedTrace, ProviderTrace, Step } from './lettaTypes';
import { isStepId } from './stepIds';
import { prettyJson } from './traceJson';

export const TRACE_FILE_FORMAT = 'letta-step-trace';
export const TRACE_FILE_VERSION = 1;
/** The ending Save As gives a trace file; such files open in the viewer (the `letta.traceFile` custom editor). */
export const TRACE_FILE_SUFFIX = '.letta-trace.json';

export interface TraceFile {
  format: typeof TRACE_FILE_FORMAT;
  version: number;
  stepId: string;
  /** The server it came from (an origin, never a key). */
  origin?: string;
  savedAt: string;
  trace: ProviderTrace;
  step?: Step;
}

export function serializeTraceFile(loaded: LoadedTrace, now = new Date()): string {
  const file: TraceFile = {
    format: TRACE_FILE_FORMAT,
    version: TRACE_FILE_VERSION,
    stepId: loaded.stepId,
    origin: loaded.source.kind === 'server' ? loaded.source.origin : undefined,
    savedAt: now.toISOString(),
    trace: loaded.trace,
    step: loaded.step,
  };
  return prettyJson(file);
}

export type ParsedTraceFile = { ok: true; stepId: string; trace: ProviderTrace; step?: Step; origin?: string } | { ok: false; error: string };

export function parseTraceFile(text: string): ParsedTraceFile {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { ok: false, error: `The file is not valid JSON (${errorMessage(e)}).` };
  }
  if (!isRecord(value)) {
    return { ok: false, error: 'The file holds no trace: expected a JSON object.' };
  }
  const isOurs = value.format === TRACE_FILE_FORMAT;
  if (isOurs && typeof value.version === 'number' && value.version > TRACE_FILE_VERSION) {
    return { ok: false, error: `The file was saved by a newer version of Letta Step Trace (format version ${value.version}).` };
  }
  const trace = isOurs ? value.trace : value;
  if (!isRecord(trace) || !isRecord(trace.request_json) || !isRecord(trace.response_json)) {
    return { ok: false, error: 'The file holds no trace: a trace has "request_json" and "response_json" objects.' };
  }
  const stepId = isOurs && typeof value.stepId === 'string' ? value.stepId : trace.step_id;
  if (typeof stepId !== 'string' || !isStepId(stepId)) {
    return { ok: false, error: 'The trace in the file has no valid "step_id" (step-<uuid4>).' };
  }
  const step = isOurs && isRecord(value.step) && typeof value.step.id === 'string' ? (value.step as Step) : undefined;
  const origin = isOurs && typeof value.origin === 'string' ? value.origin : undefined;
  return { ok: true, stepId, trace: trace as ProviderTrace, step, origin };
}

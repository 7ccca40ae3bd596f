/**
 * Builds what the trace viewer receives for one loaded trace. No `vscode` import, so tests and the
 * benchmark can build payloads in plain Node.
 */
import { stepContextNow } from '../context/stepContext';
import { normalizeTrace } from '../conversation/normalize';
import { errorMessage } from '../errorMessage';
import type { LoadedTrace } from '../lettaTypes';
import { approximateJsonSize, stringifyJson } from '../traceJson';
import { summarizeTrace } from '../stepSummary';
import type { Message } from '../conversation/model';
import type { HostMessage, TraceData, TraceHeader } from '../../shared/protocol';
import { CONVERSATION_MAX_DEPTH, limitDepth } from './limitDepth';

/** The viewer's payload: header summary and conversation normalised here, raw JSON as text. */
export function buildTraceData(loaded: LoadedTrace, options: { raw?: boolean } = {}): TraceData {
  const summary: TraceHeader = summarizeTrace(loaded.trace, loaded.step);
  const conversation = normalizeTrace(loaded.trace);
  const data: TraceData = {
    stepId: loaded.stepId,
    summary,
    conversation: limitDepth(conversation, CONVERSATION_MAX_DEPTH),
    context: stepContextNow(conversation),
  };
  if (options.raw !== false) {
    data.raw = safeStringify(rawRoots(loaded));
  }
  if (loaded.source.kind === 'server') {
    data.origin = loaded.source.origin;
  } else {
    data.file = loaded.source.path;
  }
  return data;
}

/** What the Raw JSON tab shows: the trace as sent, metadata = every other trace field plus the step record. */
export function rawRoots(loaded: LoadedTrace): { request: unknown; response: unknown; metadata: Record<string, unknown> } {
  const { request_json, response_json, ...rest } = loaded.trace;
  const metadata: Record<string, unknown> = { ...rest };
  if (loaded.step) {
    metadata.step = loaded.step;
  }
  return { request: request_json, response: response_json, metadata };
}

/** JSON text that never throws: a cycle or BigInt (impossible from parsed JSON) becomes a note. */
function safeStringify(value: unknown): string {
  try {
    return stringifyJson(value);
  } catch (e) {
    return JSON.stringify({ error: `The trace could not be shown as JSON: ${errorMessage(e)}` });
  }
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

/**
 * How much one message to the webview may carry (characters, about). The webview decodes each
 * message in one task, so a 50 MB trace sent whole would freeze it for most of a second.
 */
export const MESSAGE_BUDGET = 1_000_000;
/** A long conversation shows its first and last messages at once; the middle waits for a click. */
export const HEAD_MESSAGES = 10;
export const TAIL_MESSAGES = 30;
/** Up to this many messages (and within the budget) a conversation is sent whole. */
const WHOLE_MESSAGES = 200;

/**
 * The messages that carry `data` to the webview, each within about `budget` characters: the trace
 * (header, response, tools, the first and last request messages), then the left-out middle
 * messages, then the raw JSON text in pieces. A small trace is one message.
 */
export function splitTraceData(data: TraceData, budget = MESSAGE_BUDGET): HostMessage[] {
  const all = data.conversation.messages;
  const sizes = all.map(approximateJsonSize);
  const total = sizes.reduce((a, b) => a + b, 0);
  const raw = data.raw ?? '';
  if (all.length <= WHOLE_MESSAGES && total + raw.length <= budget) {
    return [{ type: 'trace', data }];
  }
  // Head and tail: a few messages each, within half the budget each (but at least one).
  const pick = (indices: number[]): number => {
    let used = 0;
    let n = 0;
    for (const i of indices) {
      if (n > 0 && used + sizes[i] > budget / 2) {
        break;
      }
      used += sizes[i];
      n++;
    }
    return n;
  };
  let head = all.length;
  let tail = 0;
  if (all.length > WHOLE_MESSAGES || total > budget) {
    head = pick([...all.keys()].slice(0, HEAD_MESSAGES));
    tail = Math.min(all.length - head, pick([...all.keys()].reverse().slice(0, TAIL_MESSAGES)));
  }
  const middle = all.slice(head, all.length - tail);
  const first: TraceData = {
    ...data,
    conversation: { ...data.conversation, messages: [...all.slice(0, head), ...all.slice(all.length - tail)] },
  };
  delete first.raw;
  if (middle.length > 0) {
    first.omitted = { start: head, count: middle.length };
  }
  const out: HostMessage[] = [{ type: 'trace', data: first }];
  let chunk: Message[] = [];
  let chunkStart = head;
  let used = 0;
  middle.forEach((m, k) => {
    const size = sizes[head + k];
    if (chunk.length > 0 && used + size > budget) {
      out.push({ type: 'messages', stepId: data.stepId, start: chunkStart, messages: chunk });
      chunkStart = head + k;
      chunk = [];
      used = 0;
    }
    chunk.push(m);
    used += size;
  });
  if (chunk.length > 0) {
    out.push({ type: 'messages', stepId: data.stepId, start: chunkStart, messages: chunk });
  }
  for (let at = 0; at < raw.length || at === 0; at += budget) {
    out.push({ type: 'raw', stepId: data.stepId, text: raw.slice(at, at + budget), done: at + budget >= raw.length });
  }
  return out;
}

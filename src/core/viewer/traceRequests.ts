/**
 * The host's answers to the viewer's requests, over the whole trace it keeps (see tracePaging.ts).
 * Pure, so the panel stays thin and the Chromium tests' fake host answers exactly as the panel does.
 */
import * as l10n from '@vscode/l10n';
import type { Message } from '../conversation/model';
import type { LoadedTrace } from '../lettaTypes';
import { prettyJson } from '../traceJson';
import type { HostMessage, WebviewMessage } from '../../shared/protocol';
import { PAGE_BUDGET, PAGE_STRING, messagePage, rawNode, resolvePath, stringSlice, type PathSegment } from './tracePaging';
import { rawRoots } from './tracePayload';

/** What a panel keeps of the trace it shows, to answer from. */
export interface HeldTrace {
  stepId: string;
  messages: readonly Message[];
  roots: { key: string; value: unknown }[];
}

export function holdTrace(loaded: LoadedTrace, messages: readonly Message[]): HeldTrace {
  const roots = rawRoots(loaded);
  return {
    stepId: loaded.stepId,
    messages,
    roots: [
      { key: 'request', value: roots.request },
      { key: 'response', value: roots.response },
      { key: 'metadata', value: roots.metadata },
    ],
  };
}

export type TraceRequest = Extract<WebviewMessage, { type: 'requestMessages' | 'rawNode' | 'rawString' | 'copyRaw' }>;

export function isTraceRequest(message: WebviewMessage): message is TraceRequest {
  return ['requestMessages', 'rawNode', 'rawString', 'copyRaw'].includes(message?.type);
}

/** The answer to post back, or (for `copyRaw`) the text to copy; nothing for another step's request. */
export function answerRequest(held: HeldTrace, message: TraceRequest): { post?: HostMessage; copy?: string } {
  if (message.stepId !== held.stepId) {
    return {};
  }
  const stepId = held.stepId;
  // From the webview: checked, not trusted.
  const given: unknown = (message as { path?: unknown }).path;
  const [root, ...path] = Array.isArray(given) ? (given as PathSegment[]) : [];
  const entry = held.roots.find((r) => r.key === root);
  const missing = { error: l10n.t('No such path in the trace.') };
  switch (message.type) {
    case 'requestMessages': {
      const whole = message.whole === true;
      const page = messagePageOf(held.messages, Number(message.start), Number(message.count), whole);
      return { post: { type: 'messages', stepId, start: page.start, messages: page.messages, cut: page.cut } };
    }
    case 'rawNode':
      return { post: { type: 'rawNode', stepId, id: Number(message.id), ...(entry ? rawNode(entry.value, path, Number(message.offset ?? 0) || 0) : missing) } };
    case 'rawString':
      return { post: { type: 'rawString', stepId, id: Number(message.id), offset: Number(message.offset), ...(entry ? stringSlice(entry.value, path, Number(message.offset) || 0) : missing) } };
    case 'copyRaw': {
      const at = entry ? resolvePath(entry.value, path) : undefined;
      return at?.ok ? { copy: typeof at.value === 'string' ? at.value : prettyJson(at.value) } : {};
    }
  }
}

function messagePageOf(all: readonly Message[], start: number, count: number, whole: boolean): ReturnType<typeof messagePage> {
  return whole ? messagePage(all, start, count, Number.MAX_SAFE_INTEGER, Infinity) : messagePage(all, start, count, PAGE_BUDGET, PAGE_STRING);
}

/**
 * The lazy viewer transfer (issue 19): what the first post carries, bounded in bytes, and the
 * answers to the page's later requests (middle messages, raw JSON nodes, string slices).
 * The whole trace stays in the extension host; only what the screen needs crosses to the webview,
 * which in code-server, Codespaces or Remote-SSH is on another machine. No `vscode` import.
 */
import * as l10n from '@vscode/l10n';
import type { Message } from '../conversation/model';
import { approximateJsonSize } from '../traceJson';
import type { TraceData } from '../../shared/protocol';

import { STUB_KEY, type PathSegment, type Stub } from './traceStubs';
export { STUB_KEY, stubOf, type PathSegment, type Stub, type StubInfo } from './traceStubs';

/** The first post's bound (UTF-16 characters of JSON, about its bytes for the ASCII most traces are). */
export const FIRST_POST_BUDGET = 200_000;
/** A later answer's bound: one page of middle messages or one raw node. */
export const PAGE_BUDGET = 500_000;
/** Strings longer than this in a post are cut, with a marker the page shows and can expand. */
export const FIRST_POST_STRING = 4_000;
export const PAGE_STRING = 60_000;
/** How many characters of a string one slice request returns. */
export const STRING_SLICE = 64_000;
/** Raw children sent for one node at most: beyond it the page asks again from an offset. */
export const RAW_CHILDREN = 2_000;

/** The text put after a string cut for the page (the page offers the whole of it on request). */
export function cutMarker(rest: number): string {
  return `\u2026 [${rest.toLocaleString('en-US')} more characters]`;
}

/**
 * A copy of `value` where every string longer than `max` is cut to `max` characters followed by
 * `cutMarker`; the value itself when nothing is that long. Iterative: traces nest deep.
 */
export function cutLongStrings<T>(value: T, max: number): { value: T; cut: boolean } {
  if (!hasLongString(value, max)) {
    return { value, cut: false };
  }
  const copyOf = (v: unknown): unknown => (typeof v === 'string' && v.length > max ? v.slice(0, max) + cutMarker(v.length - max) : v === null || typeof v !== 'object' ? v : Array.isArray(v) ? [] : {});
  const root = copyOf(value);
  const stack: { from: unknown; to: unknown }[] = [{ from: value, to: root }];
  while (stack.length > 0) {
    const { from, to } = stack.pop()!;
    if (from === null || typeof from !== 'object') {
      continue;
    }
    for (const [key, child] of Object.entries(from)) {
      const copy = copyOf(child);
      (to as Record<string, unknown>)[key] = copy;
      if (child !== null && typeof child === 'object') {
        stack.push({ from: child, to: copy });
      }
    }
  }
  return { value: root as T, cut: true };
}

function hasLongString(value: unknown, max: number): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.length > max) {
        return true;
      }
    } else if (v !== null && typeof v === 'object') {
      for (const child of Object.values(v)) {
        stack.push(child);
      }
    }
  }
  return false;
}

/** Messages ready to post: long strings cut, with the indices of those cut. */
export interface MessagePage {
  start: number;
  messages: Message[];
  cut: number[];
}

/**
 * The messages from `start`, as many of `count` as fit `budget` (at least one), each with strings
 * over `maxString` cut (`maxString` Infinity: whole).
 */
export function messagePage(all: readonly Message[], start: number, count: number, budget = PAGE_BUDGET, maxString = PAGE_STRING): MessagePage {
  const from = Math.max(0, Math.min(all.length, Math.floor(start)));
  const to = Math.min(all.length, from + Math.max(0, Math.floor(count)));
  const messages: Message[] = [];
  const cut: number[] = [];
  let used = 0;
  for (let i = from; i < to; i++) {
    const m = Number.isFinite(maxString) ? cutLongStrings(all[i], maxString) : { value: all[i], cut: false };
    const size = approximateJsonSize(m.value);
    if (messages.length > 0 && used + size > budget) {
      break;
    }
    used += size;
    messages.push(m.value);
    if (m.cut) {
      cut.push(i);
    }
  }
  return { start: from, messages, cut };
}

/**
 * The first post: everything the first screen shows, within `budget` whatever the trace's size.
 * Header, response, tools, context (long strings cut if they would take more than half). Then the
 * first and last messages, as many as fit half the rest each (a message that does not fit whole is
 * tried with its long strings cut); the middle is `omitted`, with its size
 * in characters so the page can hold its height. The raw JSON stays in the host (`rawLazy`).
 */
export function firstPost(data: TraceData, budget = FIRST_POST_BUDGET): TraceData {
  const all = data.conversation.messages;
  const rest: TraceData = { ...data };
  delete rest.raw;
  const whole = { ...rest, conversation: { ...rest.conversation, messages: [] as Message[] } };
  // Cut only what does not fit: a trace of ordinary size arrives exactly as it is.
  const base = approximateJsonSize(whole) > budget / 2 ? cutLongStrings(whole, FIRST_POST_STRING).value : whole;
  const left = Math.max(budget - approximateJsonSize(base), budget / 4);
  const cut: number[] = [];
  const pick = (indices: number[], share: number): Message[] => {
    const out: Message[] = [];
    let used = 0;
    for (const i of indices) {
      const own = approximateJsonSize(all[i]);
      const m = used + own <= share ? { value: all[i], cut: false } : cutLongStrings(all[i], FIRST_POST_STRING);
      const size = m.cut ? approximateJsonSize(m.value) : own;
      if (used + size > share) {
        break;
      }
      used += size;
      out.push(m.value);
      if (m.cut) {
        cut.push(i);
      }
    }
    return out;
  };
  const head = pick([...all.keys()].slice(0, HEAD_MAX), left / 2);
  const tailIndices = [...all.keys()].reverse().slice(0, Math.min(TAIL_MAX, all.length - head.length));
  const tail = pick(tailIndices, left / 2).reverse();
  const middleCount = all.length - head.length - tail.length;
  const out: TraceData = { ...base, conversation: { ...base.conversation, messages: [...head, ...tail] }, rawLazy: true };
  delete out.omitted;
  if (middleCount > 0) {
    let chars = 0;
    for (let i = head.length; i < head.length + middleCount; i++) {
      chars += approximateJsonSize(all[i]);
    }
    out.omitted = { start: head.length, count: middleCount, lazy: true, chars };
  }
  if (cut.length > 0) {
    out.cut = cut.sort((a, b) => a - b);
  }
  return out;
}

/** At most this many messages at each end of the first post (a screenful or two). */
const HEAD_MAX = 12;
const TAIL_MAX = 12;

/** The raw JSON the Raw JSON tab shows: `{ request, response, metadata }`, held in the host. */
export type RawRoots = Record<string, unknown>;

export type Resolved = { ok: true; value: unknown } | { ok: false; error: string };

/** The value at `path` in `root`; a `{ decoded: true }` segment parses the string before it. */
export function resolvePath(root: unknown, path: readonly PathSegment[], decode: (text: string) => unknown = JSON.parse): Resolved {
  let v = root;
  for (const seg of path) {
    if (typeof seg === 'object' && seg !== null) {
      if (typeof v !== 'string') {
        return { ok: false, error: l10n.t('Only a string can be decoded.') };
      }
      try {
        v = decode(v);
      } catch {
        return { ok: false, error: l10n.t('This string is not valid JSON.') };
      }
      continue;
    }
    if (v === null || typeof v !== 'object') {
      return { ok: false, error: l10n.t('No such path in the trace.') };
    }
    if (Array.isArray(v)) {
      if (typeof seg !== 'number' || seg < 0 || seg >= v.length) {
        return { ok: false, error: l10n.t('No such path in the trace.') };
      }
      v = v[seg];
    } else {
      const key = String(seg);
      if (!Object.prototype.hasOwnProperty.call(v, key)) {
        return { ok: false, error: l10n.t('No such path in the trace.') };
      }
      v = (v as Record<string, unknown>)[key];
    }
  }
  return { ok: true, value: v };
}

/** A child for the page: a primitive as it is, a short string as it is, anything else a stub. */
export function shallow(value: unknown, maxString = PAGE_STRING): unknown {
  if (typeof value === 'string') {
    return value.length > maxString ? ({ [STUB_KEY]: { kind: 'string', length: value.length, head: value.slice(0, Math.min(maxString, 400)) } } satisfies Stub) : value;
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  return { [STUB_KEY]: Array.isArray(value) ? { kind: 'array', count: value.length } : { kind: 'object', count: Object.keys(value).length } } satisfies Stub;
}

/**
 * One raw node for the page: the container at `path` with its children one level deep (each
 * container a stub, each long string a stub), up to `RAW_CHILDREN` of them from `offset`; or a
 * string/primitive as it is (a long string as a stub, read in slices).
 */
export function rawNode(root: unknown, path: readonly PathSegment[], offset = 0, limit = RAW_CHILDREN): { value?: unknown; total?: number; error?: string } {
  const at = resolvePath(root, path);
  if (!at.ok) {
    return { error: at.error };
  }
  const v = at.value;
  if (v === null || typeof v !== 'object') {
    return { value: shallow(v) };
  }
  if (Array.isArray(v)) {
    return { value: v.slice(offset, offset + limit).map((c) => shallow(c)), total: v.length };
  }
  const keys = Object.keys(v);
  const out: Record<string, unknown> = {};
  for (const key of keys.slice(offset, offset + limit)) {
    out[key] = shallow((v as Record<string, unknown>)[key]);
  }
  return { value: out, total: keys.length };
}

/** A slice of the string at `path`. */
export function stringSlice(root: unknown, path: readonly PathSegment[], offset: number, length = STRING_SLICE): { text?: string; total?: number; error?: string } {
  const at = resolvePath(root, path);
  if (!at.ok) {
    return { error: at.error };
  }
  if (typeof at.value !== 'string') {
    return { error: l10n.t('Not a string.') };
  }
  const from = Math.max(0, Math.floor(offset));
  return { text: at.value.slice(from, from + Math.max(1, Math.min(length, STRING_SLICE))), total: at.value.length };
}

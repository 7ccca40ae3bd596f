/**
 * A trace's texts laid out for find (issue 18). The walk of `findInTrace` pays for every value it
 * visits (a stack entry, a call), and the strings of a parsed trace are slices of the answer's
 * text, which `indexOf` scans at half the speed of a flat string: on a 50 MB trace the walk took
 * nine times a plain `indexOf` over the trace's JSON. The index visits the trace once and copies
 * its texts, in the walk's order, into flat strings of about a megabyte, joined by a separator no
 * typed query holds: a plain query is then one `indexOf` per megabyte.
 * - A string that may hold JSON is joined as it is, and decoded only where a search finds the
 *   query in it (then searched as what it decodes to, as the walk does); one with a `\\u` escape,
 *   which decoding could turn into the query, is kept on its own and decoded by every search.
 * - A text longer than `CHUNK` is kept on its own (not copied), scanned window by window.
 * The copy is about the trace's text again: the panel counts it in the memory budget, which may
 * drop the index (the next search builds it again). Regular expressions, and the rare query whose
 * lower case is not as long as itself, use the walk. Pure: no `vscode` import.
 */
import {
  codePointLength,
  containsAtAll,
  decodedJson,
  isWholeWord,
  mayHoldJson,
  paced,
  pushChildren,
  rootEntries,
  runSearch,
  startSearch,
  TextScanner,
  walker,
  type Entry,
  type FindHooks,
  type FindOptions,
  type FindResult,
  type PathNode,
} from './traceSearch';

/** Between two texts of a joined part: no query typed in the find bar holds it. */
export const SEPARATOR = '\u0000';
/** Characters of texts joined into one part; a longer text is kept on its own. */
export const CHUNK = 1 << 20;

/** A text kept on its own: longer than `CHUNK`, or (`json`) a string that may hold JSON with a `\\u` escape. */
interface Single {
  text: string;
  node: PathNode;
  inKey: boolean;
  json: boolean;
}

/**
 * Texts joined by `SEPARATOR`, text `i` starting at `starts[i]` (`json[i]`: it may hold JSON). A
 * `Single` in its place among them is an empty text there, its index in `singleAt`, itself in `singles`.
 */
interface Part {
  text: string;
  starts: Int32Array;
  nodes: PathNode[];
  inKey: Uint8Array;
  json: Uint8Array;
  singleAt: Int32Array;
  singles: Single[];
}

export interface TraceTextIndex {
  parts: Part[];
  /** Texts indexed (keys and values, joined or on their own). */
  texts: number;
  /** What the index holds beyond the trace itself, roughly, in bytes: for the memory budget. */
  bytes: number;
}

/** What a text's place in the index costs, roughly, beyond its characters. */
const BYTES_PER_TEXT = 48;
const WIDE = /[^\u0000-\u00ff]/;

/** Builds the index of `roots`, in slices of `hooks.sliceMs`; undefined when cancelled. */
export async function buildTextIndex(roots: readonly { key: string; value: unknown }[], hooks: Pick<FindHooks, 'yieldNow' | 'isCancelled' | 'sliceMs' | 'now'>): Promise<TraceTextIndex | undefined> {
  const now = hooks.now ?? (() => performance.now());
  const parts: Part[] = [];
  let texts = 0;
  let bytes = 0;
  const empty = () => ({ texts: [] as string[], starts: [] as number[], nodes: [] as PathNode[], inKey: [] as number[], json: [] as number[], singleAt: [] as number[], singles: [] as Single[], chars: 0 });
  let pending = empty();
  const flush = () => {
    if (pending.texts.length === 0) {
      return;
    }
    const text = pending.texts.join(SEPARATOR);
    const { starts, nodes, inKey, json, singleAt, singles } = pending;
    parts.push({ text, starts: Int32Array.from(starts), nodes, inKey: Uint8Array.from(inKey), json: Uint8Array.from(json), singleAt: Int32Array.from(singleAt), singles });
    // A string of Latin-1 characters takes a byte each, any other two.
    bytes += text.length * (WIDE.test(text) ? 2 : 1);
    pending = empty();
  };
  const add = (text: string, node: PathNode, inKey: boolean, json: boolean) => {
    if (text.length === 0) {
      return;
    }
    texts++;
    bytes += BYTES_PER_TEXT;
    // Whether it holds `\\u` would be asked by every search: asked once, here.
    const single = text.length > CHUNK || (json && text.includes('\\u'));
    if (pending.chars + (single ? 0 : text.length) > CHUNK) {
      flush();
    }
    if (single) {
      pending.singleAt.push(pending.texts.length);
      pending.singles.push({ text, node, inKey, json });
    }
    pending.starts.push(pending.chars);
    pending.texts.push(single ? '' : text);
    pending.nodes.push(node);
    pending.inKey.push(inKey ? 1 : 0);
    pending.json.push(json && !single ? 1 : 0);
    pending.chars += (single ? 0 : text.length) + SEPARATOR.length;
  };
  const stack = rootEntries(roots);
  // The walk of `findInTrace`, in its order, leaving strings that may hold JSON to each search.
  const slice = (deadline: number): boolean => {
    let work = 0;
    while (stack.length > 0) {
      if (++work > 4_096) {
        work = 0;
        if (now() >= deadline) {
          return false;
        }
      }
      const entry: Entry = stack.pop()!;
      const value = entry.value;
      // The places are kept (for the matches' paths), the values they held are not.
      entry.value = undefined;
      if (entry.parent && typeof entry.key === 'string') {
        add(entry.key, entry, true, false);
      }
      if (value !== null && typeof value === 'object') {
        pushChildren(stack, entry, value);
      } else if (typeof value === 'string') {
        add(value, entry, false, mayHoldJson(value));
      } else {
        add(String(value), entry, false, false);
      }
    }
    flush();
    return true;
  };
  const { cancelled } = await paced(hooks, slice);
  return cancelled ? undefined : { parts, texts, bytes };
}

/** True when `query` with `options` can be answered from an index (else `findInTrace` walks). */
export function indexAnswers(query: string, options: FindOptions): boolean {
  // `containsAtAll` must vouch that a string holding JSON without the query in its raw text has none decoded either.
  return query !== '' && !query.includes(SEPARATOR) && (options.caseSensitive === true || query.toLowerCase().length === query.length) && containsAtAll(query, options) !== undefined;
}

/** Hits and texts of one part handled at a time before the clock is looked at. */
const WORK_PER_CHECK = 1_024;

/**
 * What `findInTrace(roots, query, options)` finds, in the same order, from the index of those
 * roots. `query` must be one `indexAnswers` accepts.
 */
export async function findInIndex(index: TraceTextIndex, query: string, options: FindOptions, hooks: FindHooks): Promise<FindResult> {
  const search = startSearch(query, options, hooks);
  if (!search.ok) {
    return search;
  }
  const { now, recorder, scanner, mayHold } = search;
  const caseSensitive = options.caseSensitive === true;
  const wholeWord = options.wholeWord === true;
  const needle = caseSensitive ? query : query.toLowerCase();
  /** A string that may hold JSON, as the walk searches it: what it decodes to, else its text (to the end: at most DECODE_MAX). */
  const searchJson = (text: string, node: PathNode) => {
    const decoded = decodedJson(text);
    if (decoded === undefined) {
      scanner.scan(text, node, false, Infinity);
      return;
    }
    const stack: Entry[] = [];
    pushChildren(stack, { value: decoded, key: { decoded: true }, parent: node as Entry }, decoded);
    walker(stack, scanner, mayHold, now)(Infinity);
  };
  /** A text kept on its own (false: a long one ran out of time part-way; the scanner resumes it). */
  const searchSingle = (single: Single, deadline: number): boolean => {
    if (single.json) {
      searchJson(single.text, single.node);
      return true;
    }
    return scanner.scan(single.text, single.node, single.inKey, deadline);
  };
  // Where the search is: the part, the offset its next hit is looked for from, its next single.
  let at = 0;
  let from = 0;
  let next = 0;
  let lowered: string | undefined;
  const slice = (deadline: number): boolean => {
    if (!scanner.resume(deadline)) {
      return false;
    }
    for (; at < index.parts.length; at++, from = 0, next = 0, lowered = undefined) {
      const part = index.parts[at];
      lowered ??= caseSensitive ? part.text : part.text.toLowerCase();
      if (lowered.length !== part.text.length) {
        // Lower case changed the length here (U+0130): the part's texts one by one, as the walk does.
        lowered = undefined;
        searchEach(part, scanner, mayHold, searchJson, searchSingle);
        continue;
      }
      for (let work = 0; ; ) {
        // Found without the whole-word rule: in a string holding JSON, decoding can make a match whole.
        const hit = lowered.indexOf(needle, from);
        const i = hit < 0 ? part.starts.length : textAt(part.starts, hit);
        // The singles before the hit's text first, in document order.
        while (next < part.singleAt.length && part.singleAt[next] < i) {
          if (!searchSingle(part.singles[next++], deadline)) {
            return false;
          }
          work += 64;
        }
        if (hit < 0) {
          break;
        }
        if (part.json[i] === 1) {
          const end = textEnd(part, i);
          searchJson(part.text.slice(part.starts[i], end), part.nodes[i]);
          from = end;
          work += 64;
        } else if (wholeWord && !isWholeWord(part.text, hit, needle.length)) {
          from = hit + codePointLength(part.text, hit);
        } else {
          recorder.record(part.nodes[i], part.inKey[i] === 1, hit - part.starts[i], needle.length);
          from = hit + needle.length;
        }
        if (++work >= WORK_PER_CHECK) {
          work = 0;
          if (now() >= deadline) {
            return false;
          }
        }
      }
    }
    return true;
  };
  return runSearch(search, hooks, slice);
}

/** Where text `i` of `part` ends. */
function textEnd(part: Part, i: number): number {
  return i + 1 < part.starts.length ? part.starts[i + 1] - SEPARATOR.length : part.text.length;
}

/** The texts of a part searched one by one, as the walk searches values (each finished here, whatever the clock says). */
function searchEach(part: Part, scanner: TextScanner, mayHold: ((raw: string) => boolean) | undefined, searchJson: (text: string, node: PathNode) => void, searchSingle: (single: Single, deadline: number) => boolean): void {
  let next = 0;
  for (let i = 0; i < part.starts.length; i++) {
    if (next < part.singleAt.length && part.singleAt[next] === i) {
      if (!searchSingle(part.singles[next++], Infinity)) {
        scanner.resume(Infinity);
      }
      continue;
    }
    const text = part.text.slice(part.starts[i], textEnd(part, i));
    if (part.json[i] !== 1) {
      scanner.scan(text, part.nodes[i], part.inKey[i] === 1, Infinity);
    } else if (!mayHold || mayHold(text)) {
      searchJson(text, part.nodes[i]);
    }
  }
}

/** The index of the text that holds `offset`: the last start at or before it. */
function textAt(starts: Int32Array, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

/**
 * Find in the trace (issue 18), as the extension host runs it: a 50 MB generated trace with a word
 * put in 10,000 times, searched with the viewer's default options (case-insensitive) by
 * `findInTrace`, pacing itself with setImmediate as the panel does. Timed: to the first match
 * (what the page shows first) and to the total count. The floor is a plain `indexOf` scan of the
 * same trace's JSON text counting the word (case-sensitive, no walk, no options). The longest task
 * is the event loop's longest delay while the search runs (perf_hooks, 1 ms resolution).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { errorMessage } from '../src/core/errorMessage';
import type * as Search from '../src/core/viewer/traceSearch';
import { largeTraceText } from './lib/data';
import { NotMeasured, atMost, emit, ms, notMeasured, ratio } from './lib/report';
import { need, needExport } from './lib/paths';
import { median, runs, timeInterleaved } from './lib/stats';

const WORD = 'quokka';
const TIMES = 10_000;
const TARGET = 3;
const TASK_MS = 50;
const MEASURES = [
  'find: 50 MB trace, a word ×10,000, Match case — total count',
  'find: 50 MB trace, Match case — first match',
  'find: 50 MB trace — longest task',
  'find: 50 MB trace, ignoring case (the default) — total count',
];

/** The trace's raw roots with `WORD` appended to `TIMES` message texts spread over the conversation. */
function tracedRoots(): { roots: { key: string; value: unknown }[]; text: string } {
  const trace = JSON.parse(largeTraceText(50).text) as Record<string, unknown>;
  const { request_json: request, response_json: response, ...metadata } = trace;
  const messages = (request as { messages: { content?: unknown }[] }).messages;
  const plain = messages.filter((m) => typeof m.content === 'string' && !/^\s*[[{]/.test(m.content));
  if (plain.length === 0) {
    throw new NotMeasured('the generated trace has no plain-text messages');
  }
  for (let k = 0; k < TIMES; k++) {
    const m = plain[Math.floor((k * plain.length) / TIMES)];
    m.content = `${String(m.content)} ${WORD}`;
  }
  const roots = [
    { key: 'request', value: request },
    { key: 'response', value: response },
    { key: 'metadata', value: metadata },
  ];
  return { roots, text: JSON.stringify({ request, response, metadata }) };
}

function indexOfCount(text: string): number {
  let n = 0;
  for (let at = text.indexOf(WORD); at >= 0; at = text.indexOf(WORD, at + WORD.length)) {
    n++;
  }
  return n;
}

async function main(): Promise<void> {
  let search: typeof Search;
  let data: ReturnType<typeof tracedRoots>;
  try {
    search = { ...need<typeof Search>('src/core/viewer/traceSearch') };
    needExport('src/core/viewer/traceSearch', 'findInTrace');
    data = tracedRoots();
  } catch (e) {
    for (const m of MEASURES) {
      emit(notMeasured(m, errorMessage(e), m.endsWith('task') ? `≤ ${TASK_MS} ms` : `≤ ${TARGET}× floor`));
    }
    return;
  }
  const { roots, text } = data;
  const floorCount = indexOfCount(text);
  const firsts: number[] = [];
  const longest: number[] = [];
  const slices: number[] = [];
  let total = -1;
  const ours = (options: Search.FindOptions) => async () => {
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const t0 = performance.now();
    let first = Number.NaN;
    const result = await search.findInTrace(roots, WORD, options, {
      yieldNow: () => new Promise<void>((resolve) => setImmediate(resolve)),
      onFirst: () => {
        first = performance.now() - t0;
      },
    });
    loop.disable();
    firsts.push(first);
    longest.push(loop.max / 1e6);
    total = result.ok ? result.total : -1;
    slices.push(result.ok ? result.longestSliceMs : Number.NaN);
  };
  const n = runs(5);
  // Like with like: Match case against indexOf, the viewer's default (ignore case) against the
  // scan a person would write for it, lowering the text and then indexOf.
  const lowerCount = () => indexOfCount(text.toLowerCase());
  const measure = async (options: Search.FindOptions, floorFn: () => number) => {
    firsts.length = 0;
    longest.length = 0;
    slices.length = 0;
    const [ourRuns, floorRuns] = await timeInterleaved([ours(options), floorFn], n);
    // The warm-up run's figures are not kept.
    firsts.splice(0, firsts.length - n);
    longest.splice(0, longest.length - n);
    slices.splice(0, slices.length - n);
    return { value: median(ourRuns), floor: median(floorRuns), first: median(firsts), task: Math.max(...longest), slice: Math.max(...slices), total };
  };
  const exact = await measure({ caseSensitive: true }, () => indexOfCount(text));
  const exactTotal = total;
  const folded = await measure({}, lowerCount);
  const correct = exactTotal === TIMES && total === TIMES && floorCount === TIMES;
  const wrong = `not measured: counted ${exactTotal} and ${total}, indexOf ${floorCount}, put in ${TIMES}` as const;
  const mchars = (text.length / 1e6).toFixed(0);
  const floorText = `${ms(exact.floor)} (indexOf count over the ${mchars} M-character JSON text)`;
  emit({
    measure: MEASURES[0],
    value: ms(exact.value),
    floor: floorText,
    ratio: ratio(exact.value, exact.floor),
    target: `≤ ${TARGET}× floor`,
    verdict: correct ? atMost(exact.value / exact.floor, TARGET) : wrong,
    note: `find: findInTrace over the raw roots (keys, strings in 64 k windows, JSON in strings decoded) with Match case, as the floor's indexOf; 10 ms slices with setImmediate between; median of ${n} runs interleaved with the floor; ${exactTotal} matches.`,
  });
  emit({ measure: MEASURES[1], value: ms(exact.first), floor: floorText, ratio: ratio(exact.first, exact.floor), target: `≤ ${TARGET}× floor`, verdict: correct ? atMost(exact.first / exact.floor, TARGET) : wrong });
  emit({
    measure: MEASURES[3],
    value: ms(folded.value),
    floor: `${ms(folded.floor)} (toLowerCase of the JSON text, then indexOf)`,
    ratio: ratio(folded.value, folded.floor),
    target: `≤ ${TARGET}× floor`,
    verdict: correct ? atMost(folded.value / folded.floor, TARGET) : wrong,
  });
  const task = Math.max(exact.task, folded.task);
  emit({
    measure: MEASURES[2],
    value: ms(task),
    floor: '—',
    ratio: '—',
    target: `≤ ${TASK_MS} ms`,
    verdict: correct ? atMost(task, TASK_MS) : wrong,
    note: `find: the longest event-loop delay while a search ran (monitorEventLoopDelay, worst of ${n} runs of each; garbage collection pauses included); the search's own longest slice was ${ms(Math.max(exact.slice, folded.slice))}.`,
  });
}

void main();

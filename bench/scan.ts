/**
 * Step-ID scanning as the editor runs it: the hover's `stepIdAt` on a 10,000-character line, and
 * the document-link scan (`scanStepIdLines`, line by line as a TextDocument hands out lines; and
 * `findStepIds` on whole text, as terminal lines and other callers use it) on 1, 10 and 100 MB
 * generated logs. The floor is the fastest plain regex a person would write for a step ID (no
 * look-behinds, no escapes: `PLAIN_STEP_ID`), run with `matchAll` over the same text; the product's
 * own `STEP_ID_IN_TEXT` (with its boundary rules) is slower than that floor, so it is not the floor.
 */
import { errorMessage } from '../src/core/errorMessage';
import type * as StepIds from '../src/core/stepIds';
import { MB, generateLog } from './lib/data';
import { NotMeasured, atMost, emit, ms, notMeasured, ratio } from './lib/report';
import { need } from './lib/paths';
import { median, runs, timeInterleaved, timePaired } from './lib/stats';

const TARGET = 2;
/** What one would write: a step-ID (uuid4) between word boundaries, with none of the product's rules for escapes and identifiers. */
const PLAIN_STEP_ID = /\bstep-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\b/g;
const SIZES = [1, 10, 100];

function regexCount(re: RegExp, text: string): number {
  let n = 0;
  const it = text.matchAll(re);
  while (!it.next().done) {
    n++;
  }
  return n;
}

/** A long log line: key=value pairs, a JSON blob, two real IDs and look-alikes; 10,000 characters. */
function longLine(): { line: string; onId: number[]; offId: number[] } {
  const id1 = 'step-3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b';
  const id2 = 'step-0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';
  let line = '2026-03-14T09:26:53.412Z DEBUG [letta.agents] context=';
  let i = 0;
  while (line.length < 4800) {
    line += `{"message_id":"message-${String(i).padStart(8, '0')}","role":"tool","tokens":${i * 37 % 997},"note":"step ${i} of the loop xstep-3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b"} `;
    i++;
  }
  const first = line.length;
  line += `step_id=${id1} `;
  while (line.length < 9900) {
    line += `run_id=run-${String(i).padStart(8, '0')} STEP-3F2B1C9E-8A7D-4E6F-9B1A-2C3D4E5F6A7B step-by-step `;
    i++;
  }
  line = line.slice(0, 9900);
  const second = line.length + 1;
  line += ` ${id2} `;
  line = line.padEnd(10_000, '.');
  // Offsets where a hover lands: on each ID (start, middle, end), and on text with no ID.
  const onId = [first + 8, first + 28, first + 8 + 41, second, second + 20];
  const offId = [0, 100, 2500, 4700, 7000, 9000, 9990];
  return { line, onId, offId };
}

function hover(ids: typeof StepIds): void {
  const { line, onId, offId } = longLine();
  if (line.length !== 10_000) {
    throw new Error(`hover line is ${line.length} characters`);
  }
  const offsets = [...onId, ...offId];
  const expected = offsets.map((o) => ids.findStepIds(line).find((m) => m.start <= o && o <= m.start + ids.STEP_ID_LENGTH)?.id);
  const ours = offsets.map((o) => ids.stepIdAt(line, o)?.id);
  const agree = ours.every((v, k) => v === expected[k]);
  const regexAt = (o: number) => {
    for (const m of line.matchAll(PLAIN_STEP_ID)) {
      if (m.index <= o && o <= m.index + ids.STEP_ID_LENGTH) {
        return m[0];
      }
    }
    return undefined;
  };
  const reps = 2000;
  let sink = 0;
  const batch = (fn: (o: number) => unknown) => () => {
    for (let r = 0; r < reps; r++) {
      for (const o of offsets) {
        sink += fn(o) ? 1 : 0;
      }
    }
  };
  return void timePaired(batch((o) => ids.stepIdAt(line, o)), batch(regexAt), runs(7)).then((t) => {
    const per = (x: number[]) => median(x) / (reps * offsets.length);
    const value = per(t.a);
    const floor = per(t.b);
    emit({
      measure: 'hover: stepIdAt on a 10,000-char line',
      value: `${ms(value)}/call`,
      floor: `${ms(floor)}/call (regex over the line)`,
      ratio: ratio(value, floor),
      target: `≤ ${TARGET}× floor`,
      verdict: agree ? atMost(value / floor, TARGET) : 'not measured: stepIdAt disagrees with findStepIds on the test line',
      note: `hover: ${offsets.length} cursor offsets (on and off IDs) × ${reps}, median of ${runs(7)} batches (${sink > 0 ? 'IDs found' : 'no ID found'}).`,
    });
  });
}

async function links(ids: typeof StepIds): Promise<void> {
  for (const size of SIZES) {
    const log = generateLog(size * MB);
    // A TextDocument keeps lines; splitting is VS Code's cost, not the provider's.
    const lines = log.text.split('\n');
    const floorCount = regexCount(PLAIN_STEP_ID, log.text);
    const lineCount = ids.scanStepIdLines(lines.length, (i) => lines[i]).matches.length;
    const textCount = ids.findStepIds(log.text).length;
    const counts = `written ${log.ids}, regex ${floorCount}, lines scan ${lineCount}, text scan ${textCount}`;
    // The floor only times a scan: its looser rules may count other matches. Ours must find exactly what was written.
    const correct = lineCount === log.ids && textCount === log.ids;
    const n = runs(size >= 100 ? 3 : 5);
    // Counted above once; small logs get two more warm-up rounds, or the first size pays for the JIT.
    const [lineRuns, textRuns, floorRuns] = await timeInterleaved(
      [() => ids.scanStepIdLines(lines.length, (i) => lines[i]), () => ids.findStepIds(log.text), () => regexCount(PLAIN_STEP_ID, log.text)],
      n,
      size >= 100 ? 0 : 2,
    );
    const floor = median(floorRuns);
    for (const [what, t] of [
      ['document links (scanStepIdLines)', lineRuns],
      ['whole text (findStepIds)', textRuns],
    ] as const) {
      const value = median(t);
      emit({
        measure: `links: ${what}, ${size} MB log`,
        value: ms(value),
        floor: `${ms(floor)} (matchAll of a plain step-ID regex)`,
        ratio: ratio(value, floor),
        target: `≤ ${TARGET}× floor`,
        verdict: correct ? atMost(value / floor, TARGET) : `not measured: counts differ (${counts})`,
        note: what.startsWith('document') ? `links ${size} MB: ${log.lines} lines, ${log.ids} step IDs; counts: ${counts}; median of ${n} interleaved runs.` : undefined,
      });
    }
  }
}

async function main(): Promise<void> {
  let ids: typeof StepIds;
  try {
    ids = need<typeof StepIds>('src/core/stepIds');
    for (const name of ['stepIdAt', 'findStepIds', 'scanStepIdLines', 'STEP_ID_IN_TEXT'] as const) {
      if (ids[name] === undefined) {
        throw new NotMeasured(`src/core/stepIds.ts has no export ${name}`);
      }
    }
  } catch (e) {
    const why = errorMessage(e);
    emit(notMeasured('hover: stepIdAt on a 10,000-char line', why, `≤ ${TARGET}× floor`));
    for (const size of SIZES) {
      emit(notMeasured(`links: document links (scanStepIdLines), ${size} MB log`, why, `≤ ${TARGET}× floor`));
    }
    return;
  }
  hover(ids);
  await new Promise((r) => setTimeout(r, 0));
  await links(ids);
}

void main();

/**
 * Host-side work on a parsed trace, 10 and 50 MB: the normalisers (`normalizeTrace`) and the whole
 * viewer payload (`buildTraceData`: normalise + header summary + raw JSON text), each against
 * `JSON.parse` of the same trace text — the cost the host has already paid to hold the trace.
 */
import type * as Normalize from '../src/core/conversation/normalize';
import { errorMessage } from '../src/core/errorMessage';
import type * as Payload from '../src/core/viewer/tracePayload';
import type { ProviderTrace } from '../src/core/lettaTypes';
import { largeTraceText } from './lib/data';
import { emit, ms, notMeasured, ratio } from './lib/report';
import { need } from './lib/paths';
import { median, runs, timeInterleaved } from './lib/stats';

const SIZES = [10, 50];

async function main(): Promise<void> {
  let normalize: typeof Normalize.normalizeTrace | undefined;
  let payload: typeof Payload.buildTraceData | undefined;
  let whyNormalize = '';
  let whyPayload = '';
  try {
    normalize = need<typeof Normalize>('src/core/conversation/normalize').normalizeTrace;
  } catch (e) {
    whyNormalize = errorMessage(e);
  }
  try {
    payload = need<typeof Payload>('src/core/viewer/tracePayload').buildTraceData;
  } catch (e) {
    whyPayload = errorMessage(e);
  }
  for (const size of SIZES) {
    const { text, stepId } = largeTraceText(size);
    const trace = JSON.parse(text) as ProviderTrace;
    const fns: (() => unknown)[] = [() => JSON.parse(text)];
    if (normalize) {
      const n = normalize;
      fns.push(() => n(trace));
    }
    if (payload) {
      const p = payload;
      fns.push(() => p({ stepId, trace, source: { kind: 'server', origin: 'http://127.0.0.1' }, loadedAt: 0 }));
    }
    let messages = '';
    if (normalize) {
      const c = normalize(trace);
      messages = `${c.messages.length} messages, format ${c.format}`;
    }
    const n = runs(size >= 50 ? 3 : 5);
    const results = await timeInterleaved(fns, n);
    const floor = median(results[0]);
    const floorText = `${ms(floor)} (JSON.parse)`;
    let k = 1;
    if (normalize) {
      const value = median(results[k++]);
      emit({
        measure: `normalise ${size} MB trace (normalizeTrace)`,
        value: ms(value),
        floor: floorText,
        ratio: ratio(value, floor),
        target: '—',
        verdict: 'info',
        note: `normalise ${size} MB: ${messages}; median of ${n} interleaved runs.`,
      });
    } else {
      emit(notMeasured(`normalise ${size} MB trace (normalizeTrace)`, whyNormalize));
    }
    if (payload) {
      const value = median(results[k++]);
      emit({
        measure: `viewer payload ${size} MB (buildTraceData)`,
        value: ms(value),
        floor: floorText,
        ratio: ratio(value, floor),
        target: '—',
        verdict: 'info',
      });
    } else {
      emit(notMeasured(`viewer payload ${size} MB (buildTraceData)`, whyPayload));
    }
  }
}

void main();

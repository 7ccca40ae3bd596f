/**
 * Fetch and parse: from request to parsed trace for 1, 10 and 50 MB traces served by the fake Letta
 * server (own process, loopback), through our client as the extension builds it (official SDK over
 * the node-fetch transport, size cap and deadline), against a bare `fetch` + `JSON.parse` of the
 * same bytes from the same server, alternated run by run. Then the JSON cost pre-scan alone (the
 * depth/containers/values check the transport runs before JSON.parse) against JSON.parse of the
 * same 50 MB text, and against a deep body at the cap that it refuses.
 */
import * as http from 'node:http';
import type * as ClientModule from '../src/core/lettaClient';
import type * as TransportModule from '../src/core/httpTransport';
import type * as JsonCostModule from '../src/core/jsonCost';
import { largeTraceText, MB } from './lib/data';
import { NotMeasured, atMost, emit, mb, ms, notMeasured, ratio } from './lib/report';
import { need } from './lib/paths';
import { startBenchServer } from './lib/serverProcess';
import { median, runs, timePaired, timeRuns } from './lib/stats';

const SIZES = [1, 10, 50];
const RUNS: Record<number, number> = { 1: 9, 10: 7, 50: 5 };
const TARGET = 1.5;
const measureName = (size: number) => `fetch + parse ${size} MB trace (lettaClient.getTrace)`;
const SCAN_MEASURE = 'JSON cost pre-scan of a 50 MB trace (exceedsJsonLimits)';
const SCAN_TARGET = 0.3;

/** The pre-scan's share of a parse: it runs on every body, so it must stay a small part of JSON.parse. */
async function scanRow(): Promise<void> {
  let scan: typeof JsonCostModule.exceedsJsonLimits;
  let text: string;
  try {
    scan = need<typeof JsonCostModule>('src/core/jsonCost').exceedsJsonLimits;
    text = largeTraceText(50).text;
  } catch (e) {
    emit(notMeasured(SCAN_MEASURE, e instanceof Error ? e.message : String(e), `≤ ${SCAN_TARGET}× floor`));
    return;
  }
  let passed = true;
  const t = await timePaired(
    () => {
      passed &&= scan(text) === undefined;
    },
    () => JSON.parse(text),
    runs(9),
  );
  // What it saves: a body of 5 M nested arrays at 10 MB, refused in the scan instead of parsed.
  const deep = '['.repeat(5 * MB) + ']'.repeat(5 * MB);
  const refused = median(await timeRuns(() => scan(deep), runs(5)));
  const parsed = median(await timeRuns(() => JSON.parse(deep), runs(2), 0));
  const value = median(t.a);
  const base = median(t.b);
  emit({
    measure: SCAN_MEASURE,
    value: ms(value),
    floor: `${ms(base)} (JSON.parse)`,
    ratio: ratio(value, base),
    target: `≤ ${SCAN_TARGET}× floor`,
    verdict: passed ? atMost(value / base, SCAN_TARGET) : 'not measured: the scan refused a real trace',
    note: `pre-scan of ${mb(text.length)} of trace text, median of ${t.a.length} runs alternated with JSON.parse; 10 MB of nested arrays is refused in ${ms(refused)}, where JSON.parse takes ${ms(parsed)}.`,
  });
}

/** The plainest read: one GET with http.get, chunks joined, JSON.parse. For the notes. */
function httpGetParse(url: string, key: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { authorization: `Bearer ${key}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function main(): Promise<void> {
  let client: ClientModule.LettaClientOptions extends never ? never : ReturnType<typeof ClientModule.createLettaClient>;
  let server;
  try {
    const { createLettaClient } = need<typeof ClientModule>('src/core/lettaClient');
    const { nodeFetch } = need<typeof TransportModule>('src/core/httpTransport');
    server = await startBenchServer(SIZES);
    // As the extension's API provider builds it, with the settings' defaults (30 s, 100 MB).
    client = createLettaClient({ baseUrl: server.url, apiKey: server.apiKey, timeoutMs: 30_000, maxBodyBytes: 100 * MB, fetch: nodeFetch });
  } catch (e) {
    const why = e instanceof NotMeasured || e instanceof Error ? e.message : String(e);
    for (const size of SIZES) {
      emit(notMeasured(measureName(size), why, `≤ ${TARGET}× floor`));
    }
    await scanRow();
    return;
  }
  try {
    for (const size of SIZES) {
      const stepId = server.steps[size];
      const url = `${server.url}/v1/steps/${stepId}/trace`;
      const headers = { authorization: `Bearer ${server.apiKey}` };
      let checked = false;
      const ours = async () => {
        const trace = await client.getTrace(stepId);
        if (!checked) {
          checked = trace.step_id === stepId;
        }
      };
      const floor = async () => {
        // One retry, as the SDK does: the server may close an idle keep-alive socket as a request goes out.
        for (let attempt = 0; ; attempt++) {
          try {
            const res = await fetch(url, { headers });
            JSON.parse(await res.text());
            return;
          } catch (e) {
            if (attempt > 0) {
              throw e;
            }
          }
        }
      };
      const n = runs(RUNS[size]);
      const t = await timePaired(ours, floor, n);
      const plain = await timePaired(() => httpGetParse(url, server.apiKey), floor, Math.min(n, 3), 0);
      const value = median(t.a);
      const base = median(t.b);
      emit({
        measure: measureName(size),
        value: ms(value),
        floor: `${ms(base)} (fetch + JSON.parse)`,
        ratio: ratio(value, base),
        target: `≤ ${TARGET}× floor`,
        verdict: checked ? atMost(value / base, TARGET) : 'not measured: the client returned a different trace',
        note:
          `fetch ${size} MB (${mb(server.bytes[size])} on the wire), median of ${n} alternated runs: ours − floor = ${ms(value - base)}; ` +
          `the server sends pre-serialised text (its JSON.stringify, ${ms(server.serializeMs[size])}, is kept out); http.get + JSON.parse: ${ms(median(plain.a))}.`,
      });
    }
  } finally {
    server.stop();
  }
  await scanRow();
}

void main().then(
  () => setTimeout(() => process.exit(0), 100),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

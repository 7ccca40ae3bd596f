/**
 * Generated benchmark data: large traces (the normalisers' `buildLargeTrace`, cached as JSON text
 * in `.bench/` because a 50 MB one takes seconds to build) and realistic logs with step IDs and
 * look-alikes for the link scanners. Deterministic, so every run scans the same bytes.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Builders from '../../test/fixtures/builders';
import { CACHE, OUT, need } from './paths';

export const MB = 1024 * 1024;

/** The JSON text of a generated trace of about `mb` megabytes, and its step ID. */
export function largeTraceText(mb: number): { text: string; stepId: string; bytes: number } {
  const builders = need<typeof Builders>('test/fixtures/builders');
  const version = createHash('sha1')
    .update(fs.readFileSync(path.join(OUT, 'test/fixtures/builders.js')))
    .digest('hex')
    .slice(0, 10);
  fs.mkdirSync(CACHE, { recursive: true });
  const file = path.join(CACHE, `trace-${mb}mb-${version}.json`);
  let text: string;
  if (fs.existsSync(file)) {
    text = fs.readFileSync(file, 'utf8');
  } else {
    for (const old of fs.readdirSync(CACHE).filter((f) => f.startsWith(`trace-${mb}mb-`))) {
      fs.rmSync(path.join(CACHE, old), { force: true });
    }
    text = JSON.stringify(builders.buildLargeTrace(mb * MB));
    fs.writeFileSync(file, text);
  }
  const stepId = /"step_id":"(step-[0-9a-f-]{36})"/.exec(text)?.[1];
  if (!stepId) {
    throw new Error(`generated ${mb} MB trace has no step_id`);
  }
  return { text, stepId, bytes: Buffer.byteLength(text) };
}

/** How a generated log is made; the counts are what the scanners should find. */
export interface GeneratedLog {
  text: string;
  /** Real step IDs written into the log (the scanners must find exactly these many). */
  ids: number;
  lines: number;
}

/**
 * About `bytes` of a server/agent log: timestamped lines from several loggers, ~6% carrying a real
 * step ID (as `step_id=…`, in JSON, in a URL, quoted), ~5% a look-alike that must not match
 * (upper case, wrong UUID version, glued to a longer token, truncated), the rest plain text that
 * mentions "step" often, as real logs do.
 */
export function generateLog(bytes: number, seed = 7): GeneratedLog {
  const rand = need<typeof Builders>('test/fixtures/builders').rng(seed);
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) {
      s += '0123456789abcdef'[Math.floor(rand() * 16)];
    }
    return s;
  };
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(rand() * 4)]}${hex(3)}-${hex(12)}`;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const loggers = ['letta.server.rest_api', 'letta.agents.letta_agent', 'letta.llm_api.openai_client', 'uvicorn.access', 'letta.services.step_manager', 'worker.queue'];
  const levels = ['INFO', 'INFO', 'INFO', 'DEBUG', 'DEBUG', 'WARNING', 'ERROR'];
  const plain = [
    'Processing step 3 of 10 for agent loop (heartbeat requested)',
    'Rebuilt context window: 31 messages, 18234 tokens, summariser not needed',
    'Tool call archival_memory_search returned 7 results in 212ms',
    'step-by-step reasoning enabled for this agent; max steps 50',
    'LLM request sent to https://api.openai.com/v1/chat/completions model=gpt-4.1-mini stream=false',
    'Retrying request after 429 Too Many Requests (attempt 2 of 3, backoff 1.5s)',
    'Persisted 4 messages; last_run_completion updated; stop_reason=end_turn',
    'GET /v1/agents?limit=50 HTTP/1.1 200 OK',
    'Memory block "human" updated (412 chars); rebuilding system prompt',
    'Run completed with status=completed usage={"prompt_tokens": 3187, "completion_tokens": 74}',
  ];
  const real = [
    (id: string) => `Step finished step_id=${id} status=success duration_ms=${Math.floor(rand() * 9000)}`,
    (id: string) => `{"event": "step_completed", "step_id": "${id}", "agent_id": "agent-${uuid()}", "tokens": ${Math.floor(rand() * 20000)}}`,
    (id: string) => `"GET /v1/steps/${id}/trace HTTP/1.1" 200 OK`,
    (id: string) => `Provider trace written for ${id} (${Math.floor(rand() * 900)} KB)`,
    (id: string) => `error in step '${id}': tool execution timed out after 30s`,
  ];
  const fake = [
    () => `step-${uuid().toUpperCase()} rejected: upper-case id from legacy client`,
    () => `legacy id step-${hex(8)}-${hex(4)}-1${hex(3)}-8${hex(3)}-${hex(12)} (uuid v1) ignored`,
    () => `cache key xstep-${uuid()} evicted`,
    () => `span step-${uuid()}-retry scheduled`,
    () => `truncated step-${hex(8)}-${hex(4)} in message preview`,
    () => `run_id=run-${uuid()} message_id=message-${uuid()}`,
  ];
  const parts: string[] = [];
  let size = 0;
  let ids = 0;
  let lines = 0;
  const start = Date.UTC(2026, 2, 14, 9, 0, 0);
  while (size < bytes) {
    const r = rand();
    let body: string;
    if (r < 0.06) {
      body = pick(real)(`step-${uuid()}`);
      ids++;
    } else if (r < 0.11) {
      body = pick(fake)();
    } else {
      body = pick(plain);
    }
    const line = `${new Date(start + lines * 37).toISOString()} ${pick(levels).padEnd(7)} [${pick(loggers)}] ${body}\n`;
    parts.push(line);
    size += line.length;
    lines++;
  }
  return { text: parts.join(''), ids, lines };
}

/**
 * Nothing is dropped without a word: over every real-world payload (test/fixtures/realworld) and
 * every fixture of our own, each readable text of the request and the response appears somewhere
 * in the normalised conversation: a part, a tool definition, a labelled JSON part, a parameter, a
 * note, the error, the finish message.
 *
 * "Readable" means natural language, a person's or a model's words: a string with at least two
 * words of two or more letters, apart by white space. That leaves out what is not meant to be read
 * and what the viewer shows only as a placeholder or an ID: signatures and encrypted reasoning,
 * base64 data (images, audio, files), IDs, enum-like tokens (`STOP`, `end_turn`), model names and
 * bare URLs (a URL is checked where it matters, in the citation tests). Strings that are JSON text
 * (tool-call arguments) are parsed and their strings checked instead. Two keys are left out on
 * purpose, each with a note or a placeholder the viewer shows: Gemini's `renderedContent` (HTML of
 * the search widget, never rendered as markup) and credentials (`authorization_token`, `headers`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeTrace } from '../../src/core/conversation/normalize';
import { loadFixtureTraces, loadRealWorldManifest, loadRealWorldTraces } from '../fixtures/fixtures';

const WORDS = /\p{L}{2,}\s+\p{L}{2,}/u;
const LEFT_OUT_KEYS = new Set(['renderedContent', 'rendered_content', 'authorization_token', 'headers']);
const OPAQUE_KEYS = new Set(['signature', 'thoughtSignature', 'thought_signature', 'encrypted_content', 'encrypted_index', 'encryptedContent']);

/** The readable strings of a payload, with the path where each was found (for the failure message). */
export function readableStrings(value: unknown, at = '$', out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && trimmed.length < 1_000_000) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (parsed !== null && typeof parsed === 'object') {
          return readableStrings(parsed, `${at}<json>`, out);
        }
      } catch {
        // not JSON: checked as text
      }
    }
    if (WORDS.test(value)) {
      out.push([at, value]);
    }
    return out;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => readableStrings(v, `${at}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!LEFT_OUT_KEYS.has(k) && !OPAQUE_KEYS.has(k)) {
        readableStrings(v, `${at}.${k}`, out);
      }
    }
  }
  return out;
}

/** Every string anywhere in the conversation (JSON parts and parameters included), and JSON text parsed. */
function shownStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    out.push(value);
  } else if (Array.isArray(value)) {
    value.forEach((v) => shownStrings(v, out));
  } else if (value !== null && typeof value === 'object') {
    Object.values(value).forEach((v) => shownStrings(v, out));
  }
  return out;
}

function dropped(trace: { request_json: unknown; response_json: unknown }): string[] {
  const conversation = normalizeTrace(trace);
  const shown = shownStrings(conversation);
  const exact = new Set(shown);
  const all = shown.join('\u0000');
  const missing: string[] = [];
  for (const side of ['request_json', 'response_json'] as const) {
    for (const [at, text] of readableStrings(trace[side], side)) {
      if (!exact.has(text) && !all.includes(text)) {
        missing.push(`${at}: ${JSON.stringify(text.slice(0, 100))}`);
      }
    }
  }
  return missing;
}

describe('fidelity: nothing readable is dropped', () => {
  it('the corpus holds at least 30 real payloads, five or more per provider format, each with its source and licence', () => {
    const sources = loadRealWorldManifest();
    assert.ok(sources.length >= 30, `${sources.length} payloads`);
    for (const s of sources) {
      assert.ok(s.repository && /^[0-9a-f]{40}$/.test(s.commit) && s.path && s.licence, s.file);
    }
    const perFormat = new Map<string, number>();
    sources.forEach((s) => perFormat.set(s.format, (perFormat.get(s.format) ?? 0) + 1));
    for (const format of ['openai-chat', 'openai-responses', 'anthropic', 'google']) {
      assert.ok((perFormat.get(format) ?? 0) >= 5, `${format}: ${perFormat.get(format) ?? 0}`);
    }
  });

  for (const { name, trace } of loadRealWorldTraces()) {
    it(`real payload ${name}: every readable text is shown`, () => {
      assert.deepEqual(dropped(trace), []);
    });
  }
  for (const { name, trace } of loadFixtureTraces()) {
    it(`fixture ${name}: every readable text is shown`, () => {
      assert.deepEqual(dropped(trace), []);
    });
  }

  it('the check itself finds a dropped text: a Gemini finishMessage removed from what is shown is missed', () => {
    const trace = { request_json: { contents: [] }, response_json: { candidates: [{ content: { parts: [] }, finishMessage: 'The model stopped for a stated reason.' }] } };
    assert.deepEqual(dropped(trace), []);
    assert.equal(readableStrings({ signature: 'Two words here', data: 'aGVsbG8gd29ybGQ=' }).length, 0);
    assert.deepEqual(readableStrings({ args: '{"q": "two words"}' }), [['$.args<json>.q', 'two words']]);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizeResponseSide, normalizeTrace } from '../../src/core/conversation/normalize';
import type { Conversation, Part } from '../../src/core/conversation/model';

const FORMATS = ['openai-chat', 'openai-responses', 'anthropic', 'google', 'letta-stream', 'unknown'];
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'];

function isCount(n: unknown): boolean {
  return typeof n === 'number' && Number.isFinite(n);
}

function assertPart(p: Part, path: string): void {
  assert.equal(typeof p, 'object', path);
  switch (p.kind) {
    case 'text':
    case 'thinking':
      assert.equal(typeof p.text, 'string', path);
      break;
    case 'image':
      assert.ok(p.bytes === undefined || (isCount(p.bytes) && p.bytes >= 0), path);
      assert.ok(p.mediaType === undefined || typeof p.mediaType === 'string', path);
      assert.ok(p.url === undefined || typeof p.url === 'string', path);
      break;
    case 'tool-call':
      assert.equal(typeof p.name, 'string', path);
      assert.ok(p.id === undefined || typeof p.id === 'string', path);
      break;
    case 'tool-result':
      assert.ok(Array.isArray(p.content), path);
      p.content.forEach((c, i) => assertPart(c, `${path}.content[${i}]`));
      break;
    case 'json':
      assert.equal(typeof p.label, 'string', path);
      break;
    default:
      assert.fail(`${path}: unknown part kind ${JSON.stringify((p as { kind: unknown }).kind)}`);
  }
}

/** The invariants every consumer relies on, whatever went in. */
function assertWellFormed(c: Conversation): void {
  assert.ok(FORMATS.includes(c.format));
  assert.equal(typeof c.formatLabel, 'string');
  assert.ok(Array.isArray(c.messages) && Array.isArray(c.tools) && Array.isArray(c.output) && Array.isArray(c.notes));
  assert.ok(c.parameters !== null && typeof c.parameters === 'object' && !Array.isArray(c.parameters));
  for (const [list, name] of [[c.messages, 'messages'], [c.output, 'output']] as const) {
    list.forEach((m, i) => {
      assert.ok(ROLES.includes(m.role), `${name}[${i}].role ${m.role}`);
      assert.ok(Array.isArray(m.parts));
      m.parts.forEach((p, j) => assertPart(p, `${name}[${i}].parts[${j}]`));
    });
  }
  for (const t of c.tools) {
    assert.equal(typeof t.name, 'string');
  }
  for (const n of c.notes) {
    assert.equal(typeof n, 'string');
  }
  if (c.usage) {
    for (const v of Object.values(c.usage)) {
      assert.ok(isCount(v));
    }
  }
  if (c.error) {
    assert.equal(typeof c.error.message, 'string');
  }
  assert.ok(c.finishReason === undefined || typeof c.finishReason === 'string');
  assert.ok(c.model === undefined || typeof c.model === 'string');
  // the webview receives it by postMessage
  assert.doesNotThrow(() => structuredClone(c));
}

const junk = fc.jsonValue({ maxDepth: 3 });
/** The expected shape most of the time, random JSON the rest. */
function maybe<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: junk });
}
function rec(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(fields, { requiredKeys: [] });
}
const role = fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool', 'function', 'model', 'narrator');
const args = fc.oneof(fc.json(), fc.string(), junk);
const b64 = fc.base64String({ maxLength: 64 });
const url = fc.oneof(fc.webUrl(), b64.map((d) => `data:image/png;base64,${d}`), fc.string());

const chatPart = rec({ type: maybe(fc.constantFrom('text', 'image_url', 'refusal', 'file', 'input_audio', 'other')), text: maybe(fc.string()), image_url: maybe(fc.oneof(url, rec({ url: maybe(url) }))) });
const chatRequest = rec({
  model: maybe(fc.string()),
  messages: maybe(fc.array(maybe(rec({
    role: maybe(role),
    name: maybe(fc.string()),
    content: maybe(fc.oneof(fc.string(), fc.constant(null), fc.array(maybe(chatPart), { maxLength: 4 }))),
    tool_calls: maybe(fc.array(maybe(rec({ id: maybe(fc.string()), type: fc.constant('function'), function: maybe(rec({ name: maybe(fc.string()), arguments: maybe(args) })) })), { maxLength: 3 })),
    tool_call_id: maybe(fc.string()),
    function_call: maybe(rec({ name: maybe(fc.string()), arguments: maybe(args) })),
  })), { maxLength: 6 })),
  tools: maybe(fc.array(maybe(rec({ type: fc.constant('function'), function: maybe(rec({ name: maybe(fc.string()), description: maybe(fc.string()), parameters: junk })) })), { maxLength: 3 })),
  temperature: maybe(fc.double()),
  max_completion_tokens: maybe(fc.integer()),
});
const chatResponse = rec({
  choices: maybe(fc.array(maybe(rec({ message: maybe(rec({ role: maybe(role), content: maybe(fc.string()), tool_calls: maybe(fc.array(junk)), reasoning_content: maybe(fc.string()) })), finish_reason: maybe(fc.string()) })), { maxLength: 2 })),
  usage: maybe(rec({ prompt_tokens: maybe(fc.integer()), completion_tokens: maybe(fc.double()), prompt_tokens_details: maybe(rec({ cached_tokens: maybe(fc.integer()) })) })),
});

const respItem = rec({
  type: maybe(fc.constantFrom('message', 'reasoning', 'function_call', 'function_call_output', 'web_search_call', 'custom_tool_call')),
  role: maybe(role),
  content: maybe(fc.oneof(fc.string(), fc.array(maybe(rec({ type: maybe(fc.constantFrom('input_text', 'output_text', 'input_image', 'refusal', 'x')), text: maybe(fc.string()), image_url: maybe(url) })), { maxLength: 3 }))),
  summary: maybe(fc.array(maybe(rec({ type: fc.constant('summary_text'), text: maybe(fc.string()) })), { maxLength: 2 })),
  call_id: maybe(fc.string()),
  name: maybe(fc.string()),
  arguments: maybe(args),
  output: maybe(fc.oneof(fc.string(), junk)),
});
const responsesRequest = rec({ model: maybe(fc.string()), input: maybe(fc.oneof(fc.string(), fc.array(maybe(respItem), { maxLength: 6 }))), instructions: maybe(fc.string()), reasoning: junk, tools: maybe(fc.array(junk, { maxLength: 3 })) });
const responsesResponse = rec({ object: fc.constant('response'), output: maybe(fc.array(maybe(respItem), { maxLength: 4 })), status: maybe(fc.string()), incomplete_details: maybe(rec({ reason: maybe(fc.string()) })), usage: maybe(rec({ input_tokens: maybe(fc.integer()), output_tokens_details: junk })) });

const anthropicBlock: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  block: maybe(rec({
    type: maybe(fc.constantFrom('text', 'image', 'thinking', 'redacted_thinking', 'tool_use', 'tool_result', 'document', 'web_search_tool_result')),
    text: maybe(fc.string()),
    thinking: maybe(fc.string()),
    source: maybe(rec({ type: maybe(fc.constantFrom('base64', 'url')), media_type: maybe(fc.string()), data: maybe(b64), url: maybe(url) })),
    id: maybe(fc.string()),
    name: maybe(fc.string()),
    input: junk,
    tool_use_id: maybe(fc.string()),
    content: maybe(fc.oneof(fc.string(), fc.array(tie('block'), { maxLength: 2 }))),
    is_error: maybe(fc.boolean()),
  })),
})).block;
const anthropicRequest = rec({
  model: maybe(fc.string()),
  system: maybe(fc.oneof(fc.string(), fc.array(anthropicBlock, { maxLength: 2 }))),
  messages: maybe(fc.array(maybe(rec({ role: maybe(role), content: maybe(fc.oneof(fc.string(), fc.array(anthropicBlock, { maxLength: 4 }))) })), { maxLength: 5 })),
  tools: maybe(fc.array(maybe(rec({ name: maybe(fc.string()), input_schema: junk })), { maxLength: 3 })),
  thinking: maybe(rec({ type: fc.constant('enabled'), budget_tokens: maybe(fc.integer()) })),
});
const anthropicResponse = rec({ type: fc.constant('message'), role: maybe(role), content: maybe(fc.array(anthropicBlock, { maxLength: 4 })), stop_reason: maybe(fc.string()), usage: maybe(rec({ input_tokens: maybe(fc.integer()), cache_read_input_tokens: maybe(fc.integer()) })) });

const googlePart = maybe(rec({
  text: maybe(fc.string()),
  thought: maybe(fc.boolean()),
  function_call: maybe(rec({ name: maybe(fc.string()), args: junk })),
  functionCall: maybe(rec({ name: maybe(fc.string()), args: junk, id: maybe(fc.string()) })),
  function_response: maybe(rec({ name: maybe(fc.string()), response: junk })),
  inline_data: maybe(rec({ mime_type: maybe(fc.string()), data: maybe(b64) })),
  fileData: maybe(rec({ mimeType: maybe(fc.string()), fileUri: maybe(url) })),
}));
const googleContent = maybe(rec({ role: maybe(role), parts: maybe(fc.array(googlePart, { maxLength: 3 })) }));
const googleRequest = rec({
  contents: maybe(fc.oneof(fc.string(), fc.array(googleContent, { maxLength: 5 }))),
  config: maybe(rec({ temperature: maybe(fc.double()), system_instruction: maybe(fc.oneof(fc.string(), googleContent)), tools: maybe(fc.array(maybe(rec({ function_declarations: maybe(fc.array(junk, { maxLength: 2 })) })), { maxLength: 2 })) })),
});
const googleResponse = rec({
  candidates: maybe(fc.array(maybe(rec({ content: googleContent, finish_reason: maybe(fc.string()), finishReason: maybe(fc.string()) })), { maxLength: 2 })),
  usage_metadata: maybe(rec({ prompt_token_count: maybe(fc.integer()), thoughts_token_count: maybe(fc.integer()) })),
  usageMetadata: maybe(rec({ totalTokenCount: maybe(fc.integer()) })),
});

const jsonText = (arb: fc.Arbitrary<unknown>) => fc.oneof(arb.map((v) => JSON.stringify(v) ?? 'null'), fc.string());
const lettaStreamResponse = rec({
  content: maybe(rec({
    tool_call: maybe(fc.oneof(fc.constant(null), jsonText(rec({ id: maybe(fc.string()), function: maybe(rec({ name: maybe(fc.string()), arguments: maybe(args) })), name: maybe(fc.string()), input: junk })))),
    reasoning: maybe(fc.array(jsonText(rec({ type: maybe(fc.constantFrom('reasoning', 'redacted_reasoning', 'omitted_reasoning', 'text', 'x')), reasoning: maybe(fc.string()), text: maybe(fc.string()) })), { maxLength: 3 })),
    content: maybe(fc.array(jsonText(rec({ type: maybe(fc.constantFrom('text', 'reasoning', 'x')), text: maybe(fc.string()) })), { maxLength: 3 })),
  })),
  model: maybe(fc.string()),
  usage: maybe(rec({ input_tokens: maybe(fc.integer()), output_tokens: maybe(fc.integer()) })),
});
const failedResponse = rec({ error: maybe(fc.oneof(fc.string(), rec({ message: maybe(fc.string()), type: maybe(fc.string()) }))), error_type: maybe(fc.string()) });

const anyRequest = fc.oneof(chatRequest, responsesRequest, anthropicRequest, googleRequest, junk);
const anyResponse = fc.oneof(chatResponse, responsesResponse, anthropicResponse, googleResponse, lettaStreamResponse, failedResponse, junk);

/** Every property of every object and array in `value` (the root's included), as [owner, key]. */
function fieldsOf(value: unknown): [Record<string, unknown>, string][] {
  const fields: [Record<string, unknown>, string][] = [];
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'object' && v !== null) {
      const owner = v as Record<string, unknown>;
      for (const key of Object.keys(owner)) {
        fields.push([owner, key]);
        stack.push(owner[key]);
      }
    }
  }
  return fields;
}

describe('normalizeTrace: properties', () => {
  it('never throws on arbitrary JSON and always returns a well-formed conversation', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.jsonValue(), (req, res, llm) => {
        assertWellFormed(normalizeTrace({ request_json: req, response_json: res, llm_config: llm }));
      }),
      { numRuns: 500 },
    );
  });

  const shaped: [string, fc.Arbitrary<unknown>, fc.Arbitrary<unknown>][] = [
    ['openai-chat', chatRequest, chatResponse],
    ['openai-responses', responsesRequest, responsesResponse],
    ['anthropic', anthropicRequest, anthropicResponse],
    ['google', googleRequest, googleResponse],
    ['letta-stream', fc.oneof(chatRequest, anthropicRequest), lettaStreamResponse],
    ['failed', anyRequest, failedResponse],
  ];
  for (const [name, request, response] of shaped) {
    it(`never throws on ${name}-shaped traces with junk in the fields`, () => {
      fc.assert(
        fc.property(request, response, (req, res) => {
          assertWellFormed(normalizeTrace({ request_json: req, response_json: res, llm_config: { model: 'm' } }));
        }),
        { numRuns: 400 },
      );
    });
  }

  it('never throws on any request paired with any response', () => {
    fc.assert(
      fc.property(anyRequest, anyResponse, (req, res) => {
        assertWellFormed(normalizeTrace({ request_json: req, response_json: res }));
      }),
      { numRuns: 400 },
    );
  });

  it('never throws when reading any one field fails (a normaliser bug), and says so; nor does the response side alone', () => {
    fc.assert(
      fc.property(anyRequest, anyResponse, fc.nat(), (req, res, n) => {
        const trace = { request_json: structuredClone(req), response_json: structuredClone(res), llm_config: { model: 'm' } };
        const fields = fieldsOf(trace);
        const [owner, key] = fields[n % fields.length];
        const value = owner[key];
        // The first read of this one field by the normaliser throws, as a bug on an odd shape would.
        let armed = true;
        let thrown = false;
        Object.defineProperty(owner, key, {
          enumerable: true,
          configurable: true,
          get() {
            if (armed && !thrown) {
              thrown = true;
              throw new Error('boom');
            }
            return value;
          },
        });
        const c = normalizeTrace(trace);
        armed = false;
        assertWellFormed(c);
        if (thrown) {
          // Told in a note (or, inside an error object, shown as unreadable): never silently dropped.
          assert.ok(c.notes.some((note) => note.includes('could not be read (boom)')) || c.error?.message === 'Unreadable error', JSON.stringify(c.notes));
        }
        // The response side alone (hover and tree summaries) never throws either.
        const response = trace.response_json;
        armed = true;
        thrown = false;
        const side = normalizeResponseSide(response);
        armed = false;
        assert.ok(side === undefined || Array.isArray(side.output));
      }),
      { numRuns: 400 },
    );
  });

  it('recognises well-shaped messages of each format', () => {
    // a minimal valid request of each format is never `unknown`, whatever the message text; a
    // `messages` request with nothing only one provider has is a tie, named as such, never a guess
    fc.assert(
      fc.property(fc.string(), (s) => {
        const tie = normalizeTrace({ request_json: { messages: [{ role: 'user', content: s }] }, response_json: {} });
        assert.equal(tie.format, 'unknown');
        assert.equal(tie.formatLabel, 'Unknown format (looks like OpenAI Chat Completions or Anthropic Messages)');
        assert.equal(normalizeTrace({ request_json: { messages: [{ role: 'user', content: s }] }, response_json: { choices: [] } }).format, 'openai-chat');
        assert.equal(normalizeTrace({ request_json: { messages: [{ role: 'user', content: s }] }, response_json: { type: 'message', content: [] } }).format, 'anthropic');
        assert.equal(normalizeTrace({ request_json: { messages: [{ role: 'user', content: s }], max_completion_tokens: 5 }, response_json: {} }).format, 'openai-chat');
        assert.equal(normalizeTrace({ request_json: { system: s, messages: [{ role: 'user', content: [{ type: 'text', text: s }] }] }, response_json: {} }).format, 'anthropic');
        assert.equal(normalizeTrace({ request_json: { input: s }, response_json: {} }).format, 'openai-responses');
        assert.equal(normalizeTrace({ request_json: { contents: [{ role: 'user', parts: [{ text: s }] }] }, response_json: {} }).format, 'google');
        const c = normalizeTrace({ request_json: { messages: [{ role: 'user', content: s }] }, response_json: {} });
        assert.deepEqual(c.messages[0].parts, s === '' ? [] : [{ kind: 'text', text: s }]);
      }),
      { numRuns: 200 },
    );
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeTrace } from '../../src/core/conversation/normalize';
import type { Conversation, Message, Part } from '../../src/core/conversation/model';
import { buildDeepJson, buildHostileStrings, buildLargeTrace } from '../fixtures/builders';
import { FIXTURE_NAMES, loadFixtureTrace, loadFixtureTraces, readFixtureText } from '../fixtures/fixtures';

// Tests index deep into fixture JSON whose shape they know; `any` keeps that readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Req = Record<string, any>;

function partsOf(messages: Message[], kind: Part['kind']): Part[] {
  return messages.flatMap((m) => m.parts.filter((p) => p.kind === kind));
}
function toolCalls(messages: Message[]) {
  return partsOf(messages, 'tool-call') as Extract<Part, { kind: 'tool-call' }>[];
}
function toolResults(messages: Message[]) {
  return partsOf(messages, 'tool-result') as Extract<Part, { kind: 'tool-result' }>[];
}
function text(message: Message): string {
  return message.parts.map((p) => (p.kind === 'text' || p.kind === 'thinking' ? p.text : '')).join('');
}
/** Every tool result answers a call made earlier in the request, with that call's name (Gemini links by name only). */
function assertResultsLinked(c: Conversation) {
  const calls = new Map(toolCalls(c.messages).map((p) => [p.id, p.name]));
  const results = toolResults(c.messages);
  assert.ok(results.length > 0);
  if (c.format === 'google') {
    const names = new Set(toolCalls(c.messages).map((p) => p.name));
    assert.ok(results.every((r) => r.toolCallId === undefined && r.name !== undefined && names.has(r.name)));
    return;
  }
  for (const r of results) {
    assert.ok(r.toolCallId && calls.has(r.toolCallId), `result ${r.toolCallId} has a call`);
    assert.equal(r.name, calls.get(r.toolCallId));
  }
}
const TOOL_NAMES = ['send_message', 'core_memory_append', 'archival_memory_search', 'conversation_search'];

describe('fixtures', () => {
  it('are all present, with valid unique step IDs', () => {
    const all = loadFixtureTraces();
    assert.deepEqual(all.map((f) => f.name).sort(), [...FIXTURE_NAMES].sort());
    const ids = all.map((f) => f.trace.step_id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) {
      assert.match(String(id), /^step-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

describe('normalizeTrace: OpenAI Chat Completions', () => {
  const trace = loadFixtureTrace('openai-chat');
  const req = trace.request_json as Req;
  const c = normalizeTrace(trace);

  it('detects the format and the model', () => {
    assert.equal(c.format, 'openai-chat');
    assert.equal(c.requestFormat, 'openai-chat');
    assert.equal(c.responseFormat, 'openai-chat');
    assert.equal(c.formatLabel, 'OpenAI Chat Completions');
    assert.equal(c.model, 'gpt-4.1-mini');
    assert.deepEqual(c.notes, []);
  });
  it('keeps roles in order, the system prompt first', () => {
    assert.deepEqual(c.messages.map((m) => m.role), req.messages.map((m: Req) => m.role));
    assert.equal(text(c.messages[0]), req.messages[0].content);
    assert.match(text(c.messages[0]), /<memory_blocks>/);
  });
  it('parses tool-call arguments and links results by ID', () => {
    const calls = toolCalls(c.messages);
    assert.deepEqual(calls.map((p) => p.name), ['send_message', 'archival_memory_search']);
    assert.deepEqual(calls[1].arguments, JSON.parse(req.messages[5].tool_calls[0].function.arguments));
    assertResultsLinked(c);
    const last = toolResults(c.messages).at(-1)!;
    assert.deepEqual(last.content, [{ kind: 'text', text: req.messages[6].content }]);
  });
  it('lists tools and parameters', () => {
    assert.deepEqual(c.tools.map((t) => t.name), TOOL_NAMES);
    assert.deepEqual(c.tools[0].parameters, req.tools[0].function.parameters);
    assert.equal(c.tools[0].description, 'Sends a message to the human user.');
    assert.deepEqual(c.parameters, { tool_choice: 'required', user: req.user, temperature: 0.7, max_completion_tokens: 4096, parallel_tool_calls: false });
  });
  it('reads the output, finish reason and usage', () => {
    assert.equal(c.output.length, 1);
    assert.equal(c.output[0].role, 'assistant');
    const [call] = toolCalls(c.output);
    assert.equal(call.name, 'send_message');
    assert.equal(call.id, 'call_Yh8dLq2ZpT5vWmN0cR3bXs6K');
    assert.match(String((call.arguments as Req).message), /asyncio\.timeout\(8\)/);
    assert.equal(c.finishReason, 'tool_calls');
    assert.deepEqual(c.usage, { promptTokens: 3187, completionTokens: 74, totalTokens: 3261, cachedTokens: 2944, reasoningTokens: 0, audioPromptTokens: 0, audioCompletionTokens: 0 });
    assert.equal(c.error, undefined);
  });
});

describe('normalizeTrace: OpenAI Responses', () => {
  const trace = loadFixtureTrace('openai-responses');
  const req = trace.request_json as Req;
  const c = normalizeTrace(trace);

  it('detects the format, roles and system prompt', () => {
    assert.equal(c.format, 'openai-responses');
    assert.equal(c.model, 'gpt-5-mini');
    // reasoning + function_call join one assistant turn; the output answers as a tool message
    assert.deepEqual(c.messages.map((m) => m.role), ['developer', 'user', 'assistant', 'tool']);
    assert.equal(text(c.messages[0]), req.input[0].content[0].text);
    assert.deepEqual(c.messages[2].parts.map((p) => p.kind), ['thinking', 'tool-call']);
  });
  it('links the function call output to its call', () => {
    const [call] = toolCalls(c.messages);
    assert.equal(call.id, 'call_Rq1Wn5TbX8yZc2Vd4Fg6Hj9K');
    assert.deepEqual(call.arguments, JSON.parse(req.input[3].arguments));
    assertResultsLinked(c);
  });
  it('keeps reasoning settings, include and store as parameters', () => {
    assert.deepEqual(c.parameters.reasoning, { effort: 'medium', summary: 'auto' });
    assert.deepEqual(c.parameters.include, ['reasoning.encrypted_content']);
    assert.equal(c.parameters.store, false);
    assert.equal(c.parameters.max_output_tokens, 16384);
    assert.equal('input' in c.parameters, false);
    assert.equal('tools' in c.parameters, false);
    assert.deepEqual(c.tools.map((t) => t.name), TOOL_NAMES);
  });
  it('reads output items, status and usage', () => {
    assert.equal(c.output.length, 1);
    assert.deepEqual(c.output[0].parts.map((p) => p.kind), ['thinking', 'text', 'tool-call']);
    const [call] = toolCalls(c.output);
    assert.deepEqual(call.arguments, { label: 'human', content: 'Decided: asyncio.timeout(8) per carrier call, one retry with jitter.', request_heartbeat: true });
    assert.equal(c.finishReason, 'completed');
    assert.deepEqual(c.usage, { promptTokens: 3412, completionTokens: 486, totalTokens: 3898, cachedTokens: 3072, reasoningTokens: 384 });
  });
});

describe('normalizeTrace: Anthropic', () => {
  const trace = loadFixtureTrace('anthropic');
  const req = trace.request_json as Req;
  const c = normalizeTrace(trace);

  it('puts the system blocks first and keeps roles in order', () => {
    assert.equal(c.format, 'anthropic');
    assert.equal(c.model, 'claude-sonnet-4-5-20250929');
    assert.deepEqual(c.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.equal(text(c.messages[0]), req.system[0].text);
  });
  it('shows the image as a placeholder with its decoded size, never the data', () => {
    const [image] = partsOf(c.messages, 'image');
    assert.deepEqual(image, { kind: 'image', mediaType: 'image/png', bytes: Buffer.from(req.messages[0].content[1].source.data, 'base64').length });
    assert.equal(JSON.stringify(c).includes(req.messages[0].content[1].source.data), false);
  });
  it('reads thinking, tool use and tool results', () => {
    assert.deepEqual(c.messages[2].parts.map((p) => p.kind), ['thinking', 'tool-call']);
    const [call] = toolCalls(c.messages);
    assert.deepEqual(call.arguments, req.messages[1].content[1].input);
    assertResultsLinked(c);
    const [result] = toolResults(c.messages);
    assert.equal(result.isError, undefined);
    assert.deepEqual(result.content, [{ kind: 'text', text: req.messages[2].content[0].content[0].text }]);
  });
  it('lists tools with their input schema and the thinking settings as parameters', () => {
    assert.deepEqual(c.tools.map((t) => t.name), TOOL_NAMES);
    assert.deepEqual(c.tools[2].parameters, req.tools[2].input_schema);
    assert.deepEqual(c.parameters, { max_tokens: 8192, thinking: { type: 'enabled', budget_tokens: 2048 }, tool_choice: { type: 'auto', disable_parallel_tool_use: true }, temperature: 1, metadata: req.metadata });
  });
  it('reads the response content, stop reason and cache usage', () => {
    assert.deepEqual(c.output[0].parts.map((p) => p.kind), ['thinking', 'text', 'tool-call']);
    assert.equal(c.finishReason, 'tool_use');
    assert.deepEqual(c.usage, { promptTokens: 412, completionTokens: 233, cachedTokens: 2210, cacheWriteTokens: 1536 });
  });
});

describe('normalizeTrace: Google Gemini', () => {
  const trace = loadFixtureTrace('google');
  const req = trace.request_json as Req;
  const c = normalizeTrace(trace);

  it('takes the model from llm_config and the first user item as the system prompt', () => {
    assert.equal(c.format, 'google');
    assert.equal(c.model, 'gemini-2.5-flash');
    assert.equal('model' in req, false);
    assert.deepEqual(c.messages.map((m) => m.role), ['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
    assert.equal(text(c.messages[0]), req.contents[0].parts[0].text);
  });
  it('reads snake_case and camelCase calls, thoughts and responses', () => {
    assert.deepEqual(c.messages[2].parts.map((p) => p.kind), ['thinking', 'tool-call']);
    assert.deepEqual(c.messages[4].parts.map((p) => p.kind), ['thinking', 'tool-call']);
    const calls = toolCalls(c.messages);
    assert.deepEqual(calls.map((p) => p.name), ['archival_memory_search', 'core_memory_append']);
    assert.deepEqual(calls[1].arguments, req.contents[4].parts[1].functionCall.args);
    const results = toolResults(c.messages);
    assert.deepEqual(results.map((r) => r.name), ['archival_memory_search', 'core_memory_append']);
    assert.deepEqual(results[0].content, [{ kind: 'json', label: 'response', value: req.contents[3].parts[0].function_response.response }]);
  });
  it('reads tools and config parameters', () => {
    assert.deepEqual(c.tools.map((t) => t.name), TOOL_NAMES);
    assert.deepEqual(c.parameters, { temperature: 0.7, max_output_tokens: 8192, tool_config: { function_calling_config: { mode: 'ANY' } }, thinking_config: { thinking_budget: 1024, include_thoughts: true } });
  });
  it('reads candidates, finish reason and usage metadata', () => {
    assert.deepEqual(c.output[0].parts.map((p) => p.kind), ['thinking', 'tool-call']);
    assert.equal(c.finishReason, 'STOP');
    assert.deepEqual(c.usage, { promptTokens: 3390, completionTokens: 58, totalTokens: 3711, cachedTokens: 2048, reasoningTokens: 263 });
  });
  it('uses systemInstruction when present, and camelCase usage', () => {
    const g = normalizeTrace({
      request_json: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }, { role: 'model', parts: [{ text: 'hello' }] }], config: { systemInstruction: { parts: [{ text: 'be brief' }] } } },
      response_json: { candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'MAX_TOKENS' }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1, totalTokenCount: 6, thoughtsTokenCount: 2, cachedContentTokenCount: 3 } },
    });
    assert.deepEqual(g.messages.map((m) => m.role), ['system', 'user', 'assistant']);
    assert.equal(text(g.messages[0]), 'be brief');
    assert.equal(g.finishReason, 'MAX_TOKENS');
    assert.deepEqual(g.usage, { promptTokens: 5, completionTokens: 1, totalTokens: 6, cachedTokens: 3, reasoningTokens: 2, unaccountedTokens: -2 });
  });
  it('shows inline image data as a placeholder', () => {
    const g = normalizeTrace({ request_json: { contents: [{ role: 'user', parts: [{ inline_data: { mime_type: 'image/jpeg', data: 'AAAA'.repeat(100) } }] }] }, response_json: {} });
    assert.deepEqual(partsOf(g.messages, 'image'), [{ kind: 'image', mediaType: 'image/jpeg', bytes: 300 }]);
  });
});

describe('normalizeTrace: Letta streamed responses', () => {
  it('decodes tool_call and reasoning JSON texts beside an Anthropic request', () => {
    const trace = loadFixtureTrace('letta-stream');
    const res = trace.response_json as Req;
    const c = normalizeTrace(trace);
    assert.equal(c.format, 'anthropic');
    assert.equal(c.requestFormat, 'anthropic');
    assert.equal(c.responseFormat, 'letta-stream');
    assert.equal(c.formatLabel, 'Anthropic Messages (streamed)');
    assert.deepEqual(c.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assertResultsLinked(c);
    assert.equal(c.output.length, 1);
    const parts = c.output[0].parts;
    assert.deepEqual(parts[0], { kind: 'thinking', text: JSON.parse(res.content.reasoning[0]).reasoning });
    assert.deepEqual(parts[1], { kind: 'thinking', text: '', redacted: true });
    // not JSON: kept as text
    assert.deepEqual(parts[2], { kind: 'thinking', text: res.content.reasoning[2] });
    const call = parts[3] as Extract<Part, { kind: 'tool-call' }>;
    assert.equal(call.kind, 'tool-call');
    assert.equal(call.name, 'send_message');
    assert.equal(call.id, 'toolu_01Dn5Tq2LwXe8Rb4Hc7Jm1Vy');
    assert.deepEqual(call.arguments, JSON.parse(JSON.parse(res.content.tool_call).function.arguments));
    assert.deepEqual(c.usage, { promptTokens: 3051, completionTokens: 142 });
    assert.equal(c.model, 'claude-sonnet-4-5-20250929');
    assert.equal(c.notes.length, 1);
  });
  it('decodes the content variant beside an OpenAI request, keeping invalid JSON as text', () => {
    const trace = loadFixtureTrace('letta-stream-content');
    const res = trace.response_json as Req;
    const c = normalizeTrace(trace);
    assert.equal(c.format, 'openai-chat');
    assert.equal(c.responseFormat, 'letta-stream');
    assert.equal(c.formatLabel, 'OpenAI Chat Completions (streamed)');
    assert.deepEqual(c.output[0].parts.map((p) => p.kind), ['text', 'text', 'tool-call']);
    assert.deepEqual(c.output[0].parts[0], { kind: 'text', text: JSON.parse(res.content.content[0]).text });
    assert.deepEqual(c.output[0].parts[1], { kind: 'text', text: res.content.content[1] });
    assert.deepEqual(c.usage, { promptTokens: 2877, completionTokens: 61 });
    assert.equal(c.parameters.stream, true);
  });
  it('accepts a null tool_call and an invalid tool_call text', () => {
    const none = normalizeTrace({ request_json: {}, response_json: { content: { tool_call: null, reasoning: [] }, type: 'message' } });
    assert.equal(none.responseFormat, 'letta-stream');
    assert.deepEqual(none.output, [{ role: 'assistant', parts: [] }]);
    const bad = normalizeTrace({ request_json: {}, response_json: { content: { tool_call: '{"id": "x", ' } } });
    assert.deepEqual(bad.output[0].parts, [{ kind: 'text', text: '{"id": "x", ' }]);
  });
});

describe('normalizeTrace: failed calls', () => {
  it('sets the error and still shows the request', () => {
    const trace = loadFixtureTrace('failed-call');
    const c = normalizeTrace(trace);
    assert.equal(c.format, 'openai-chat');
    assert.equal(c.responseFormat, 'unknown');
    assert.deepEqual(c.error, { message: (trace.response_json as Req).error, type: 'RateLimitError' });
    assert.deepEqual(c.output, []);
    assert.equal(c.messages.length, 2);
    assert.deepEqual(c.notes, []);
  });
  it('reads Anthropic error objects and Responses failures', () => {
    const a = normalizeTrace({ request_json: {}, response_json: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
    assert.deepEqual(a.error, { message: 'Overloaded', type: 'overloaded_error' });
    const r = normalizeTrace({ request_json: { input: 'hi' }, response_json: { object: 'response', status: 'failed', error: { code: 'server_error', message: 'boom' }, output: [] } });
    assert.deepEqual(r.error, { message: 'boom', type: 'server_error' });
    const ok = normalizeTrace({ request_json: { input: 'hi' }, response_json: { object: 'response', status: 'completed', error: null, output: [] } });
    assert.equal(ok.error, undefined);
  });
});

describe('normalizeTrace: odd and hostile input', () => {
  it('gives unknown with a note for shapes it does not know', () => {
    for (const value of [null, undefined, 42, 'text', [], [1, 2], {}, { foo: 'bar' }]) {
      const c = normalizeTrace({ request_json: value, response_json: value });
      assert.equal(c.format, 'unknown');
      assert.ok(c.notes.length >= 1, `note for ${JSON.stringify(value)}`);
      assert.deepEqual([c.messages, c.tools, c.output], [[], [], []]);
    }
    assert.equal(normalizeTrace(null as never).format, 'unknown');
  });
  it('keeps unparseable tool arguments as the raw string, and hostile strings as plain text', () => {
    const trace = loadFixtureTrace('hostile');
    const req = trace.request_json as Req;
    const c = normalizeTrace(trace);
    assert.equal(c.format, 'openai-chat');
    const [call] = toolCalls(c.messages);
    assert.equal(call.arguments, req.messages[2].tool_calls[0].function.arguments);
    assert.equal(text(c.messages[0]), req.messages[0].content);
    assert.equal(c.messages[1].name, '<img src=x onerror=alert(1)>');
    // the deep unknown field is passed through, not walked
    assert.equal(c.parameters.x_unknown_deep, req.x_unknown_deep);
    // javascript: URLs stay text in the url field; data: URLs lose their data
    const images = partsOf(c.messages, 'image');
    assert.deepEqual(images, [{ kind: 'image', url: 'javascript:alert(1)' }, { kind: 'image', mediaType: 'image/svg+xml', bytes: Buffer.from(req.messages[1].content[2].image_url.url.split(',')[1], 'base64').length }]);
    assert.ok(readFixtureText('hostile').includes('\\ud800'));
    assert.ok(text(c.output[0]).includes('\ud800'));
    assert.equal(Object.getPrototypeOf(c.parameters), Object.prototype);
  });
  it('a side that fails to read costs only that side: the other still shows, with a note', () => {
    // A getter that throws stands in for a normaliser bug on some odd shape.
    const boom = { enumerable: true, get: (): never => { throw new Error('boom'); } };
    const trace = loadFixtureTrace('anthropic');
    const whole = normalizeTrace(trace);
    assert.ok(whole.messages.length > 0 && whole.output.length > 0);
    const req = structuredClone(trace.request_json) as Req;
    Object.defineProperty(req.messages[0].content[0], 'text', boom);
    const badRequest = normalizeTrace({ ...trace, request_json: req });
    assert.equal(badRequest.format, 'anthropic');
    assert.deepEqual(badRequest.notes, [...whole.notes, 'Part of the request could not be read (boom); see the raw request JSON.']);
    assert.deepEqual(badRequest.messages, []);
    assert.deepEqual(badRequest.output, whole.output);
    assert.deepEqual(badRequest.usage, whole.usage);
    const res = structuredClone(trace.response_json) as Req;
    Object.defineProperty(res, 'usage', boom);
    const badResponse = normalizeTrace({ ...trace, response_json: res });
    assert.equal(badResponse.format, 'anthropic');
    assert.deepEqual(badResponse.notes, [...whole.notes, 'Part of the response could not be read (boom); see the raw response JSON.']);
    assert.deepEqual(badResponse.output, []);
    assert.deepEqual(badResponse.messages, whole.messages);
    assert.deepEqual(badResponse.tools, whole.tools);
  });
  it('passes a __proto__ key through as a plain key', () => {
    const req = JSON.parse('{"messages": [], "__proto__": {"polluted": true}}') as Req;
    const c = normalizeTrace({ request_json: req, response_json: {} });
    assert.deepEqual(Object.keys(c.parameters), ['__proto__']);
    assert.equal((c.parameters as Req).polluted, undefined);
    assert.equal(({} as Req).polluted, undefined);
  });
  it('survives deep nesting in unknown fields and in tool results', () => {
    const deep = buildDeepJson(5000);
    assert.doesNotThrow(() => normalizeTrace({ request_json: { messages: [{ role: 'user', content: 'x' }], extra: deep }, response_json: { choices: [], weird: deep } }));
    let content: unknown = [{ type: 'text', text: 'bottom' }];
    for (let i = 0; i < 5000; i++) {
      content = [{ type: 'tool_result', tool_use_id: `t${i}`, content }];
    }
    const c = normalizeTrace({ request_json: { system: 's', messages: [{ role: 'user', content }] }, response_json: {} });
    assert.equal(c.format, 'anthropic');
    assert.equal(c.messages.length, 2);
  });
  it('parses a deeply nested JSON argument text without throwing', () => {
    const args = '['.repeat(100_000) + ']'.repeat(100_000);
    const c = normalizeTrace({ request_json: { messages: [{ role: 'assistant', tool_calls: [{ id: 'a', function: { name: 'f', arguments: args } }] }] }, response_json: {} });
    const [call] = toolCalls(c.messages);
    assert.ok(typeof call.arguments === 'string' || Array.isArray(call.arguments));
  });
  it('keeps every hostile string intact as text', () => {
    for (const s of buildHostileStrings()) {
      const c = normalizeTrace({ request_json: { messages: [{ role: 'user', content: s }] }, response_json: { choices: [{ message: { role: 'assistant', content: s }, finish_reason: s }] } });
      assert.deepEqual(c.messages[0].parts, [{ kind: 'text', text: s }]);
      assert.equal(c.finishReason, s);
    }
  });
  it('notes unknown roles and content types instead of failing', () => {
    const c = normalizeTrace({ request_json: { messages: [{ role: 'narrator', content: [{ type: 'hologram', x: 1 }] }] }, response_json: { choices: [] } });
    assert.equal(c.messages[0].role, 'user');
    assert.deepEqual(c.messages[0].parts, [{ kind: 'json', label: 'hologram', value: { type: 'hologram', x: 1 } }]);
    assert.equal(c.notes.length, 2);
  });
  it('replaces large inline file data by its size', () => {
    const data = 'QUJD'.repeat(1000);
    const c = normalizeTrace({ request_json: { system: 'x', messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data } }] }] }, response_json: {} });
    assert.equal(JSON.stringify(c).includes(data), false);
    assert.deepEqual(c.messages[1].parts[0], { kind: 'json', label: 'document', value: { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: '<3000 bytes of inline data>' } } });
  });
});

describe('normalizeTrace: large traces', () => {
  for (const format of ['openai-chat', 'openai-responses', 'anthropic', 'google', 'letta-stream'] as const) {
    it(`reads a 5 MB ${format} trace completely`, () => {
      const trace = buildLargeTrace(5_000_000, format);
      const size = JSON.stringify(trace).length;
      assert.ok(size > 4_900_000 && size < 5_200_000, `size ${size}`);
      const c = normalizeTrace(trace);
      assert.equal(c.format, format === 'letta-stream' ? 'anthropic' : format);
      assert.ok(c.messages.length > 100);
      assertResultsLinked(c);
    });
  }
});

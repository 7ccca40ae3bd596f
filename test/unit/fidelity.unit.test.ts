/**
 * Each shortcoming that real payloads showed (issue 14, "Why"), on the real payload that showed
 * it: test/fixtures/realworld, recorded by pydantic-ai's test suite against the providers' APIs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Citation, Conversation, Part } from '../../src/core/conversation/model';
import { detectRequest, normalizeTrace } from '../../src/core/conversation/normalize';
import { readUsage } from '../../src/core/conversation/usage';
import { summarizeTrace } from '../../src/core/stepSummary';
import { loadFixtureTrace, loadRealWorldTrace, loadRealWorldTraces } from '../fixtures/fixtures';

function real(name: string): Conversation {
  return normalizeTrace(loadRealWorldTrace(name));
}

function allParts(c: Conversation): Part[] {
  const out: Part[] = [];
  const walk = (parts: Part[]) =>
    parts.forEach((p) => {
      out.push(p);
      if (p.kind === 'tool-result') {
        walk(p.content);
      }
    });
  [...c.messages, ...c.output].forEach((m) => walk(m.parts));
  return out;
}

function text(parts: Part[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}

describe('fidelity on real payloads: format detection by evidence', () => {
  it('an Anthropic request with a top-level system and a later role:system turn is Anthropic, its system prompt a message, not a parameter', () => {
    const c = real('anthropic-mid-conversation-system');
    assert.equal(c.format, 'anthropic');
    assert.equal(c.formatLabel, 'Anthropic Messages');
    assert.deepEqual(c.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user', 'system']);
    assert.equal(text(c.messages[0].parts), 'You are a code reviewer.');
    assert.equal('system' in c.parameters, false);
  });

  it('an Anthropic request of max_tokens, temperature, top_k and text blocks only is told by its Anthropic response', () => {
    const trace = loadRealWorldTrace('anthropic-sampling-only');
    assert.equal(normalizeTrace(trace).format, 'anthropic');
    assert.equal(summarizeTrace(trace).formatLabel, 'Anthropic Messages');
    assert.equal(summarizeTrace(trace).provider, 'anthropic');
    // alone, nothing in the request says which it is: a tie, named, never a guess
    assert.deepEqual(detectRequest(trace.request_json), { format: 'unknown', candidates: ['openai-chat', 'anthropic'] });
  });

  it('a tie names both candidates and still shows the messages', () => {
    const trace = loadRealWorldTrace('anthropic-sampling-only');
    const c = normalizeTrace({ request_json: trace.request_json, response_json: { error: 'upstream timed out', error_type: 'llm_timeout' } });
    assert.equal(c.format, 'unknown');
    assert.equal(c.formatLabel, 'Unknown format (looks like OpenAI Chat Completions or Anthropic Messages)');
    assert.equal(text(c.messages[0].parts), 'hello');
    assert.ok(c.notes.some((n) => n.includes('OpenAI Chat Completions or Anthropic Messages')));
  });

  it("an Anthropic error body is evidence for the request's format", () => {
    const c = real('anthropic-error-400');
    assert.equal(c.format, 'anthropic');
    assert.equal(c.error?.type, 'invalid_request_error');
  });

  it('every corpus payload is detected as the format its manifest names', () => {
    for (const { name, source, trace } of loadRealWorldTraces()) {
      assert.equal(normalizeTrace(trace).format, source.format === 'google-sdk' ? 'google' : source.format, name);
    }
  });
});

describe('fidelity on real payloads: the Gemini system prompt', () => {
  it("without systemInstruction, the first user content stays the user's question", () => {
    const c = real('gemini-rest-tool-output');
    assert.deepEqual(c.messages.map((m) => m.role), ['user', 'assistant', 'user']);
    assert.equal(text(c.messages[0].parts), 'What is the largest city in the user country?');
  });

  it("Letta's own request, whose first user content carries <base_instructions>, shows it as the system prompt", () => {
    const c = normalizeTrace(loadFixtureTrace('google'));
    assert.equal(c.messages[0].role, 'system');
    assert.match(text(c.messages[0].parts), /<base_instructions>/);
  });
});

describe('fidelity on real payloads: what real traces carry', () => {
  it('Anthropic citations stay under the text they support: cited text, title and URL', () => {
    const c = real('anthropic-web-search');
    const cited = allParts(c).find((p): p is Extract<Part, { kind: 'text' }> => p.kind === 'text' && p.text === 'Temperature: 66°F with clear skies');
    const first: Citation | undefined = cited?.citations?.[0];
    assert.equal(first?.title, 'San Francisco, CA Weather Forecast | AccuWeather');
    assert.equal(first?.url, 'https://www.accuweather.com/en/us/san-francisco/94103/weather-forecast/347629');
    assert.match(first?.citedText ?? '', /^San Francisco, CA Weather Today/);
  });

  it('Anthropic server tools: the web search call and its results have their own labels and list the sources', () => {
    const parts = allParts(real('anthropic-web-search'));
    const call = parts.find((p) => p.kind === 'tool-call' && p.origin === 'server');
    assert.equal(call?.kind === 'tool-call' && call.name, 'web_search');
    const result = parts.find((p) => p.kind === 'tool-result' && p.origin === 'server');
    assert.equal(result?.kind === 'tool-result' && result.name, 'web_search');
    const sources = result?.kind === 'tool-result' ? result.content.find((p) => p.kind === 'sources') : undefined;
    assert.ok(sources?.kind === 'sources' && sources.sources.length > 3 && sources.sources.every((s) => s.url?.startsWith('https://')));
  });

  it('Anthropic MCP: the servers are tools of kind mcp (no token shown), calls and results name the server', () => {
    const c = real('anthropic-mcp-servers');
    assert.deepEqual(c.tools.map((t) => [t.name, t.kind, t.config?.url]), [['deepwiki', 'mcp', 'https://mcp.deepwiki.com/mcp']]);
    assert.equal('mcp_servers' in c.parameters, false);
    const call = allParts(c).find((p) => p.kind === 'tool-call' && p.origin === 'mcp');
    assert.ok(call?.kind === 'tool-call' && call.server === 'deepwiki' && call.name === 'ask_question');
    const result = allParts(c).find((p) => p.kind === 'tool-result' && p.origin === 'mcp');
    assert.match(result?.kind === 'tool-result' ? text(result.content) : '', /Pydantic AI is a Python agent framework/);
  });

  it('OpenAI Responses MCP: the server label and description, the listed tools, the call and its output', () => {
    const c = real('openai-responses-mcp');
    const [tool] = c.tools;
    assert.equal(tool.name, 'deepwiki');
    assert.equal(tool.kind, 'mcp');
    assert.equal(tool.description, 'DeepWiki MCP server');
    assert.equal(tool.config?.server_url, 'https://mcp.deepwiki.com/mcp');
    assert.equal(JSON.stringify(tool).includes('custom-header-value'), false, 'header values are credentials: never shown');
    const list = allParts(c).find((p) => p.kind === 'tool-list');
    assert.ok(list?.kind === 'tool-list' && list.server === 'deepwiki');
    assert.deepEqual(list.tools.map((t) => [t.name, t.description]), [['ask_question', 'Ask any question about a GitHub repository']]);
    const call = allParts(c).find((p) => p.kind === 'tool-call' && p.origin === 'mcp');
    assert.ok(call?.kind === 'tool-call' && call.server === 'deepwiki');
    const result = allParts(c).find((p) => p.kind === 'tool-result' && p.origin === 'mcp');
    assert.match(result?.kind === 'tool-result' ? text(result.content) : '', /^Pydantic AI is a Python agent framework/);
  });

  it('Gemini grounding: sources and the search queries, and the supported spans as citations', () => {
    const c = real('gemini-rest-web-search');
    const sources = c.output[0].parts.find((p) => p.kind === 'sources');
    assert.ok(sources?.kind === 'sources');
    assert.deepEqual(sources.queries, ['weather in San Francisco today']);
    assert.deepEqual(sources.sources.map((s) => s.title), ['Weather information for San Francisco, CA, US', 'weather.gov', 'wunderground.com']);
    const cited = c.output[0].parts.find((p) => p.kind === 'text' && (p.citations?.length ?? 0) > 0);
    assert.ok(cited?.kind === 'text' && cited.citations?.some((x) => x.title === 'weather.gov' && x.quote !== undefined && cited.text.includes(x.quote)));
    assert.deepEqual(c.tools.map((t) => [t.name, t.kind]), [['googleSearch', 'server']]);
  });

  it("Gemini's finishMessage is read", () => {
    assert.equal(real('gemini-rest-finish-message').finishMessage, 'Model generated function call(s).');
  });

  it('Gemini file search: the retrieved chunks with their text', () => {
    const sources = real('gemini-rest-file-search').output[0].parts.find((p) => p.kind === 'sources');
    assert.ok(sources?.kind === 'sources' && sources.sources.length > 0 && sources.sources.every((s) => (s.text ?? '').length > 0));
  });

  it('OpenAI Responses code interpreter: a server call with its code and a result with the logs', () => {
    const parts = allParts(real('openai-responses-code-interpreter'));
    const call = parts.find((p) => p.kind === 'tool-call' && p.origin === 'server');
    assert.ok(call?.kind === 'tool-call' && call.name === 'code_interpreter' && JSON.stringify(call.arguments).includes('65465 - 6544 * 65464'));
    const result = parts.find((p) => p.kind === 'tool-result' && p.origin === 'server');
    assert.equal(result?.kind === 'tool-result' && text(result.content), '-428330955.97745');
  });
});

describe('fidelity on real payloads: images inside tool results', () => {
  it('Gemini functionResponse.parts[].inline_data is an image placeholder in the tool result, not {}', () => {
    const results = allParts(real('gemini-rest-tool-result-image')).filter((p): p is Extract<Part, { kind: 'tool-result' }> => p.kind === 'tool-result' && p.name === 'get_file');
    const withImage = results.find((r) => r.content.some((p) => p.kind === 'image'));
    const image = withImage?.content.find((p) => p.kind === 'image');
    assert.ok(image?.kind === 'image' && image.mediaType === 'image/jpeg' && (image.bytes ?? 0) > 1000);
    assert.equal(withImage?.content.some((p) => p.kind === 'json'), false, 'no empty {} beside the image');
  });

  it('an Anthropic tool_result image block is an image placeholder in the tool result', () => {
    const result = allParts(real('anthropic-tool-result-image')).find((p) => p.kind === 'tool-result');
    const image = result?.kind === 'tool-result' ? result.content[0] : undefined;
    assert.ok(image?.kind === 'image' && image.mediaType === 'image/jpeg' && (image.bytes ?? 0) > 1000);
  });
});

describe('fidelity on real payloads: usage that adds up', () => {
  it("Anthropic usage.output_tokens_details.thinking_tokens is the reasoning count", () => {
    assert.equal(real('anthropic-advisor-thinking-tokens').usage?.reasoningTokens, 28);
  });

  it("Gemini toolUsePromptTokenCount is read, and the parts then add up to the total", () => {
    const u = real('gemini-rest-web-search').usage;
    assert.equal(u?.toolUsePromptTokens, 119);
    assert.equal((u?.promptTokens ?? 0) + (u?.completionTokens ?? 0) + (u?.reasoningTokens ?? 0) + (u?.toolUsePromptTokens ?? 0), u?.totalTokens);
    assert.equal(u?.unaccountedTokens, undefined);
  });

  it('OpenAI audio tokens are read', () => {
    assert.equal(real('openai-chat-audio-input').usage?.audioPromptTokens, 44);
  });

  it('where the parts do not add up to the total, the gap is kept', () => {
    // the real usage with its tool-use count taken away: 119 tokens the parts no longer explain
    const raw = { ...(loadRealWorldTrace('gemini-rest-web-search').response_json as { usageMetadata: Record<string, unknown> }).usageMetadata };
    delete raw.toolUsePromptTokenCount;
    assert.equal(readUsage(raw)?.unaccountedTokens, 119);
  });
});

describe('fidelity on real payloads: an empty side', () => {
  it('an empty request says "This trace has no request", not an unknown format; an empty response likewise', () => {
    const trace = loadRealWorldTrace('anthropic-web-search');
    const noRequest = normalizeTrace({ request_json: {}, response_json: trace.response_json });
    assert.deepEqual(noRequest.missing, ['request']);
    assert.ok(noRequest.notes.includes('This trace has no request.'));
    assert.equal(noRequest.notes.some((n) => n.includes('does not know')), false);
    assert.equal(noRequest.format, 'anthropic');
    const noResponse = normalizeTrace({ request_json: trace.request_json, response_json: {} });
    assert.deepEqual(noResponse.missing, ['response']);
    assert.ok(noResponse.notes.includes('This trace has no response.'));
    assert.equal(noResponse.notes.some((n) => n.includes('does not know')), false);
  });
});

describe('fidelity on real payloads: reasoning, plain, redacted and encrypted', () => {
  it('Anthropic thinking is text, redacted_thinking and OpenAI encrypted_content are encrypted placeholders', () => {
    const thinking = allParts(real('anthropic-thinking')).filter((p) => p.kind === 'thinking');
    assert.ok(thinking.length > 0 && thinking.every((p) => p.kind === 'thinking' && p.text.length > 0 && !p.redacted));
    const redacted = allParts(real('anthropic-thinking-redacted')).filter((p) => p.kind === 'thinking');
    assert.ok(redacted.length > 0 && redacted.every((p) => p.kind === 'thinking' && p.redacted === true && p.encrypted === true && p.text === ''));
    const encrypted = allParts(real('openai-responses-mcp')).filter((p) => p.kind === 'thinking');
    assert.ok(encrypted.length > 0 && encrypted.every((p) => p.kind === 'thinking' && p.encrypted === true));
    const summaries = allParts(real('openai-responses-reasoning')).filter((p) => p.kind === 'thinking' && p.text.length > 0);
    assert.ok(summaries.length > 0, 'reasoning summaries are text');
  });
});

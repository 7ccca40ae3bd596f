/**
 * Google Gemini / Vertex as Letta records it: the Python SDK's call arguments `{contents, config}`
 * (no model name; the system prompt is the first `user` item), or a REST body. snake_case and
 * camelCase are both accepted, field by field.
 */
import * as l10n from '@vscode/l10n';
import type { Citation, Message, Part, Role, Source, ToolDefinition } from './model';
import type { RequestSide, ResponseSide } from './sides';
import { readUsage } from './usage';
import {
  addNote, asArray, asString, dropUndefined, imageFromBase64, imageFromUrl, isRecord, jsonPart, message, pick, toolCall, toolResult,
  toRole, without, type Json, type NormaliseContext,
} from './util';

const SYSTEM_KEYS = ['system_instruction', 'systemInstruction'];
const NOT_TOP_PARAMETERS = ['contents', 'config', 'model', 'tools', ...SYSTEM_KEYS];
const NOT_CONFIG_PARAMETERS = ['tools', ...SYSTEM_KEYS];

function googlePart(raw: unknown, ctx: NormaliseContext): Part {
  if (typeof raw === 'string') {
    return { kind: 'text', text: raw };
  }
  if (!isRecord(raw)) {
    return jsonPart('part', raw);
  }
  if (typeof raw.text === 'string') {
    return raw.thought === true ? { kind: 'thinking', text: raw.text } : { kind: 'text', text: raw.text };
  }
  const call = pick(raw, 'function_call', 'functionCall');
  if (isRecord(call)) {
    return toolCall(ctx, call.id, call.name, call.args);
  }
  const response = pick(raw, 'function_response', 'functionResponse');
  if (isRecord(response)) {
    // multimodal results (Gemini 3): images and files beside the JSON response, which is then often `{}`
    const media = googleParts(response.parts, ctx);
    const empty = isRecord(response.response) && Object.keys(response.response).length === 0;
    const content: Part[] = response.response === undefined || (empty && media.length > 0) ? [] : [jsonPart('response', response.response)];
    content.push(...media);
    return toolResult(ctx, response.id, content, response.name);
  }
  const inline = pick(raw, 'inline_data', 'inlineData');
  if (isRecord(inline)) {
    const mime = asString(pick(inline, 'mime_type', 'mimeType'));
    const image = imageFromBase64(inline.data, mime);
    return mime === undefined || mime.startsWith('image/') ? image : jsonPart('inline data', image.kind === 'image' ? { mimeType: mime, bytes: image.bytes } : {});
  }
  const file = pick(raw, 'file_data', 'fileData');
  if (isRecord(file)) {
    const mime = asString(pick(file, 'mime_type', 'mimeType'));
    const uri = asString(pick(file, 'file_uri', 'fileUri'));
    return mime?.startsWith('image/') && uri !== undefined ? imageFromUrl(uri, mime) : jsonPart('file', file);
  }
  const code = pick(raw, 'executable_code', 'executableCode');
  if (isRecord(code)) {
    // the model's own code execution: a call Gemini ran itself
    return { kind: 'tool-call', name: 'code_execution', arguments: code, origin: 'server' };
  }
  const result = pick(raw, 'code_execution_result', 'codeExecutionResult');
  if (isRecord(result)) {
    const output = asString(result.output);
    const outcome = asString(result.outcome);
    const content: Part[] = output !== undefined && output !== '' ? [{ kind: 'text', text: output }] : [];
    return dropUndefined({ kind: 'tool-result' as const, name: 'code_execution', content, origin: 'server' as const, isError: outcome !== undefined && outcome !== 'OUTCOME_OK' ? true : undefined });
  }
  if (raw.thought === true) {
    // a thought with only a signature: the model thought, the text was not returned
    return { kind: 'thinking', text: '', redacted: true };
  }
  addNote(ctx.notes, l10n.t('Some Gemini parts of an unknown kind are shown as JSON.'));
  return jsonPart('part', raw);
}

function googleParts(parts: unknown, ctx: NormaliseContext): Part[] {
  return asArray(parts).map((p) => googlePart(p, ctx));
}

function googleContent(raw: unknown, ctx: NormaliseContext, defaultRole: Role): Message {
  if (typeof raw === 'string') {
    return message(defaultRole, [{ kind: 'text', text: raw }]);
  }
  if (!isRecord(raw)) {
    addNote(ctx.notes, l10n.t('A Gemini content item that is not an object is shown as JSON.'));
    return message(defaultRole, [jsonPart('content', raw)]);
  }
  if (raw.parts === undefined && raw.role === undefined && Object.keys(raw).length > 0) {
    // the SDK accepts a bare part where a Content is expected
    return message(defaultRole, [googlePart(raw, ctx)]);
  }
  return message(raw.role === undefined ? defaultRole : toRole(raw.role, ctx.notes), googleParts(raw.parts, ctx));
}

function systemInstruction(raw: unknown, ctx: NormaliseContext): Message | undefined {
  if (raw === undefined || raw === null) {
    return undefined;
  }
  if (Array.isArray(raw)) {
    return message('system', googleParts(raw, ctx));
  }
  const msg = googleContent(raw, ctx, 'system');
  return message('system', msg.parts);
}

function googleTools(raw: unknown): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const tool of asArray(raw)) {
    if (!isRecord(tool)) {
      continue;
    }
    for (const key of Object.keys(tool)) {
      const value = tool[key];
      if (key === 'function_declarations' || key === 'functionDeclarations') {
        for (const d of asArray(value)) {
          if (isRecord(d)) {
            const rest = without(d, ['name', 'description', 'parameters', 'parameters_json_schema', 'parametersJsonSchema']);
            tools.push(dropUndefined({
              name: asString(d.name) ?? l10n.t('(unnamed tool)'),
              description: asString(d.description),
              parameters: pick(d, 'parameters', 'parameters_json_schema', 'parametersJsonSchema'),
              config: Object.keys(rest).length > 0 ? rest : undefined,
            }));
          }
        }
      } else {
        // built-in tools: `{google_search: {}}`, `{codeExecution: {}}`, `{fileSearch: {fileSearchStoreNames}}`, ...
        tools.push(dropUndefined({ name: key, kind: 'server' as const, config: isRecord(value) && Object.keys(value).length > 0 ? value : undefined }));
      }
    }
  }
  return tools;
}

/** Letta's compiled system prompt: how Letta's own Gemini requests carry it, as the first `user` item. */
const LETTA_SYSTEM_MARKUP = /<base_instructions>|<memory_blocks>/;

export function normalizeGoogleRequest(req: Json, ctx: NormaliseContext, llmModel?: string): RequestSide {
  const config = isRecord(req.config) ? req.config : {};
  const contents = typeof req.contents === 'string' ? [req.contents] : asArray(req.contents);
  const messages: Message[] = [];
  const system = systemInstruction(pick(config, ...SYSTEM_KEYS) ?? pick(req, ...SYSTEM_KEYS), ctx);
  if (system) {
    messages.push(system);
  }
  contents.forEach((item) => messages.push(googleContent(item, ctx, 'user')));
  // Letta sends its system prompt as the first `user` item instead of a system instruction; any
  // other first `user` item is the user's own words, whatever its position
  const first = messages[0];
  if (
    !system && contents.length > 1 && first?.role === 'user' && first.parts.length > 0 &&
    first.parts.every((p) => p.kind === 'text') && first.parts.some((p) => p.kind === 'text' && LETTA_SYSTEM_MARKUP.test(p.text.slice(0, 20_000)))
  ) {
    first.role = 'system';
  }
  const tools = [...googleTools(config.tools), ...googleTools(req.tools)];
  const parameters = { ...without(req, NOT_TOP_PARAMETERS), ...without(config, NOT_CONFIG_PARAMETERS) };
  return { model: asString(req.model) ?? llmModel, messages, tools, parameters };
}

function chunkSource(chunk: unknown): Source | undefined {
  if (!isRecord(chunk)) {
    return undefined;
  }
  // `web`, `retrievedContext` (file search, Vertex RAG), `maps`: each a {uri, title, text?}
  for (const key of ['web', 'retrievedContext', 'retrieved_context', 'maps', 'image']) {
    const inner = chunk[key];
    if (isRecord(inner)) {
      return dropUndefined({ title: asString(inner.title) ?? asString(inner.domain), url: asString(inner.uri), text: asString(inner.text) });
    }
  }
  return undefined;
}

/**
 * `groundingMetadata`: the chunks the answer relied on (sources), the searches behind them, and
 * which span of the answer each chunk supports (citations on the answer's text).
 */
function readGrounding(raw: unknown, ctx: NormaliseContext): { sources?: Part; citations: Citation[] } {
  if (!isRecord(raw)) {
    return { citations: [] };
  }
  const chunks = asArray(pick(raw, 'groundingChunks', 'grounding_chunks')).map(chunkSource);
  const sources = chunks.filter((c): c is Source => c !== undefined);
  const queries = asArray(pick(raw, 'webSearchQueries', 'web_search_queries', 'retrievalQueries', 'retrieval_queries')).filter((q): q is string => typeof q === 'string');
  const citations: Citation[] = [];
  for (const support of asArray(pick(raw, 'groundingSupports', 'grounding_supports'))) {
    if (!isRecord(support)) {
      continue;
    }
    const segment = isRecord(support.segment) ? asString(support.segment.text) : undefined;
    for (const index of asArray(pick(support, 'groundingChunkIndices', 'grounding_chunk_indices'))) {
      const chunk = typeof index === 'number' ? chunks[index] : undefined;
      if (chunk) {
        citations.push(dropUndefined({ quote: segment, title: chunk.title, url: chunk.url }));
      }
    }
  }
  if (pick(raw, 'searchEntryPoint', 'search_entry_point') !== undefined) {
    // HTML and CSS for Google's search chip: trace content is never rendered as markup
    addNote(ctx.notes, l10n.t("Gemini's search suggestions widget (HTML) is not shown; the raw response JSON has it."));
  }
  const part: Part | undefined =
    sources.length > 0 || queries.length > 0 ? dropUndefined({ kind: 'sources' as const, label: l10n.t('Grounding'), sources, queries: queries.length > 0 ? queries : undefined }) : undefined;
  return { sources: part, citations };
}

/** `citationMetadata.citationSources`: recitations of licensed or public text. */
function readCitationMetadata(raw: unknown): Citation[] {
  const sources = isRecord(raw) ? asArray(pick(raw, 'citationSources', 'citation_sources', 'citations')) : [];
  return sources.filter(isRecord).map((c) => dropUndefined({ url: asString(c.uri), title: asString(c.title), source: asString(c.license) }));
}

/** `urlContextMetadata`: the pages the URL-context tool fetched. */
function readUrlContext(raw: unknown): Part | undefined {
  const list = isRecord(raw) ? asArray(pick(raw, 'urlMetadata', 'url_metadata')) : [];
  const sources = list.filter(isRecord).map((u) => dropUndefined({ url: asString(pick(u, 'retrievedUrl', 'retrieved_url')), title: asString(pick(u, 'urlRetrievalStatus', 'url_retrieval_status')) }));
  return sources.length > 0 ? { kind: 'sources', label: l10n.t('URL context'), sources } : undefined;
}

/** Citations belong under the text they support: the first text part that contains the cited span, else the first text part. */
function attachCitations(msg: Message, citations: Citation[]): void {
  const texts = msg.parts.filter((p): p is Extract<Part, { kind: 'text' }> => p.kind === 'text');
  for (const citation of citations) {
    const target = texts.find((t) => citation.quote !== undefined && t.text.includes(citation.quote)) ?? texts[0];
    if (target) {
      (target.citations ??= []).push(citation);
    }
  }
}

export function normalizeGoogleResponse(res: Json, ctx: NormaliseContext): ResponseSide {
  const output: Message[] = [];
  let finishReason: string | undefined;
  let finishMessage: string | undefined;
  for (const candidate of asArray(res.candidates)) {
    if (!isRecord(candidate)) {
      continue;
    }
    finishReason ??= asString(pick(candidate, 'finish_reason', 'finishReason'));
    finishMessage ??= asString(pick(candidate, 'finish_message', 'finishMessage'));
    const msg = candidate.content !== undefined && candidate.content !== null ? googleContent(candidate.content, ctx, 'assistant') : message('assistant', []);
    const grounding = readGrounding(pick(candidate, 'grounding_metadata', 'groundingMetadata'), ctx);
    attachCitations(msg, [...grounding.citations, ...readCitationMetadata(pick(candidate, 'citation_metadata', 'citationMetadata'))]);
    const urlContext = readUrlContext(pick(candidate, 'url_context_metadata', 'urlContextMetadata'));
    for (const extra of [grounding.sources, urlContext]) {
      if (extra) {
        msg.parts.push(extra);
      }
    }
    if ((candidate.content !== undefined && candidate.content !== null) || msg.parts.length > 0) {
      output.push(msg);
    }
  }
  const feedback = pick(res, 'prompt_feedback', 'promptFeedback');
  if (finishReason === undefined && isRecord(feedback)) {
    finishReason = asString(pick(feedback, 'block_reason', 'blockReason'));
    finishMessage ??= asString(pick(feedback, 'block_reason_message', 'blockReasonMessage'));
  }
  return {
    model: asString(pick(res, 'model_version', 'modelVersion')),
    output,
    finishReason,
    finishMessage,
    usage: readUsage(pick(res, 'usage_metadata', 'usageMetadata')),
  };
}

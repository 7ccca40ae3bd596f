/**
 * The one entry point: a trace's request and response into a `Conversation`. It never throws: an
 * unknown or broken shape gives `format: 'unknown'` and a note, and the viewer shows the raw JSON.
 */
import * as l10n from '@vscode/l10n';
import type { Conversation, TraceFormat } from './model';
import { normalizeAnthropicRequest, normalizeAnthropicResponse } from './anthropic';
import { detectResponseFormat, detectTraceFormats, formatLabel, formatNames, isEmptySide, readError } from './detect';
import { normalizeGoogleRequest, normalizeGoogleResponse } from './google';
import { normalizeLettaStreamResponse } from './lettaStream';
import { normalizeOpenAiChatRequest, normalizeOpenAiChatResponse } from './openaiChat';
import { normalizeOpenAiResponsesRequest, normalizeOpenAiResponsesResponse } from './openaiResponses';
import type { RequestSide, ResponseSide } from './sides';
import { addNote, asString, isRecord, newContext, type Json, type NormaliseContext } from './util';

export { detectRequest, detectRequestFormat, detectResponseFormat, detectTraceFormats, formatLabel, isEmptySide, readError } from './detect';
export type { RequestSide, ResponseSide } from './sides';

/** The fields of a `ProviderTrace` that the normaliser reads. */
export interface TraceInput {
  request_json: unknown;
  response_json: unknown;
  llm_config?: unknown;
}

function requestSide(format: TraceFormat, req: Json, ctx: NormaliseContext, llmModel: string | undefined): RequestSide | undefined {
  switch (format) {
    case 'openai-chat':
      return normalizeOpenAiChatRequest(req, ctx);
    case 'openai-responses':
      return normalizeOpenAiResponsesRequest(req, ctx);
    case 'anthropic':
      return normalizeAnthropicRequest(req, ctx);
    case 'google':
      return normalizeGoogleRequest(req, ctx, llmModel);
    default:
      return undefined;
  }
}

function responseSide(format: TraceFormat, res: Json, ctx: NormaliseContext): ResponseSide | undefined {
  switch (format) {
    case 'openai-chat':
      return normalizeOpenAiChatResponse(res, ctx);
    case 'openai-responses':
      return normalizeOpenAiResponsesResponse(res, ctx);
    case 'anthropic':
      return normalizeAnthropicResponse(res, ctx);
    case 'google':
      return normalizeGoogleResponse(res, ctx);
    case 'letta-stream':
      return normalizeLettaStreamResponse(res, ctx);
    default:
      return undefined;
  }
}

function describeFailure(err: unknown): string {
  return err instanceof Error ? err.message.slice(0, 200) : l10n.t('unexpected value');
}

/** Turns a trace into the provider-neutral conversation the viewer renders. Never throws. */
export function normalizeTrace(trace: TraceInput): Conversation {
  const ctx = newContext();
  const conversation: Conversation = {
    format: 'unknown',
    formatLabel: formatLabel('unknown'),
    requestFormat: 'unknown',
    responseFormat: 'unknown',
    messages: [],
    tools: [],
    parameters: {},
    output: [],
    notes: ctx.notes,
  };
  try {
    const source: Partial<TraceInput> = isRecord(trace) ? trace : {};
    const llmModel = isRecord(source.llm_config) ? asString(source.llm_config.model) : undefined;
    const req = source.request_json;
    const res = source.response_json;

    const formats = detectTraceFormats(req, res);
    const requestFormat = formats.request.format;
    // Even evidence (say, a `messages` request with text only and a failed call): the messages are
    // read as plain role/content pairs, which both candidate formats share, and the label says so.
    const readAs = requestFormat === 'unknown' && formats.request.candidates ? 'openai-chat' : requestFormat;
    let request: RequestSide | undefined;
    try {
      request = isRecord(req) ? requestSide(readAs, req, ctx, llmModel) : undefined;
    } catch (err) {
      addNote(ctx.notes, l10n.t('Part of the request could not be read ({0}); see the raw request JSON.', describeFailure(err)));
    }

    const error = formats.error;
    const responseFormat = formats.response;
    let response: ResponseSide | undefined;
    try {
      response = isRecord(res) ? responseSide(responseFormat, res, ctx) : undefined;
    } catch (err) {
      addNote(ctx.notes, l10n.t('Part of the response could not be read ({0}); see the raw response JSON.', describeFailure(err)));
    }

    conversation.requestFormat = requestFormat;
    conversation.responseFormat = responseFormat;
    conversation.format = formats.format;
    conversation.formatLabel = formats.label;

    if (request) {
      conversation.messages = request.messages;
      conversation.tools = request.tools;
      conversation.parameters = request.parameters;
    }
    if (response) {
      conversation.output = response.output;
      if (response.finishReason !== undefined) {
        conversation.finishReason = response.finishReason;
      }
      if (response.finishMessage !== undefined) {
        conversation.finishMessage = response.finishMessage;
      }
      if (response.usage !== undefined) {
        conversation.usage = response.usage;
      }
    }
    const model = request?.model ?? llmModel ?? response?.model;
    if (model !== undefined) {
      conversation.model = model;
    }
    if (error) {
      conversation.error = error;
    }

    const missing: ('request' | 'response')[] = [];
    if (isEmptySide(req)) {
      missing.push('request');
      addNote(ctx.notes, l10n.t('This trace has no request.'));
    } else if (formats.request.candidates) {
      addNote(
        ctx.notes,
        l10n.t('The request could be {0}: nothing in it, or in the response, tells them apart. Its messages are shown as plain role and content.', formatNames(formats.request.candidates)),
      );
    } else if (requestFormat === 'unknown') {
      addNote(ctx.notes, l10n.t('The request is in a format this viewer does not know; the raw request JSON shows all of it.'));
    }
    if (isEmptySide(res)) {
      missing.push('response');
      addNote(ctx.notes, l10n.t('This trace has no response.'));
    } else if (responseFormat === 'unknown' && !error) {
      addNote(ctx.notes, l10n.t('The response is in a format this viewer does not know; the raw response JSON shows all of it.'));
    }
    if (missing.length > 0) {
      conversation.missing = missing;
    }
  } catch (err) {
    addNote(ctx.notes, l10n.t('This trace could not be read ({0}); the raw JSON shows all of it.', describeFailure(err)));
  }
  return conversation;
}

/** The response side alone (model, finish reason, usage, output), for summaries that need no request. Never throws. */
export function normalizeResponseSide(res: unknown): ResponseSide | undefined {
  try {
    if (!isRecord(res) || readError(res)) {
      return undefined;
    }
    return responseSide(detectResponseFormat(res), res, newContext());
  } catch {
    return undefined;
  }
}

/**
 * The model parameters worth seeing at a glance, read from each provider's request parameters (the
 * `Conversation.parameters` the normalisers keep): temperature, top-p, max tokens, tool choice,
 * parallel tool calls, reasoning effort or thinking budget, response format. Every provider names
 * them differently; this is the one place that knows how. Pure: no `vscode`, no DOM.
 */
import * as l10n from '@vscode/l10n';
import type { TraceFormat } from '../conversation/model';

export type ParameterId = 'temperature' | 'topP' | 'maxTokens' | 'toolChoice' | 'parallelToolCalls' | 'reasoning' | 'responseFormat';

export interface GlanceParameter {
  id: ParameterId;
  label: string;
  /** Short text for the header (`0.7`, `required`, `effort medium`, `budget 2,048 tokens`, `json_schema: answer`). */
  value: string;
  /** The request field it came from (`max_completion_tokens`, `thinking.budget_tokens`), for the tooltip. */
  source: string;
}

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function first(params: Json, keys: string[]): { key: string; value: unknown } | undefined {
  for (const key of keys) {
    if (Object.prototype.hasOwnProperty.call(params, key) && params[key] !== undefined && params[key] !== null) {
      return { key, value: params[key] };
    }
  }
  return undefined;
}

function short(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 60 ? `${value.slice(0, 57)}…` : value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `{type: 'function', function: {name}}`, `{type: 'tool', name}`, `{mode, allowed_function_names}`, `'auto'`. */
function toolChoiceText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (!isRecord(value)) {
    return short(value);
  }
  const fn = isRecord(value.function) ? value.function : undefined;
  const name = typeof value.name === 'string' ? value.name : typeof fn?.name === 'string' ? fn.name : undefined;
  const type = typeof value.type === 'string' ? value.type : typeof value.mode === 'string' ? value.mode : undefined;
  if (type && name) {
    return `${type}: ${name}`;
  }
  return type ?? short(value);
}

/** `{type: 'json_schema', json_schema: {name}}`, `{type: 'json_schema', name}`, `{type: 'text'}`. */
function responseFormatText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (!isRecord(value)) {
    return short(value);
  }
  const type = typeof value.type === 'string' ? value.type : undefined;
  const schema = isRecord(value.json_schema) ? value.json_schema : undefined;
  const name = typeof value.name === 'string' ? value.name : typeof schema?.name === 'string' ? schema.name : undefined;
  return type ? (name ? `${type}: ${name}` : type) : short(value);
}

/** The glance parameters present in a request's parameters, in a fixed order. */
export function glanceParameters(parameters: Record<string, unknown>, format: TraceFormat): GlanceParameter[] {
  const p: Json = isRecord(parameters) ? parameters : {};
  const out: GlanceParameter[] = [];
  const push = (id: ParameterId, label: string, value: string, source: string) => out.push({ id, label, value, source });

  const temperature = first(p, ['temperature']);
  if (temperature) {
    push('temperature', l10n.t('Temperature'), short(temperature.value), temperature.key);
  }
  const topP = first(p, ['top_p', 'topP']);
  if (topP) {
    push('topP', l10n.t('Top-p'), short(topP.value), topP.key);
  }
  const max = first(p, ['max_completion_tokens', 'max_output_tokens', 'maxOutputTokens', 'max_tokens']);
  if (max) {
    push('maxTokens', l10n.t('Max tokens'), typeof max.value === 'number' ? groupDigits(max.value) : short(max.value), max.key);
  }

  // Tool choice and parallel calls.
  const choice = first(p, ['tool_choice']);
  const toolConfig = first(p, ['tool_config', 'toolConfig']);
  if (choice) {
    push('toolChoice', l10n.t('Tool choice'), toolChoiceText(choice.value), choice.key);
  } else if (toolConfig && isRecord(toolConfig.value)) {
    const fcc = toolConfig.value.function_calling_config ?? toolConfig.value.functionCallingConfig;
    if (isRecord(fcc) && fcc.mode !== undefined) {
      push('toolChoice', l10n.t('Tool choice'), toolChoiceText(fcc), `${toolConfig.key}.function_calling_config`);
    }
  }
  const parallel = first(p, ['parallel_tool_calls']);
  if (parallel) {
    push('parallelToolCalls', l10n.t('Parallel tool calls'), parallel.value === true ? l10n.t('yes') : parallel.value === false ? l10n.t('no') : short(parallel.value), parallel.key);
  } else if (format === 'anthropic' && choice && isRecord(choice.value) && typeof choice.value.disable_parallel_tool_use === 'boolean') {
    push('parallelToolCalls', l10n.t('Parallel tool calls'), choice.value.disable_parallel_tool_use ? l10n.t('no') : l10n.t('yes'), 'tool_choice.disable_parallel_tool_use');
  }

  // Reasoning: OpenAI effort, Anthropic thinking budget, Gemini thinking config.
  const effort = first(p, ['reasoning_effort']);
  const reasoning = first(p, ['reasoning']);
  const thinking = first(p, ['thinking']);
  const thinkingConfig = first(p, ['thinking_config', 'thinkingConfig']);
  if (effort) {
    push('reasoning', l10n.t('Reasoning'), l10n.t('effort {0}', short(effort.value)), effort.key);
  } else if (reasoning && isRecord(reasoning.value) && reasoning.value.effort !== undefined) {
    const summary = reasoning.value.summary;
    push('reasoning', l10n.t('Reasoning'), summary ? l10n.t('effort {0}, summary {1}', short(reasoning.value.effort), short(summary)) : l10n.t('effort {0}', short(reasoning.value.effort)), 'reasoning.effort');
  } else if (thinking && isRecord(thinking.value)) {
    const t = thinking.value;
    const budget = typeof t.budget_tokens === 'number' ? t.budget_tokens : undefined;
    const type = typeof t.type === 'string' ? t.type : undefined;
    push('reasoning', l10n.t('Thinking'), budget !== undefined && type !== 'disabled' ? l10n.t('budget {0} tokens', groupDigits(budget)) : (type ?? short(t)), budget !== undefined ? 'thinking.budget_tokens' : 'thinking');
  } else if (thinkingConfig && isRecord(thinkingConfig.value)) {
    const t = thinkingConfig.value;
    const budget = t.thinking_budget ?? t.thinkingBudget;
    const level = t.thinking_level ?? t.thinkingLevel;
    const value = typeof budget === 'number' ? (budget === -1 ? l10n.t('budget dynamic') : budget === 0 ? l10n.t('off') : l10n.t('budget {0} tokens', groupDigits(budget))) : level !== undefined ? l10n.t('level {0}', short(level)) : short(t);
    push('reasoning', l10n.t('Thinking'), value, thinkingConfig.key);
  }

  // Response format.
  const responseFormat = first(p, ['response_format', 'output_format']);
  const text = first(p, ['text']);
  const mime = first(p, ['response_mime_type', 'responseMimeType']);
  if (responseFormat) {
    push('responseFormat', l10n.t('Response format'), responseFormatText(responseFormat.value), responseFormat.key);
  } else if (text && isRecord(text.value) && text.value.format !== undefined) {
    push('responseFormat', l10n.t('Response format'), responseFormatText(text.value.format), 'text.format');
  } else if (mime) {
    const schema = first(p, ['response_schema', 'responseSchema', 'response_json_schema', 'responseJsonSchema']);
    push('responseFormat', l10n.t('Response format'), schema ? l10n.t('{0} with schema', short(mime.value)) : short(mime.value), mime.key);
  }
  return out;
}

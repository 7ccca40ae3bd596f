/** The top of the viewer: the step's identity, model, timing, tokens, status, and the toolbar. */
import { formatLatency, formatLocalTime, groupDigits } from '../core/conversation/format';
import type { TraceAction, TraceData } from '../shared/protocol';
import { copy, post } from './bridge';
import { h, icon, iconButton } from './dom';

function exact(n: number | undefined): string | undefined {
  return n === undefined ? undefined : groupDigits(n);
}

/** One "label: value" fact; `copyable` adds a copy button for IDs. */
function fact(label: string, value: string | undefined, options: { copyable?: boolean; mono?: boolean; title?: string; key: string }): HTMLElement | null {
  if (value === undefined || value === '') {
    return null;
  }
  return h(
    'div',
    { class: 'fact', 'data-fact': options.key },
    h('span', { class: 'fact-label' }, label),
    h('span', { class: `fact-value${options.mono ? ' mono' : ''}`, title: options.title ?? value }, value),
    options.copyable ? iconButton('copy', `Copy ${label}`, () => copy(value, label)) : null,
  );
}

/** Appends a button to a fact that is shown (none to a missing one). */
function withButton(el: HTMLElement | null, button: () => HTMLElement): HTMLElement | null {
  el?.append(button());
  return el;
}

const ACTIONS: { action: TraceAction; icon: string; label: string }[] = [
  { action: 'refresh', icon: 'refresh', label: 'Refresh from the server' },
  { action: 'openDocuments', icon: 'json', label: 'Open request and response as JSON documents' },
  { action: 'compare', icon: 'diff', label: 'Compare with another step' },
  { action: 'save', icon: 'save', label: 'Save trace as…' },
  { action: 'copyCurl', icon: 'terminal', label: 'Copy as cURL (the key stays in $LETTA_API_KEY)' },
  { action: 'copyMarkdown', icon: 'markdown', label: 'Copy as Markdown (conversation, tool calls, usage, cost)' },
];

/** Temperature, max tokens, tool choice, …: one line of facts under the others. */
function renderParameters(data: TraceData): HTMLElement | null {
  const params = data.context?.parameters ?? [];
  if (params.length === 0) {
    return null;
  }
  return h(
    'div',
    { class: 'facts params-glance', role: 'group', 'aria-label': 'Model parameters' },
    ...params.map((p) =>
      h('div', { class: 'fact', 'data-param': p.id }, h('span', { class: 'fact-label' }, p.label), h('span', { class: 'fact-value mono', title: `${p.source}: ${p.value}` }, p.value)),
    ),
  );
}

/**
 * The header; `cost` is the Cost fact, filled when the host has priced the step; `feedback` the
 * thumbs (only for a step from a server: a file has nowhere to send them).
 */
export function renderHeader(data: TraceData, cost?: HTMLElement, feedback?: HTMLElement): HTMLElement {
  const s = data.summary;
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Trace actions' });
  for (const a of ACTIONS) {
    const button = iconButton(a.icon, a.label, () => post({ type: 'action', action: a.action }));
    button.dataset.action = a.action;
    if ((a.action === 'copyCurl' || a.action === 'refresh') && !data.origin) {
      button.disabled = true;
      button.title = `${a.label}: not available for a trace read from a file`;
    }
    toolbar.append(button);
  }

  const status = s.status ?? (s.error ? 'failed' : undefined);
  const badges = h(
    'div',
    { class: 'badges' },
    status ? h('span', { class: `badge status-${status.replace(/[^a-z]/gi, '')}`, 'data-fact': 'status' }, status) : null,
    h('span', { class: 'badge', 'data-fact': 'format' }, s.formatLabel),
    s.stopReason ? h('span', { class: 'badge', 'data-fact': 'stopReason', title: 'Stop reason' }, icon('debug-stop'), s.stopReason) : null,
  );

  const title = h(
    'div',
    { class: 'title-row' },
    h('h1', { class: 'step-id mono', title: data.stepId }, data.stepId),
    iconButton('copy', 'Copy step ID', () => copy(data.stepId, 'Step ID')),
    badges,
    h('span', { class: 'spacer' }),
    feedback ?? null,
    toolbar,
  );

  const u = s.usage ?? {};
  const facts = h(
    'div',
    { class: 'facts' },
    fact('Created', s.createdAt ? formatLocalTime(s.createdAt) : undefined, { key: 'createdAt', title: s.createdAt }),
    fact('Model', s.model, { key: 'model', mono: true, copyable: true }),
    fact('Provider', s.provider, { key: 'provider' }),
    fact('Call type', s.callType, { key: 'callType' }),
    fact('Latency', s.latencyMs === undefined ? undefined : formatLatency(s.latencyMs), { key: 'latency' }),
    fact('Prompt', exact(u.promptTokens), { key: 'promptTokens' }),
    fact('Completion', exact(u.completionTokens), { key: 'completionTokens' }),
    fact('Total', exact(u.totalTokens), { key: 'totalTokens' }),
    fact('Cached', exact(u.cachedTokens), { key: 'cachedTokens' }),
    fact('Cache write', exact(u.cacheWriteTokens), { key: 'cacheWriteTokens' }),
    fact('Reasoning', exact(u.reasoningTokens), { key: 'reasoningTokens' }),
    fact('Tool-use prompt', exact(u.toolUsePromptTokens), { key: 'toolUsePromptTokens', title: 'Tokens of built-in tool results read back into the prompt (Gemini), counted apart from the prompt' }),
    fact('Audio in', exact(u.audioPromptTokens), { key: 'audioPromptTokens' }),
    fact('Audio out', exact(u.audioCompletionTokens), { key: 'audioCompletionTokens' }),
    fact('Not itemised', exact(u.unaccountedTokens), { key: 'unaccountedTokens', title: 'The total the provider reported minus the parts it named: tokens counted but not itemised' }),
    cost ?? null,
    fact('Agent', s.agentId, { key: 'agentId', mono: true, copyable: true }),
    withButton(fact('Run', s.runId, { key: 'runId', mono: true, copyable: true }), () => iconButton('run-all', 'Open the run: every step and what changed between them', () => post({ type: 'action', action: 'openRun' }))),
    data.file ? fact('File', data.file, { key: 'file', mono: true, copyable: true }) : null,
  );

  // A plain block, not <header>: inside the page's main landmark a banner is misplaced (axe: landmark-banner-is-top-level).
  return h('div', { class: 'trace-header' }, title, facts, renderParameters(data));
}

/** A failed call, shown before anything else. */
export function renderErrorBanner(error: { message: string; type?: string } | undefined): HTMLElement | null {
  if (!error) {
    return null;
  }
  return h(
    'div',
    { class: 'banner banner-error', role: 'alert', 'data-part': 'call-error' },
    icon('error'),
    h('div', null, h('strong', null, error.type ? `The call failed (${error.type})` : 'The call failed'), h('div', { class: 'banner-text' }, error.message)),
  );
}

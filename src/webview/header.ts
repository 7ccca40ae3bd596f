/** The top of the viewer: the step's identity, model, timing, tokens, status, and the toolbar. */
import * as l10n from '@vscode/l10n';
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
    options.copyable ? iconButton('copy', l10n.t('Copy {0}', label), () => copy(value, label)) : null,
  );
}

/** Appends a button to a fact that is shown (none to a missing one). */
function withButton(el: HTMLElement | null, button: () => HTMLElement): HTMLElement | null {
  el?.append(button());
  return el;
}

/** A function, not a table: the words are looked up once the page's bundle is configured. */
const actions = (): { action: TraceAction; icon: string; label: string }[] => [
  { action: 'refresh', icon: 'refresh', label: l10n.t('Refresh from the server') },
  { action: 'openDocuments', icon: 'json', label: l10n.t('Open request and response as JSON documents') },
  { action: 'compare', icon: 'diff', label: l10n.t('Compare with another step') },
  { action: 'save', icon: 'save', label: l10n.t('Save trace as…') },
  { action: 'copyCurl', icon: 'terminal', label: l10n.t('Copy as cURL (the key stays in $LETTA_API_KEY)') },
  { action: 'copyMarkdown', icon: 'markdown', label: l10n.t('Copy as Markdown (conversation, tool calls, usage, cost)') },
];

/** Temperature, max tokens, tool choice, …: one line of facts under the others. */
function renderParameters(data: TraceData): HTMLElement | null {
  const params = data.context?.parameters ?? [];
  if (params.length === 0) {
    return null;
  }
  return h(
    'div',
    { class: 'facts params-glance', role: 'group', 'aria-label': l10n.t('Model parameters') },
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
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': l10n.t('Trace actions') });
  for (const a of actions()) {
    const button = iconButton(a.icon, a.label, () => post({ type: 'action', action: a.action }));
    button.dataset.action = a.action;
    if ((a.action === 'copyCurl' || a.action === 'refresh') && !data.origin) {
      button.disabled = true;
      button.title = l10n.t('{0}: not available for a trace read from a file', a.label);
    }
    toolbar.append(button);
  }

  const status = s.status ?? (s.error ? 'failed' : undefined);
  const badges = h(
    'div',
    { class: 'badges' },
    status ? h('span', { class: `badge status-${status.replace(/[^a-z]/gi, '')}`, 'data-fact': 'status' }, status) : null,
    h('span', { class: 'badge', 'data-fact': 'format' }, s.formatLabel),
    s.stopReason ? h('span', { class: 'badge', 'data-fact': 'stopReason', title: l10n.t('Stop reason') }, icon('debug-stop'), s.stopReason) : null,
  );

  const title = h(
    'div',
    { class: 'title-row' },
    h('h1', { class: 'step-id mono', title: data.stepId }, data.stepId),
    iconButton('copy', l10n.t('Copy step ID'), () => copy(data.stepId, l10n.t('Step ID'))),
    badges,
    h('span', { class: 'spacer' }),
    feedback ?? null,
    toolbar,
  );

  const u = s.usage ?? {};
  const facts = h(
    'div',
    { class: 'facts' },
    fact(l10n.t('Created'), s.createdAt ? formatLocalTime(s.createdAt) : undefined, { key: 'createdAt', title: s.createdAt }),
    fact(l10n.t('Model'), s.model, { key: 'model', mono: true, copyable: true }),
    fact(l10n.t('Provider'), s.provider, { key: 'provider' }),
    fact(l10n.t('Call type'), s.callType, { key: 'callType' }),
    fact(l10n.t('Latency'), s.latencyMs === undefined ? undefined : formatLatency(s.latencyMs), { key: 'latency' }),
    fact(l10n.t('Prompt'), exact(u.promptTokens), { key: 'promptTokens' }),
    fact(l10n.t('Completion'), exact(u.completionTokens), { key: 'completionTokens' }),
    fact(l10n.t('Total'), exact(u.totalTokens), { key: 'totalTokens' }),
    fact(l10n.t('Cached'), exact(u.cachedTokens), { key: 'cachedTokens' }),
    fact(l10n.t('Cache write'), exact(u.cacheWriteTokens), { key: 'cacheWriteTokens' }),
    fact(l10n.t('Reasoning'), exact(u.reasoningTokens), { key: 'reasoningTokens' }),
    fact(l10n.t('Tool-use prompt'), exact(u.toolUsePromptTokens), { key: 'toolUsePromptTokens', title: l10n.t('Tokens of built-in tool results read back into the prompt (Gemini), counted apart from the prompt') }),
    fact(l10n.t('Audio in'), exact(u.audioPromptTokens), { key: 'audioPromptTokens' }),
    fact(l10n.t('Audio out'), exact(u.audioCompletionTokens), { key: 'audioCompletionTokens' }),
    fact(l10n.t('Not itemised'), exact(u.unaccountedTokens), { key: 'unaccountedTokens', title: l10n.t('The total the provider reported minus the parts it named: tokens counted but not itemised') }),
    cost ?? null,
    fact(l10n.t('Agent'), s.agentId, { key: 'agentId', mono: true, copyable: true }),
    withButton(fact(l10n.t('Run'), s.runId, { key: 'runId', mono: true, copyable: true }), () => iconButton('run-all', l10n.t('Open the run: every step and what changed between them'), () => post({ type: 'action', action: 'openRun' }))),
    data.file ? fact(l10n.t('File'), data.file, { key: 'file', mono: true, copyable: true }) : null,
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
    h('div', null, h('strong', null, error.type ? l10n.t('The call failed ({0})', error.type) : l10n.t('The call failed')), h('div', { class: 'banner-text' }, error.message)),
  );
}

/**
 * What a model's answer rests on: citations under the text they support, the sources a search or
 * grounding returned, and the tools an MCP server listed. URLs are text; a web URL is a button that
 * asks the host to open it (the host checks it again), nothing else ever becomes a link.
 */
import * as l10n from '@vscode/l10n';
import type { Citation, Part, Source, ToolDefinition } from '../core/conversation/model';
import { post } from './bridge';
import { collapsible, formatSize, h, icon, isWebUrl, textBlock } from './dom';

/** A URL shown as a button that asks the host to open it; any other scheme says what it is, not what it says. */
export function urlView(url: string): HTMLElement {
  if (isWebUrl(url)) {
    const link = h('button', { type: 'button', class: 'link-button', title: l10n.t('Open {0}', url) }, url.length > 120 ? `${url.slice(0, 117)}…` : url);
    link.addEventListener('click', () => post({ type: 'openLink', url }));
    return link;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  return h('span', { class: 'muted' }, scheme === 'data' ? l10n.t('inline data') : l10n.t('{0} URL (not opened)', scheme ?? l10n.t('unknown')));
}

function citationView(c: Citation): HTMLElement {
  return h(
    'li',
    { class: 'citation', 'data-part': 'citation' },
    h('div', { class: 'citation-head' }, icon('quote'), c.title ? h('span', { class: 'citation-title' }, c.title) : null, c.source ? h('span', { class: 'muted' }, c.source) : null, c.url ? urlView(c.url) : null),
    c.citedText ? textBlock(c.citedText, 'text cited-text') : null,
    c.quote ? h('div', { class: 'muted citation-quote' }, l10n.t('Supports: '), h('span', { class: 'quote-text' }, c.quote.length > 300 ? `${c.quote.slice(0, 297)}…` : c.quote)) : null,
  );
}

/** The citations of one text part, listed right under it. */
export function citationsView(citations: Citation[]): HTMLElement {
  return h(
    'div',
    { class: 'citations', 'data-part': 'citations', role: 'group', 'aria-label': l10n.t('Citations') },
    h('div', { class: 'muted citations-head' }, citations.length === 1 ? l10n.t('1 citation') : l10n.t('{0} citations', citations.length)),
    h('ol', { class: 'citation-list' }, ...citations.map(citationView)),
  );
}

function sourceView(s: Source): HTMLElement {
  return h(
    'li',
    { class: 'source', 'data-part': 'source' },
    h('div', { class: 'citation-head' }, h('span', { class: 'citation-title' }, s.title ?? s.url ?? l10n.t('Untitled source')), s.age ? h('span', { class: 'muted' }, s.age) : null, s.url ? urlView(s.url) : null),
    s.text ? collapsible([h('span', { class: 'muted' }, l10n.t('Text · {0}', formatSize(s.text.length)))], () => textBlock(s.text ?? '', 'text source-text')) : null,
  );
}

/** Search results, grounding chunks and fetched pages, with the queries that found them. */
export function sourcesView(part: Extract<Part, { kind: 'sources' }>): HTMLElement {
  return h(
    'div',
    { class: 'part part-sources', 'data-part': 'sources' },
    h('div', { class: 'part-head' }, icon('search'), h('span', null, part.label), h('span', { class: 'muted' }, part.sources.length === 1 ? l10n.t('1 source') : l10n.t('{0} sources', part.sources.length))),
    part.queries && part.queries.length > 0
      ? h('div', { class: 'queries', 'data-part': 'queries' }, h('span', { class: 'muted' }, part.queries.length === 1 ? l10n.t('Query:') : l10n.t('Queries:')), ...part.queries.map((q) => h('span', { class: 'query mono' }, q)))
      : null,
    part.sources.length > 0 ? h('ol', { class: 'source-list' }, ...part.sources.map(sourceView)) : null,
  );
}

/** The tools an MCP server listed, each as the Tools section shows a tool. */
export function toolListView(part: Extract<Part, { kind: 'tool-list' }>, renderTool: (t: ToolDefinition) => HTMLElement): HTMLElement {
  return h(
    'div',
    { class: 'part part-tool-list', 'data-part': 'tool-list' },
    h('div', { class: 'part-head' }, icon('server'), h('span', null, l10n.t('Tools listed by MCP server')), h('span', { class: 'tool-name mono' }, part.server), h('span', { class: 'muted' }, String(part.tools.length))),
    part.error ? h('div', { class: 'banner-text is-error' }, part.error) : null,
    h('div', { class: 'tools' }, ...part.tools.map(renderTool)),
  );
}

/** Plain text of a citation list, a source list or a tool listing, for "Copy message". */
export function citationsText(citations: Citation[]): string {
  return citations.map((c, i) => `[${i + 1}] ${[c.title, c.url, c.source].filter(Boolean).join(' · ')}${c.citedText ? `\n    ${c.citedText}` : ''}`).join('\n');
}

export function sourcesText(part: Extract<Part, { kind: 'sources' }>): string {
  const queries = part.queries?.length ? `${l10n.t('Queries: {0}', part.queries.join('; '))}\n` : '';
  return `${part.label}\n${queries}${part.sources.map((s, i) => `[${i + 1}] ${[s.title, s.url].filter(Boolean).join(' · ')}`).join('\n')}`;
}

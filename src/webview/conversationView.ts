/** The Conversation tab: the request as a chat, the tools, the parameters and the response. */
import { formatUsage, groupDigits } from '../core/conversation/format';
import type { LocatedSystemPrompt } from '../core/context/stepContext';
import type { Conversation, Message, Part, ToolDefinition } from '../core/conversation/model';
import { copy } from './bridge';
import { collapsible, formatBytes, formatSize, h, icon, iconButton, prettyJson, textBlock, textButton } from './dom';
import { renderSystemPrompt } from './memoryCards';
import type { Scheduler } from './scheduler';
import { citationsText, citationsView, sourcesText, sourcesView, toolListView, urlView } from './sourcesView';

const ROLE_ICONS: Record<string, string> = {
  system: 'settings-gear',
  developer: 'tools',
  user: 'account',
  assistant: 'hubot',
  tool: 'output',
};

const ROLE_LABELS: Record<string, string> = {
  system: 'System',
  developer: 'Developer',
  user: 'User',
  assistant: 'Assistant',
  tool: 'Tool',
};

/** Long system prompts are folded: they are often most of the request and rarely what you look for. */
const FOLD_CHARS = 600;
const FOLD_LINES = 12;

/** How a call or result that the provider ran (not the client) is labelled. */
function originLabel(part: { origin?: string; server?: string }, what: 'call' | 'result' | 'error'): string | undefined {
  if (part.origin === 'mcp') {
    return what === 'call' ? 'MCP call' : what === 'error' ? 'MCP error' : 'MCP result';
  }
  if (part.origin === 'server') {
    return what === 'call' ? 'Server tool call' : what === 'error' ? 'Server tool error' : 'Server tool result';
  }
  return undefined;
}

function partText(part: Part): string {
  switch (part.kind) {
    case 'text':
      return part.citations?.length ? `${part.text}\n${citationsText(part.citations)}` : part.text;
    case 'thinking':
      return part.text;
    case 'sources':
      return sourcesText(part);
    case 'tool-list':
      return `Tools listed by MCP server ${part.server}: ${part.tools.map((t) => t.name).join(', ')}`;
    case 'tool-call':
      return `${part.name}(${prettyJson(part.arguments)})`;
    case 'tool-result':
      return part.content.map(partText).join('\n');
    case 'image':
      return `[image${part.mediaType ? ` ${part.mediaType}` : ''}]`;
    case 'json':
      return prettyJson(part.value);
  }
}

function messageText(message: Message): string {
  return message.parts.map(partText).join('\n\n');
}

function renderPart(part: Part): HTMLElement {
  switch (part.kind) {
    case 'text':
      if (part.citations && part.citations.length > 0) {
        return h('div', { class: 'part part-cited', 'data-part': 'cited-text' }, textBlock(part.text, 'text'), citationsView(part.citations));
      }
      return textBlock(part.text, 'text');
    case 'image': {
      const details = [part.mediaType ?? 'unknown type', part.bytes !== undefined ? formatBytes(part.bytes) : undefined].filter(Boolean).join(' · ');
      // data:, javascript: and the like are never links or images: urlView says what it is, not what it says.
      return h('div', { class: 'part part-image', 'data-part': 'image' }, icon('file-media'), h('span', null, 'Image'), h('span', { class: 'muted' }, details), part.url ? urlView(part.url) : null);
    }
    case 'sources':
      return sourcesView(part);
    case 'tool-list':
      return toolListView(part, renderTool);
    case 'thinking':
      if (part.redacted) {
        return h(
          'div',
          { class: 'part part-thinking', 'data-part': 'thinking', 'data-redacted': part.encrypted ? 'encrypted' : 'redacted' },
          icon(part.encrypted ? 'lock' : 'eye-closed'),
          h('span', { class: 'muted' }, part.encrypted ? 'Encrypted reasoning (not readable)' : 'Redacted thinking'),
        );
      }
      return collapsible(
        [icon('lightbulb'), h('span', null, 'Thinking'), h('span', { class: 'muted' }, formatSize(part.text.length))],
        () => textBlock(part.text, 'text thinking-text'),
        part.text.length < 400,
        'part part-thinking',
      );
    case 'tool-call': {
      const args = prettyJson(part.arguments);
      return h(
        'div',
        { class: `part part-tool-call${part.origin ? ` origin-${part.origin}` : ''}`, 'data-part': 'tool-call', 'data-origin': part.origin ?? 'client' },
        h(
          'div',
          { class: 'part-head' },
          icon(part.origin === 'mcp' ? 'server' : part.origin === 'server' ? 'cloud' : 'symbol-method'),
          originLabel(part, 'call') ? h('span', { class: 'origin-label' }, originLabel(part, 'call')) : null,
          part.server ? h('span', { class: 'muted mono', title: 'MCP server' }, part.server) : null,
          h('span', { class: 'tool-name mono' }, part.name),
          part.id ? h('span', { class: 'muted mono', title: 'Tool call ID' }, part.id) : null,
          h('span', { class: 'spacer' }),
          iconButton('copy', 'Copy arguments', () => copy(args, 'Tool call arguments')),
        ),
        textBlock(args, 'code'),
      );
    }
    case 'tool-result':
      return h(
        'div',
        { class: `part part-tool-result${part.isError ? ' is-error' : ''}${part.origin ? ` origin-${part.origin}` : ''}`, 'data-part': 'tool-result', 'data-origin': part.origin ?? 'client' },
        h(
          'div',
          { class: 'part-head' },
          icon(part.isError ? 'error' : part.origin === 'mcp' ? 'server' : part.origin === 'server' ? 'cloud' : 'output'),
          h('span', null, originLabel(part, part.isError ? 'error' : 'result') ?? (part.isError ? 'Tool error' : 'Tool result')),
          part.server ? h('span', { class: 'muted mono', title: 'MCP server' }, part.server) : null,
          part.name ? h('span', { class: 'tool-name mono' }, part.name) : null,
          part.toolCallId ? h('span', { class: 'muted mono', title: 'Tool call ID' }, part.toolCallId) : null,
        ),
        ...part.content.map(renderResultPart),
        part.content.length === 0 ? h('span', { class: 'muted' }, 'No content') : null,
      );
    case 'json':
      return h(
        'div',
        { class: 'part part-json', 'data-part': 'json' },
        h('div', { class: 'part-head' }, icon('json'), h('span', null, part.label)),
        textBlock(prettyJson(part.value), 'code'),
      );
  }
}

/** Tool results are mostly JSON text (Letta's `{"status": "OK", "message": ...}`): shown indented. */
const FORMAT_RESULT_CHARS = 200_000;

function renderResultPart(part: Part): HTMLElement {
  if (part.kind === 'text' && part.text.length <= FORMAT_RESULT_CHARS && /^\s*[[{]/.test(part.text)) {
    try {
      const value: unknown = JSON.parse(part.text);
      if (value !== null && typeof value === 'object') {
        return textBlock(JSON.stringify(value, null, 2), 'code');
      }
    } catch {
      // Not JSON after all: shown as the text it is.
    }
  }
  return renderPart(part);
}

function renderMessage(message: Message, index: number, prompt?: LocatedSystemPrompt): HTMLElement {
  const role = message.role in ROLE_LABELS ? message.role : 'user';
  const head = h(
    'div',
    { class: 'msg-head' },
    icon(ROLE_ICONS[role] ?? 'comment'),
    h('span', { class: 'role' }, ROLE_LABELS[role] ?? role),
    message.name ? h('span', { class: 'msg-name mono' }, message.name) : null,
    h('span', { class: 'spacer' }),
    iconButton('copy', 'Copy message', () => copy(messageText(message), `${ROLE_LABELS[role] ?? 'Message'} message`)),
  );
  const buildBody = () => h('div', { class: 'msg-body' }, ...message.parts.map(renderPart));
  const article = h('article', { class: `msg role-${role}`, 'data-role': role, 'data-index': index });
  if (prompt && prompt.messageIndex === index) {
    // Letta's prompt: its memory blocks as cards, shown open; the long instructions fold inside.
    const body = h('div', { class: 'msg-body' }, ...message.parts.map((p, i) => (i === prompt.partIndex ? renderSystemPrompt(prompt) : renderPart(p))));
    article.append(head, body);
    return article;
  }
  if (role === 'system' || role === 'developer') {
    const text = messageText(message);
    const lines = text.length > FOLD_CHARS ? FOLD_LINES + 1 : text.split('\n').length;
    if (text.length > FOLD_CHARS || lines > FOLD_LINES) {
      article.append(
        collapsible(
          [icon(ROLE_ICONS[role]), h('span', { class: 'role' }, ROLE_LABELS[role]), h('span', { class: 'muted' }, formatSize(text.length)), h('span', { class: 'muted preview' }, text.slice(0, 160).replace(/\s+/g, ' '))],
          buildBody,
          false,
          'msg-fold',
        ),
      );
      return article;
    }
  }
  article.append(head, buildBody());
  return article;
}

const TOOL_KIND_LABELS: Record<string, string> = { custom: 'Custom tool', server: 'Server tool', mcp: 'MCP server' };

function renderTool(tool: ToolDefinition): HTMLElement {
  return h(
    'div',
    { class: 'tool', 'data-tool': tool.name, 'data-kind': tool.kind ?? 'function' },
    h(
      'div',
      { class: 'part-head' },
      icon(tool.kind === 'mcp' ? 'server' : tool.kind === 'server' ? 'cloud' : 'symbol-method'),
      h('span', { class: 'tool-name mono' }, tool.name),
      tool.kind && TOOL_KIND_LABELS[tool.kind] ? h('span', { class: 'badge tool-kind' }, TOOL_KIND_LABELS[tool.kind]) : null,
      tool.type && tool.type !== tool.name ? h('span', { class: 'muted mono' }, tool.type) : null,
    ),
    tool.description ? textBlock(tool.description, 'text tool-description') : null,
    tool.parameters !== undefined ? collapsible([h('span', null, tool.kind === 'custom' ? 'Input format' : 'Schema')], () => textBlock(prettyJson(tool.parameters), 'code')) : null,
    tool.config !== undefined ? collapsible([h('span', null, 'Settings')], () => textBlock(prettyJson(tool.config), 'code'), tool.kind === 'mcp' || tool.kind === 'server') : null,
  );
}

function section(title: string, count: number | undefined, id: string, ...children: (Node | null)[]): HTMLElement {
  return h(
    'section',
    { class: 'section', 'data-section': id, 'aria-label': title },
    h('h2', null, title, count !== undefined ? h('span', { class: 'count' }, String(count)) : null),
    ...children,
  );
}

function renderParameters(parameters: Record<string, unknown>): HTMLElement {
  const table = h('dl', { class: 'params' });
  for (const [key, value] of Object.entries(parameters)) {
    const text = typeof value === 'string' ? value : prettyJson(value);
    table.append(h('dt', { class: 'mono' }, key), h('dd', { class: 'mono' }, textBlock(text, 'param-value')));
  }
  return table;
}

/** How many left-out messages one "Show more" adds. */
const GAP_STEP = 50;

/** Takes the left-out middle messages as they arrive from the host. */
export interface ConversationView {
  addMessages(start: number, messages: Message[], cut?: number[]): void;
}

/** Asks the host for messages `start` .. `start + count - 1` (`whole`: no string cut). */
type RequestMessages = (start: number, count: number, whole?: boolean) => void;

/** About how tall a message not yet here is, so the page keeps its scroll height (px). */
function estimatedHeight(count: number, chars: number): number {
  return Math.round(count * 56 + (chars / 100) * 18);
}

/**
 * The left-out middle of a long conversation: a bar saying how many messages are hidden, with
 * "Show more" (from the top of the gap down) and "Show all". Messages render only on request, and
 * those not yet arrived render when they do.
 */
class MessageGap {
  readonly element: HTMLElement;
  private readonly received: (Message | undefined)[];
  private next: number;
  private target: number;
  private readonly label: HTMLElement;
  private readonly end: number;

  /** A request to the host is under way (lazy: the host sends only what the page asks for). */
  private inFlight = false;
  /** The gap is on screen (or near it): it keeps loading until it is not. */
  private visible = false;
  private readonly fullHeight: number;

  constructor(
    private readonly omitted: { start: number; count: number; lazy?: boolean; chars?: number },
    private readonly scheduler: Scheduler,
    private readonly render: (message: Message, index: number) => HTMLElement,
    private readonly request?: RequestMessages,
  ) {
    this.received = new Array<Message | undefined>(omitted.count);
    this.next = omitted.start;
    this.target = omitted.start;
    this.end = omitted.start + omitted.count;
    this.label = h('span', { class: 'gap-label' });
    this.fullHeight = estimatedHeight(omitted.count, omitted.chars ?? 0);
    this.element = h(
      'div',
      { class: 'gap', 'data-part': 'gap', role: 'group', 'aria-label': 'Messages not shown' },
      icon('ellipsis'),
      this.label,
      h('span', { class: 'spacer' }),
      textButton('unfold', `Show ${GAP_STEP} more`, () => this.showUpTo(this.next + GAP_STEP), 'gap-more'),
      textButton(undefined, 'Show all', () => this.showUpTo(this.end), 'gap-all'),
    );
    if (this.lazy) {
      // Placeholder height for what is not here yet, and loading as it scrolls into view.
      this.element.dataset.lazy = 'true';
      this.element.style.minHeight = `${this.fullHeight}px`;
      new IntersectionObserver(
        (entries) => {
          this.visible = entries.some((e) => e.isIntersecting);
          if (this.visible) {
            this.showUpTo(this.next + GAP_STEP);
          }
        },
        { rootMargin: '600px 0px' },
      ).observe(this.element);
    }
    this.update();
  }

  private get lazy(): boolean {
    return this.omitted.lazy === true && this.request !== undefined;
  }

  /** Whether `index` is one this gap stands for. */
  holds(index: number): boolean {
    return index >= this.next && index < this.end;
  }

  add(start: number, messages: Message[]): void {
    this.inFlight = false;
    messages.forEach((m, k) => {
      const at = start + k - this.omitted.start;
      if (at >= 0 && at < this.received.length) {
        this.received[at] = m;
      }
    });
    this.drain();
  }

  private showUpTo(index: number): void {
    this.target = Math.max(this.target, Math.min(index, this.end));
    this.drain();
  }

  /** Asks the host for the first wanted message not here yet (one page at a time). */
  private fetchMore(): void {
    if (!this.lazy || this.inFlight) {
      return;
    }
    let from = this.next;
    while (from < this.target && this.received[from - this.omitted.start]) {
      from++;
    }
    if (from >= this.target) {
      return;
    }
    this.inFlight = true;
    this.request!(from, Math.max(GAP_STEP, this.target - from));
  }

  /** Renders what was asked for and has arrived, in slices; the gap stays below what it renders. */
  private drain(): void {
    const queued = this.next;
    let at = queued;
    while (at < this.target && this.received[at - this.omitted.start]) {
      const index = at++;
      const message = this.received[index - this.omitted.start]!;
      this.scheduler.add(() => {
        this.element.before(this.render(message, index));
        // Rendered messages are in the DOM now; drop them here.
        this.received[index - this.omitted.start] = undefined;
      });
    }
    this.next = at;
    this.fetchMore();
    this.scheduler.add(() => this.update());
  }

  private update(): void {
    const hidden = this.end - this.next;
    if (hidden <= 0) {
      this.element.remove();
      return;
    }
    const waiting = this.target > this.next;
    this.label.textContent = `${groupDigits(hidden)} earlier message${hidden === 1 ? '' : 's'} not shown${waiting ? ' (loading…)' : ''}`;
    this.element.dataset.hidden = String(hidden);
    if (this.lazy) {
      this.element.style.minHeight = `${Math.round((this.fullHeight * hidden) / this.omitted.count)}px`;
      if (this.visible && !waiting) {
        // Still on screen after the last page rendered: the next one.
        this.showUpTo(this.next + GAP_STEP);
      }
    }
  }
}

/**
 * Renders the conversation into `root`. Messages are queued on the scheduler, so the first screen
 * shows at once and a long conversation fills in slice by slice; a left-out middle (`omitted`)
 * waits behind a "Show more" bar.
 */
export function renderConversation(
  root: HTMLElement,
  conversation: Conversation,
  scheduler: Scheduler,
  showRaw: () => void,
  omitted?: { start: number; count: number },
  extras: { systemPrompt?: LocatedSystemPrompt; contextSection?: HTMLElement; cut?: number[]; request?: RequestMessages } = {},
): ConversationView {
  const c = conversation;
  // Messages sent with long strings cut: each offers its whole text, fetched from the host.
  const cut = new Set(extras.cut ?? []);
  const cutArticles = new Map<number, HTMLElement>();
  const renderOne = (m: Message, i: number): HTMLElement => {
    const article = renderMessage(m, i, extras.systemPrompt);
    if (cut.has(i) && extras.request) {
      const request = extras.request;
      article.dataset.cut = 'true';
      article.append(
        h('div', { class: 'banner banner-info', 'data-part': 'cut' }, icon('fold'), h('span', null, 'Long texts in this message are cut.'), textButton('unfold', 'Show the whole message', () => request(i, 1, true), 'cut-more')),
      );
      cutArticles.set(i, article);
    }
    return article;
  };
  const missingRequest = c.missing?.includes('request') ?? false;
  const missingResponse = c.missing?.includes('response') ?? false;
  // an empty side is no format at all: the notes say "This trace has no request/response"
  const unknown = c.format === 'unknown' && !(missingRequest && missingResponse);
  if (unknown || c.notes.length > 0) {
    const notes = h('div', { class: 'banner banner-info', 'data-part': 'notes' }, icon('info'));
    const list = h('div', null);
    if (unknown) {
      const raw = h('button', { type: 'button', class: 'link-button' }, 'Open Raw JSON');
      raw.addEventListener('click', showRaw);
      const candidates = /^Unknown format \(looks like (.+)\)$/.exec(c.formatLabel)?.[1];
      const what = candidates ? `could be ${candidates}, and nothing in it tells which` : 'is not one the viewer knows';
      list.append(h('div', null, `This trace\u2019s format ${what}, so it shows what it could read. `, raw));
    }
    for (const note of c.notes) {
      list.append(h('div', null, note));
    }
    notes.append(list);
    root.append(notes);
  }

  if (extras.contextSection) {
    root.append(extras.contextSection);
  }
  const messages = section('Request', c.messages.length + (omitted?.count ?? 0), 'messages');
  root.append(messages);
  if (c.messages.length === 0) {
    messages.append(h('p', { class: 'muted', 'data-part': 'request-empty' }, missingRequest ? 'This trace has no request.' : 'No messages could be read from the request.'));
  }
  const list = h('div', { class: 'messages' });
  messages.append(list);
  const head = omitted ? Math.min(omitted.start, c.messages.length) : c.messages.length;
  c.messages.slice(0, head).forEach((m, i) => scheduler.add(() => list.append(renderOne(m, i))));
  let gap: MessageGap | undefined;
  if (omitted && omitted.count > 0) {
    const g = new MessageGap(omitted, scheduler, renderOne, extras.request);
    gap = g;
    scheduler.add(() => list.append(g.element));
    const tailStart = omitted.start + omitted.count;
    c.messages.slice(head).forEach((m, k) => scheduler.add(() => list.append(renderOne(m, tailStart + k))));
  }

  const response = section('Response', undefined, 'response');
  const responseFacts = h(
    'div',
    { class: 'response-facts' },
    c.finishReason ? h('span', { class: 'badge', 'data-fact': 'finishReason', title: 'Finish reason' }, icon('debug-stop'), c.finishReason) : null,
    c.finishMessage ? h('span', { class: 'muted finish-message', 'data-fact': 'finishMessage' }, c.finishMessage) : null,
    c.usage ? h('span', { class: 'usage', 'data-fact': 'usage' }, icon('symbol-numeric'), formatUsage(c.usage), c.usage.totalTokens !== undefined ? ` · ${groupDigits(c.usage.totalTokens)} total` : '') : null,
  );
  response.append(responseFacts);
  if (c.error) {
    response.append(h('div', { class: 'banner banner-error', 'data-part': 'response-error' }, icon('error'), h('div', null, h('strong', null, c.error.type ?? 'Error'), h('div', { class: 'banner-text' }, c.error.message))));
  }
  const output = h('div', { class: 'messages output' });
  response.append(output);
  if (c.output.length === 0 && !c.error) {
    output.append(h('p', { class: 'muted', 'data-part': 'response-empty' }, missingResponse ? 'This trace has no response.' : 'The response has no messages.'));
  }
  // The response goes right after the first screen of messages, so it is never last to arrive.
  scheduler.add(() => {
    root.insertBefore(response, messages.nextSibling);
    c.output.forEach((m, i) => output.append(renderMessage(m, i)));
  });

  if (c.tools.length > 0) {
    const tools = section('Tools', c.tools.length, 'tools');
    const toolList = h('div', { class: 'tools' });
    tools.append(collapsible([h('span', null, `${c.tools.length} tool definition${c.tools.length === 1 ? '' : 's'}`)], () => toolList, c.tools.length <= 8));
    c.tools.forEach((t) => scheduler.add(() => toolList.append(renderTool(t))));
    scheduler.add(() => root.append(tools));
  }

  const paramKeys = Object.keys(c.parameters);
  if (paramKeys.length > 0) {
    scheduler.add(() => root.append(section('Parameters', paramKeys.length, 'parameters', renderParameters(c.parameters))));
  }
  return {
    addMessages: (start, more, moreCut) => {
      for (const i of moreCut ?? []) {
        cut.add(i);
      }
      // A whole message asked for replaces its cut one; anything else fills the gap.
      const whole = more.length === 1 ? cutArticles.get(start) : undefined;
      if (whole && !(moreCut ?? []).includes(start) && !gap?.holds(start)) {
        cut.delete(start);
        cutArticles.delete(start);
        whole.replaceWith(renderOne(more[0], start));
        return;
      }
      gap?.add(start, more);
    },
  };
}

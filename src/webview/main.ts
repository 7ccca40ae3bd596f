/**
 * The trace viewer's program. It posts `ready`, then renders whatever the host sends: a trace,
 * "loading" or an error. Everything from the trace is inserted as text (see dom.ts).
 */
import './styles.css';
import type { StepContextLater } from '../core/context/stepContext';
import type { FeedbackState, HostMessage, TraceData } from '../shared/protocol';
import { getState, post, setState } from './bridge';
import { renderContextSection, renderCostFact } from './contextView';
import { renderConversation, type ConversationView } from './conversationView';
import { h, icon, textButton } from './dom';
import { renderErrorBanner, renderHeader } from './header';
import { renderFeedbackButtons } from './feedbackButtons';
import { renderLazyRaw, renderRaw } from './rawView';
import { forgetRequests, hostRawSource, settle } from './hostRequests';
import { Scheduler } from './scheduler';
import { bindFindShortcut, renderFindBar, type FindBar } from './findBar';
import { revealMatch } from './findReveal';
import type { JsonTree } from './jsonTree';

type Tab = 'conversation' | 'raw';

const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
const scheduler = new Scheduler();
/** How long the first slice may take before the page paints; the rest follows in small slices. */
const FIRST_SCREEN_MS = 16;

/** What arrives after the `trace` message for the trace on screen. */
interface Current {
  stepId: string;
  conversation: ConversationView;
  rawParts: string[];
  raw: string | undefined;
  /** Called once the raw text is complete (the Raw JSON tab was opened before it arrived). */
  onRaw: (() => void) | undefined;
  /** Fills the context window and the cost when the host's `context` message arrives. */
  showContext: (later: StepContextLater) => void;
  /** Shows the step's feedback as the host reports it. */
  showFeedback: (state: FeedbackState) => void;
  /** The find over the whole trace, when the host holds it (`rawLazy`). */
  find?: FindBar;
}
let current: Current | undefined;

function setRenderState(state: string): void {
  document.body.dataset.render = state;
}

function showLoading(): void {
  current = undefined;
  scheduler.reset();
  app.replaceChildren(h('div', { class: 'placeholder', role: 'status' }, icon('loading codicon-modifier-spin'), h('span', null, 'Loading trace…')));
  setRenderState('loading');
}

function showError(message: string): void {
  current = undefined;
  scheduler.reset();
  app.replaceChildren(
    h(
      'div',
      { class: 'placeholder', role: 'alert' },
      h('div', { class: 'banner banner-error' }, icon('error'), h('div', { class: 'banner-text' }, message)),
      textButton('refresh', 'Refresh', () => post({ type: 'action', action: 'refresh' })),
    ),
  );
  setRenderState('error');
}

function showTrace(data: TraceData): void {
  const started = performance.now();
  scheduler.reset();
  forgetRequests();
  const previous = getState();
  const c = data.conversation;
  const nothingRead = c.format === 'unknown' && c.messages.length === 0 && c.output.length === 0;
  const restoring = previous?.stepId === data.stepId;
  let tab: Tab = restoring && previous.tab ? previous.tab : nothingRead ? 'raw' : 'conversation';
  const scroll: { conversation?: number; raw?: number } = restoring ? { ...previous.scroll } : {};
  // The source too: a panel restored after a reload reopens from its file or its server, not any other.
  const source = data.file ? { kind: 'file' as const, path: data.file } : data.origin ? { kind: 'server' as const, origin: data.origin } : undefined;
  const save = () => setState({ stepId: data.stepId, source, tab, scroll });
  save();

  const tabs: Record<Tab, HTMLButtonElement> = {
    conversation: h('button', { type: 'button', role: 'tab', id: 'tab-conversation', 'aria-controls': 'panel-conversation', class: 'tab' }, icon('comment-discussion'), 'Conversation'),
    raw: h('button', { type: 'button', role: 'tab', id: 'tab-raw', 'aria-controls': 'panel-raw', class: 'tab' }, icon('json'), 'Raw JSON'),
  };
  const panels: Record<Tab, HTMLElement> = {
    conversation: h('div', { role: 'tabpanel', id: 'panel-conversation', 'aria-labelledby': 'tab-conversation', class: 'tab-panel' }),
    raw: h('div', { role: 'tabpanel', id: 'panel-raw', 'aria-labelledby': 'tab-raw', class: 'tab-panel' }),
  };
  let rawBuilt = false;
  /** The lazy Raw JSON tree, once its tab was opened (the find reveals its matches there). */
  let rawTree: Promise<JsonTree | undefined> | undefined;
  const rawSource = hostRawSource(data.stepId);
  const buildRaw = (raw: string) => {
    const t0 = performance.now();
    panels.raw.replaceChildren();
    renderRaw(panels.raw, raw);
    performance.measure('letta:raw-render', { start: t0, end: performance.now() });
  };
  const select = (next: Tab, focus = false) => {
    if (next !== tab) {
      scroll[tab] = window.scrollY;
    }
    tab = next;
    save();
    for (const t of ['conversation', 'raw'] as Tab[]) {
      tabs[t].setAttribute('aria-selected', String(t === next));
      tabs[t].tabIndex = t === next ? 0 : -1;
      panels[t].hidden = t !== next;
    }
    if (focus) {
      tabs[next].focus();
    }
    if (next === 'raw' && !rawBuilt) {
      rawBuilt = true;
      if (data.rawLazy) {
        const t0 = performance.now();
        rawTree = renderLazyRaw(panels.raw, rawSource).then((tree) => {
          performance.measure('letta:raw-render', { start: t0, end: performance.now() });
          return tree;
        });
      } else if (mine.raw !== undefined) {
        buildRaw(mine.raw);
      } else {
        panels.raw.append(h('div', { class: 'placeholder', role: 'status' }, icon('loading codicon-modifier-spin'), h('span', null, 'Loading the raw JSON…')));
        mine.onRaw = () => buildRaw(mine.raw ?? '');
      }
    }
    window.scrollTo(0, scroll[next] ?? 0);
  };
  tabs.conversation.addEventListener('click', () => select('conversation'));
  tabs.raw.addEventListener('click', () => select('raw'));
  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Views' }, tabs.conversation, tabs.raw);
  tablist.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft' || ev.key === 'Home' || ev.key === 'End') {
      ev.preventDefault();
      select(tab === 'conversation' ? 'raw' : 'conversation', true);
    }
  });

  // Only a step from the host gets the context window and cost (the host sends them next).
  const contextSection = data.context ? renderContextSection() : undefined;
  const costFact = data.context ? renderCostFact() : undefined;
  const feedback = data.origin ? renderFeedbackButtons(data.summary.feedback ? { feedback: data.summary.feedback } : {}) : undefined;
  // Each match is shown in the Raw JSON tab, where every key and string of the trace has a place.
  const find = data.rawLazy
    ? renderFindBar(data.stepId, async (match) => {
        if (tab !== 'raw') {
          select('raw');
        }
        const tree = await rawTree;
        if (tree && current === mine) {
          await revealMatch({ tree, source: rawSource }, match);
        }
      })
    : undefined;
  app.replaceChildren(
    renderHeader(data, costFact?.element, feedback?.element),
    renderErrorBanner(data.summary.error ?? c.error) ?? document.createTextNode(''),
    find?.element ?? document.createTextNode(''),
    tablist,
    panels.conversation,
    panels.raw,
  );
  const mine: Current = {
    stepId: data.stepId,
    conversation: renderConversation(panels.conversation, c, scheduler, () => select('raw', true), data.omitted, {
      systemPrompt: data.context?.systemPrompt,
      contextSection: contextSection?.element,
      cut: data.cut,
      request: (start, count, whole) => post({ type: 'requestMessages', stepId: data.stepId, start, count, whole }),
    }),
    rawParts: [],
    raw: data.raw,
    onRaw: undefined,
    showContext: (later) => {
      contextSection?.show(later);
      costFact?.show(later.cost);
    },
    showFeedback: (state) => feedback?.show(state),
    find,
  };
  current = mine;
  select(tab);
  scheduler.flushFor(FIRST_SCREEN_MS);
  performance.measure('letta:first-render', { start: started, end: performance.now() });
  setRenderState('first');
  // The host logs when the first screen was painted (the frame after this task).
  requestAnimationFrame(() => setTimeout(() => post({ type: 'painted', stepId: data.stepId, ms: Math.round(performance.now() - started) })));
  void scheduler.idle().then(() => {
    performance.measure('letta:render-complete', { start: started, end: performance.now() });
    setRenderState('complete');
    // Restored after the content exists, so the offset means the same place again.
    if (current === mine && restoring) {
      window.scrollTo(0, scroll[tab] ?? 0);
    }
  });

  let scrollTimer: ReturnType<typeof setTimeout> | undefined;
  window.onscroll = () => {
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(() => {
      if (current === mine) {
        scroll[tab] = window.scrollY;
        save();
      }
    }, 200);
  };
}

function addRaw(stepId: string, text: string, done: boolean): void {
  const c = current;
  if (!c || c.stepId !== stepId || c.raw !== undefined) {
    return;
  }
  c.rawParts.push(text);
  if (done) {
    c.raw = c.rawParts.join('');
    c.rawParts = [];
    c.onRaw?.();
    c.onRaw = undefined;
  }
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message?.type) {
    case 'trace':
      showTrace(message.data);
      break;
    case 'messages':
      if (current?.stepId === message.stepId) {
        current.conversation.addMessages(message.start, message.messages, message.cut);
      }
      break;
    case 'raw':
      addRaw(message.stepId, String(message.text), message.done === true);
      break;
    case 'rawNode':
    case 'rawString':
    case 'rawSearch':
      if (current?.stepId === message.stepId) {
        settle(message);
      }
      break;
    case 'findResult':
      if (current?.stepId === message.stepId) {
        current.find?.onResult(message);
      }
      break;
    case 'findMatch':
      if (current?.stepId === message.stepId) {
        current.find?.onMatch(message);
      }
      break;
    case 'context':
      if (current?.stepId === message.stepId && message.context) {
        current.showContext(message.context);
      }
      break;
    case 'feedback':
      if (current?.stepId === message.stepId && message.state) {
        current.showFeedback(message.state);
      }
      break;
    case 'loading':
      showLoading();
      break;
    case 'error':
      showError(String(message.message));
      break;
  }
});

bindFindShortcut(() => current?.find);
showLoading();
post({ type: 'ready' });

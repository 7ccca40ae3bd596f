/**
 * The trace viewer's program. It posts `ready`, then renders whatever the host sends: a trace,
 * "loading" or an error. Everything from the trace is inserted as text (see dom.ts).
 */
// First: the page's words are configured before anything renders.
import './l10n';
import * as l10n from '@vscode/l10n';
import './styles.css';
import type { StepContextLater } from '../core/context/stepContext';
import type { FeedbackState, HostMessage, TraceData } from '../shared/protocol';
import { getState, post, setState } from './bridge';
import { renderContextSection, renderCostFact } from './contextView';
import { renderConversation, type ConversationView } from './conversationView';
import { h, icon, textButton } from './dom';
import { renderErrorBanner, renderHeader } from './header';
import { renderFeedbackButtons } from './feedbackButtons';
import { renderLazyRaw, renderRaw, type RawBuilt } from './rawView';
import { forgetRequests, hostRawSource, settle } from './hostRequests';
import { Scheduler } from './scheduler';
import { bindFindShortcut, renderFindBar, type FindBar } from './findBar';
import { revealMatch, type RevealTarget } from './findReveal';
import { pageFind, pageSlice, type PageFind } from './pageFind';
import { installViewerShortcuts } from './shortcuts';

type Tab = 'conversation' | 'raw';

const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
const scheduler = new Scheduler();
/** The page-wide keys (shortcuts.ts); its "?" button goes into each trace's toolbar. */
const shortcutsButton = installViewerShortcuts();
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
  /** The find over the whole trace (run in the host, or in the page when it holds the trace whole). */
  find: FindBar;
  /** The page's own find session, for a trace it holds whole: stopped when another is shown. */
  pageFind?: PageFind;
}
let current: Current | undefined;

function setRenderState(state: string): void {
  document.body.dataset.render = state;
}

/** Lets go of the trace on screen: its find in the page, if any, stops. */
function leaveCurrent(): void {
  current?.pageFind?.stop();
  current = undefined;
}

function showLoading(): void {
  leaveCurrent();
  scheduler.reset();
  app.replaceChildren(h('div', { class: 'placeholder', role: 'status' }, icon('loading codicon-modifier-spin'), h('span', null, l10n.t('Loading trace…'))));
  setRenderState('loading');
}

function showError(message: string): void {
  leaveCurrent();
  scheduler.reset();
  app.replaceChildren(
    h(
      'div',
      { class: 'placeholder', role: 'alert' },
      h('div', { class: 'banner banner-error' }, icon('error'), h('div', { class: 'banner-text' }, message)),
      textButton('refresh', l10n.t('Refresh'), () => post({ type: 'action', action: 'refresh' })),
    ),
  );
  setRenderState('error');
}

function showTrace(data: TraceData): void {
  const started = performance.now();
  current?.pageFind?.stop();
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
    conversation: h('button', { type: 'button', role: 'tab', id: 'tab-conversation', 'aria-controls': 'panel-conversation', class: 'tab' }, icon('comment-discussion'), l10n.t('Conversation')),
    raw: h('button', { type: 'button', role: 'tab', id: 'tab-raw', 'aria-controls': 'panel-raw', class: 'tab' }, icon('json'), l10n.t('Raw JSON')),
  };
  const panels: Record<Tab, HTMLElement> = {
    conversation: h('div', { role: 'tabpanel', id: 'panel-conversation', 'aria-labelledby': 'tab-conversation', class: 'tab-panel' }),
    raw: h('div', { role: 'tabpanel', id: 'panel-raw', 'aria-labelledby': 'tab-raw', class: 'tab-panel' }),
  };
  /** The Raw JSON tab, once built (when first opened, or when the find first needs it). */
  let rawBuilt: Promise<RawBuilt> | undefined;
  const rawSource = hostRawSource(data.stepId);
  // The raw view's search button opens the one find.
  const openFind = () => find.focus();
  const buildRaw = (raw: string): Promise<RawBuilt> => {
    const t0 = performance.now();
    panels.raw.replaceChildren();
    const built = renderRaw(panels.raw, raw, openFind);
    performance.measure('letta:raw-render', { start: t0, end: performance.now() });
    return built;
  };
  const ensureRaw = (): Promise<RawBuilt> => {
    if (rawBuilt) {
      return rawBuilt;
    }
    if (data.rawLazy) {
      const t0 = performance.now();
      rawBuilt = renderLazyRaw(panels.raw, rawSource, openFind).then((tree) => {
        performance.measure('letta:raw-render', { start: t0, end: performance.now() });
        return { tree };
      });
    } else if (mine.raw !== undefined) {
      rawBuilt = buildRaw(mine.raw);
    } else {
      panels.raw.append(h('div', { class: 'placeholder', role: 'status' }, icon('loading codicon-modifier-spin'), h('span', null, l10n.t('Loading the raw JSON…'))));
      rawBuilt = new Promise((resolve) => {
        mine.onRaw = () => resolve(buildRaw(mine.raw ?? ''));
      });
    }
    return rawBuilt;
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
    if (next === 'raw') {
      void ensureRaw();
    }
    window.scrollTo(0, scroll[next] ?? 0);
  };
  tabs.conversation.addEventListener('click', () => select('conversation'));
  tabs.raw.addEventListener('click', () => select('raw'));
  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': l10n.t('Views') }, tabs.conversation, tabs.raw);
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
  // A trace the page holds whole is searched here, over the roots its Raw JSON tab parses.
  const inPage = data.rawLazy
    ? undefined
    : pageFind(data.stepId, () => ensureRaw().then((built) => built.roots), (message) => {
        if (current === mine && message.type === 'findResult') {
          find.onResult(message);
        } else if (current === mine && message.type === 'findMatch') {
          find.onMatch(message);
        }
      });
  // Each match is shown in the Raw JSON tab, where every key and string of the trace has a place.
  const find = renderFindBar(
    data.stepId,
    async (match) => {
      if (tab !== 'raw') {
        select('raw');
      }
      const built = await ensureRaw();
      const slice: RevealTarget['slice'] | undefined = data.rawLazy ? (path, offset) => rawSource.slice(path, offset) : built.roots && pageSlice(built.roots);
      if (built.tree && slice && current === mine) {
        await revealMatch({ tree: built.tree, slice }, match);
      }
    },
    inPage ? (message) => inPage.send(message) : undefined,
  );
  app.replaceChildren(
    renderHeader(data, costFact?.element, feedback?.element),
    renderErrorBanner(data.summary.error ?? c.error) ?? document.createTextNode(''),
    find.element,
    tablist,
    panels.conversation,
    panels.raw,
  );
  app.querySelector('.toolbar')?.append(shortcutsButton);
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
    pageFind: inPage,
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
      if (current?.stepId === message.stepId) {
        settle(message);
      }
      break;
    case 'findResult':
      if (current?.stepId === message.stepId) {
        current.find.onResult(message);
      }
      break;
    case 'findMatch':
      if (current?.stepId === message.stepId) {
        current.find.onMatch(message);
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

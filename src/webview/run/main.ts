/**
 * The run view: header and totals, the timeline of steps (each with what changed since the one
 * before), and the transcript. The host posts the whole run once, then the rows whose trace came
 * in. Keyboard: the steps are a listbox with one tab stop (a roving tabindex); ↓/j and ↑/k move
 * between steps, Home/End jump, Enter opens the step's trace; `?` lists the keys.
 */
// First: the page's words are configured before anything renders.
import '../l10n';
import * as l10n from '@vscode/l10n';
import './run.css';
import type { RunHostMessage, RunModel, RunStepRow } from '../../shared/runProtocol';
import { h, icon } from '../dom';
import { getState, post, setState } from './runBridge';
import { runHeader, totalsView } from './runHeader';
import { stepRow, timeAxis, type TimeAxis } from './stepRow';
import { transcriptView } from './transcript';
import { isTyping, shortcutsHelp } from '../shortcutsHelp';

/** A trace still pending this long after the run arrived is marked slow in its row. */
const SLOW_MS = 5000;

const app = document.getElementById('app') as HTMLElement;
const runId = getState()?.runId ?? '';

let model: RunModel | undefined;
let axis: TimeAxis | undefined;
let list: HTMLOListElement | undefined;
let transcriptSlot: HTMLElement | undefined;
let slow = false;
let slowTimer: ReturnType<typeof setTimeout> | undefined;
let selected = getState()?.selected ?? 0;

/** The keys, in the "?" popover; the button goes into the header on each render. */
const help = shortcutsHelp([
  { keys: ['↓', 'j'], what: l10n.t('Next step') },
  { keys: ['↑', 'k'], what: l10n.t('Previous step') },
  { keys: ['Home', 'End'], what: l10n.t('First and last step') },
  { keys: ['Page Down', 'Page Up'], what: l10n.t('Ten steps down or up') },
  { keys: ['Enter', 'Space'], what: "Open the step's trace" },
  { keys: ['?'], what: l10n.t('Show or hide these shortcuts') },
]);
document.addEventListener('keydown', (ev) => {
  if (ev.key === '?' && !ev.defaultPrevented && !ev.ctrlKey && !ev.metaKey && !ev.altKey && !isTyping(ev.target)) {
    ev.preventDefault();
    help.toggle();
  }
});

function placeholder(iconName: string, text: string, error = false): HTMLElement {
  return h('div', { class: error ? 'banner banner-error' : 'placeholder' }, icon(iconName), h('span', { class: 'banner-text' }, text));
}

function rowElement(row: RunStepRow): HTMLElement {
  const li = stepRow(row, axis, slow && row.trace === 'pending');
  li.tabIndex = row.index === selected ? 0 : -1;
  li.setAttribute('aria-selected', String(row.index === selected));
  return li;
}

function renderRun(next: RunModel): void {
  model = next;
  axis = timeAxis(next.rows);
  selected = Math.min(selected, Math.max(0, next.rows.length - 1));
  const focusedIndex = list?.contains(document.activeElement) ? selected : undefined;
  list = h('ol', { class: 'timeline', role: 'listbox', 'aria-label': l10n.t('Steps of {0}', next.runId) });
  const fragment = document.createDocumentFragment();
  for (const row of next.rows) {
    fragment.append(rowElement(row));
  }
  list.append(fragment);
  transcriptSlot = h('div', { class: 'transcript-slot' }, transcriptView(next.transcript));
  app.replaceChildren(
    runHeader(next),
    h('section', { class: 'section', 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, icon('list-ordered'), ' ', l10n.t('Steps')), next.rows.length > 0 ? list : h('p', { class: 'muted' }, l10n.t('This run has no steps.'))),
    h('section', { class: 'section', 'aria-labelledby': 'transcript-title' }, h('h2', { id: 'transcript-title' }, icon('comment-discussion'), ' ', l10n.t('Transcript')), transcriptSlot),
  );
  app.querySelector('.title-row')?.append(help.button);
  if (focusedIndex !== undefined) {
    focusRow(focusedIndex);
  }
  clearTimeout(slowTimer);
  slow = false;
  if (next.rows.some((r) => r.trace === 'pending')) {
    slowTimer = setTimeout(markSlow, SLOW_MS);
  }
}

function markSlow(): void {
  slow = true;
  if (!model || !list) {
    return;
  }
  for (const row of model.rows) {
    if (row.trace === 'pending') {
      replaceRow(row);
    }
  }
}

function replaceRow(row: RunStepRow): void {
  const old = list?.querySelector(`li[data-index="${row.index}"]`);
  if (!old) {
    return;
  }
  const hadFocus = old.contains(document.activeElement);
  const next = rowElement(row);
  old.replaceWith(next);
  if (hadFocus) {
    next.focus();
  }
}

function applyRows(message: Extract<RunHostMessage, { type: 'rows' }>): void {
  if (!model) {
    return;
  }
  const rows = model.rows.slice();
  for (const row of message.rows) {
    rows[row.index] = row;
  }
  const nextAxis = timeAxis(rows);
  model = { ...model, rows, totals: message.totals, transcript: message.transcript };
  // A bar on a new time axis moves every other bar: redraw them all then (cheap next to the traces).
  const axisMoved = !axis || !nextAxis || nextAxis.startMs !== axis.startMs || nextAxis.spanMs !== axis.spanMs;
  axis = nextAxis;
  for (const row of axisMoved ? rows : message.rows) {
    replaceRow(row);
  }
  app.querySelector('.totals-slot')?.replaceChildren(totalsView(message.totals));
  transcriptSlot?.replaceChildren(transcriptView(message.transcript));
}

function focusRow(index: number): void {
  if (!model || !list || model.rows.length === 0) {
    return;
  }
  const clamped = Math.max(0, Math.min(model.rows.length - 1, index));
  const previous = list.querySelector(`li[data-index="${selected}"]`);
  previous?.setAttribute('tabindex', '-1');
  previous?.setAttribute('aria-selected', 'false');
  selected = clamped;
  const li = list.querySelector<HTMLElement>(`li[data-index="${clamped}"]`);
  if (li) {
    li.tabIndex = 0;
    li.setAttribute('aria-selected', 'true');
    li.focus();
    li.scrollIntoView({ block: 'nearest' });
  }
  setState({ runId, selected });
}

function openStep(index: number): void {
  const row = model?.rows[index];
  if (row) {
    post({ type: 'openStep', stepId: row.stepId });
  }
}

function rowIndexOf(target: EventTarget | null): number | undefined {
  const li = (target as HTMLElement | null)?.closest?.('li.step-row');
  const value = li?.getAttribute('data-index');
  return value === null || value === undefined ? undefined : Number(value);
}

app.addEventListener('keydown', (ev) => {
  const index = rowIndexOf(ev.target);
  if (index === undefined || ev.altKey || ev.ctrlKey || ev.metaKey) {
    return;
  }
  const moves: Record<string, number> = { ArrowDown: index + 1, j: index + 1, ArrowUp: index - 1, k: index - 1, Home: 0, End: Number.MAX_SAFE_INTEGER, PageDown: index + 10, PageUp: index - 10 };
  if (ev.key in moves) {
    ev.preventDefault();
    focusRow(moves[ev.key]);
  } else if (ev.key === 'Enter' || ev.key === ' ') {
    ev.preventDefault();
    openStep(index);
  }
});

app.addEventListener('click', (ev) => {
  const index = rowIndexOf(ev.target);
  if (index === undefined) {
    return;
  }
  // The head opens the trace; the details (diffs) stay selectable text.
  if ((ev.target as HTMLElement).closest('.row-head')) {
    openStep(index);
  }
  focusRow(index);
});

window.addEventListener('message', (event: MessageEvent<RunHostMessage>) => {
  const message = event.data;
  switch (message?.type) {
    case 'loading':
      model = undefined;
      app.replaceChildren(placeholder('loading~spin', l10n.t('Loading {0}…', message.runId)));
      break;
    case 'run':
      renderRun(message.model);
      break;
    case 'rows':
      applyRows(message);
      break;
    case 'error':
      app.replaceChildren(placeholder('error', message.message, true), h('div', { class: 'placeholder' }, h('button', { type: 'button', class: 'text-button', id: 'retry' }, icon('refresh'), ' ', l10n.t('Try again'))));
      app.querySelector('#retry')?.addEventListener('click', () => post({ type: 'refresh' }));
      break;
    default:
      break;
  }
});

setState({ runId, selected });
post({ type: 'ready' });

/**
 * Thumbs up / down and tags for the shown step, in the header. A click posts the choice and the
 * buttons wait (disabled) until the host answers with the step's feedback as the server now has it:
 * what shows is never ahead of the server. Pressing the pressed thumb clears the feedback.
 */
import * as l10n from '@vscode/l10n';
import type { FeedbackState } from '../shared/protocol';
import { post } from './bridge';
import { h, iconButton } from './dom';

export interface FeedbackButtons {
  element: HTMLElement;
  /** The host's answer: the step's feedback now (also after a failure, unchanged). */
  show(state: FeedbackState): void;
}

export function renderFeedbackButtons(initial: FeedbackState): FeedbackButtons {
  let state: FeedbackState = initial;
  const up = iconButton('thumbsup', l10n.t('Thumbs up: a good step'), () => choose('positive'));
  const down = iconButton('thumbsdown', l10n.t('Thumbs down: a bad step'), () => choose('negative'));
  const tags = iconButton('tag', l10n.t('Feedback tags…'), () => post({ type: 'action', action: 'feedbackTags' }));
  up.dataset.feedback = 'positive';
  down.dataset.feedback = 'negative';
  tags.dataset.action = 'feedbackTags';
  const element = h('div', { class: 'feedback', role: 'group', 'aria-label': l10n.t('Feedback'), 'data-part': 'feedback' }, up, down, tags);

  function choose(feedback: 'positive' | 'negative'): void {
    const next = state.feedback === feedback ? null : feedback;
    setBusy(true);
    post({ type: 'feedback', feedback: next });
  }

  function setBusy(busy: boolean): void {
    element.setAttribute('aria-busy', String(busy));
    for (const b of [up, down]) {
      b.disabled = busy;
    }
  }

  function paint(): void {
    for (const [button, kind, name] of [[up, 'positive', 'thumbsup'], [down, 'negative', 'thumbsdown']] as const) {
      const pressed = state.feedback === kind;
      button.setAttribute('aria-pressed', String(pressed));
      button.classList.toggle('pressed', pressed);
      const glyph = button.querySelector('.codicon');
      glyph?.classList.toggle(`codicon-${name}`, !pressed);
      glyph?.classList.toggle(`codicon-${name}-filled`, pressed);
    }
    const list = state.tags ?? [];
    tags.title = list.length > 0 ? l10n.t('Feedback tags: {0}', list.join(', ')) : l10n.t('Feedback tags…');
    tags.setAttribute('aria-label', tags.title);
    element.dataset.state = state.feedback ?? 'none';
  }

  paint();
  return {
    element,
    show(next) {
      state = next;
      setBusy(false);
      paint();
    },
  };
}

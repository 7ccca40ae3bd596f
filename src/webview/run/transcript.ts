/** The run's transcript: what the user said and what the agent answered, in order, each with its step. */
import * as l10n from '@vscode/l10n';
import type { TranscriptEntry } from '../../shared/runProtocol';
import { h, icon, textBlock } from '../dom';

export function transcriptView(entries: readonly TranscriptEntry[]): HTMLElement {
  if (entries.length === 0) {
    return h('p', { class: 'muted' }, l10n.t('Nothing said yet (the transcript fills in as the traces load).'));
  }
  return h(
    'ol',
    { class: 'transcript' },
    ...entries.map((e) =>
      h(
        'li',
        { class: `said said-${e.who}` },
        h('div', { class: 'said-head' }, icon(e.who === 'user' ? 'account' : 'hubot'), h('strong', null, ' ', e.who === 'user' ? l10n.t('User') : l10n.t('Agent')), h('span', { class: 'muted' }, ' · ', l10n.t('step {0}', e.stepIndex + 1))),
        textBlock(e.text),
      ),
    ),
  );
}

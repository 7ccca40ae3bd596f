/**
 * A step's feedback as the extension handles it: the tags typed in a quick input, and the state the
 * viewer shows. Pure: no `vscode`.
 */
import * as l10n from '@vscode/l10n';
import type { Step } from './lettaTypes';

export const MAX_TAGS = 20;
export const MAX_TAG_CHARS = 100;

/** `"hallucination, wrong-tool ,, hallucination"` → `['hallucination', 'wrong-tool']`; `problem` says what is too long or too many. */
export function parseFeedbackTags(text: string): { tags: string[]; problem?: string } {
  const tags = [...new Set(text.split(',').map((t) => t.trim()).filter((t) => t !== ''))];
  const long = tags.find((t) => t.length > MAX_TAG_CHARS);
  if (long !== undefined) {
    return { tags, problem: l10n.t('A tag is at most {0} characters.', MAX_TAG_CHARS) };
  }
  if (tags.length > MAX_TAGS) {
    return { tags, problem: l10n.t('At most {0} tags.', MAX_TAGS) };
  }
  return { tags };
}

/** What the viewer's thumbs and tags show for a step record (odd values from a server show as none). */
export function feedbackState(step: Pick<Step, 'feedback' | 'tags'> | undefined): { feedback?: 'positive' | 'negative'; tags?: string[] } {
  const feedback = step?.feedback === 'positive' || step?.feedback === 'negative' ? step.feedback : undefined;
  const tags = Array.isArray(step?.tags) ? step.tags.filter((t): t is string => typeof t === 'string') : undefined;
  return { ...(feedback ? { feedback } : {}), ...(tags ? { tags } : {}) };
}

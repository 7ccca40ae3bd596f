/**
 * Putting untrusted text into Markdown so it stays text: code fences longer than any backtick run
 * inside, inline code the same way, and long texts cut with a note saying how much was left out.
 * Trace content never reaches Markdown outside one of these. Pure: no `vscode`, no DOM.
 */
import * as l10n from '@vscode/l10n';

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === char) {
      run++;
      if (run > longest) {
        longest = run;
      }
    } else {
      run = 0;
    }
  }
  return longest;
}

/**
 * A fenced code block holding `text` exactly: the fence is one backtick longer than the longest
 * run inside (at least three), so nothing inside can close it. `lang` is kept only when it is a
 * plain word.
 */
export function fence(text: string, lang = ''): string {
  const ticks = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  const info = /^[A-Za-z0-9_+-]{1,20}$/.test(lang) ? lang : '';
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return `${ticks}${info}\n${body}${ticks}`;
}

/** Inline code on one line: newlines become spaces, backticks are out-fenced, long text is cut. */
export function inlineCode(text: string, max = 200): string {
  let one = text.replace(/[\r\n]+/g, ' ');
  if (one.length > max) {
    one = `${one.slice(0, max - 1)}…`;
  }
  if (one === '') {
    return '` `';
  }
  const ticks = '`'.repeat(longestRun(one, '`') + 1);
  const pad = one.startsWith('`') || one.endsWith('`') || (one.startsWith(' ') && one.endsWith(' ')) ? ' ' : '';
  return `${ticks}${pad}${one}${pad}${ticks}`;
}

/** `1,234 characters` / `12 k characters` / `1.5 M characters`. */
export function describeChars(n: number): string {
  if (n < 10_000) {
    return l10n.t('{0} characters', String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  }
  if (n < 1_000_000) {
    return l10n.t('{0} k characters', Math.round(n / 1000));
  }
  return l10n.t('{0} M characters', (n / 1_000_000).toFixed(1));
}

/** The text cut to `max` characters (never inside a surrogate pair), and how much was cut. */
export function cutText(text: string, max: number): { text: string; cut: number } {
  if (text.length <= max) {
    return { text, cut: 0 };
  }
  let end = Math.max(0, max);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) {
    end--;
  }
  return { text: text.slice(0, end), cut: text.length - end };
}

/** A fenced block of the text, cut to `max`, followed by a note when it was cut. */
export function fencedCut(text: string, max: number, lang = ''): string {
  const { text: shown, cut } = cutText(text, max);
  return cut > 0 ? `${fence(shown, lang)}\n\n_${l10n.t('… {0} more not shown (of {1}).', describeChars(cut), describeChars(text.length))}_` : fence(shown, lang);
}

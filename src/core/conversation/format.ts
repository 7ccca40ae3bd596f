/** Number formatting shared by the webview, the hover and the tree. Pure: no DOM, no `vscode`. */
import * as l10n from '@vscode/l10n';
import type { Usage } from './model';

/**
 * `12,345`: digits grouped by thousands. Not `toLocaleString`: its first call loads ICU data,
 * which costs the webview ~50 ms before its first screen.
 */
export function groupDigits(n: number): string {
  const [whole, fraction] = String(n).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** `2026-03-14 09:26:53` in local time (the ISO text when it is not a date); no ICU, as above. */
export function formatLocalTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** `950`, `12,345`, `123k`, `1.2M`: a token count short enough for a tree item or hover line. */
export function formatTokens(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) {
    return '–';
  }
  const abs = Math.abs(n);
  if (abs < 100_000) {
    return groupDigits(Math.round(n));
  }
  if (abs < 1_000_000) {
    return `${Math.round(n / 1000)}k`;
  }
  return `${(n / 1_000_000).toFixed(abs < 10_000_000 ? 1 : 0)}M`;
}

/** `850 ms`, `2.3 s`, `1 min 5 s`. */
export function formatLatency(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    return '–';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  if (ms < 60_000) {
    const s = ms / 1000;
    return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  }
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/**
 * One line of usage: `3,187 in · 74 out · 2,944 cached · 0 reasoning`; only the counts present.
 * A total that its parts do not add up to ends the line with the difference, never hidden.
 */
export function formatUsage(usage: Usage | undefined): string {
  if (!usage) {
    return '';
  }
  const parts: string[] = [];
  const add = (n: number | undefined, text: (count: string) => string) => {
    if (n !== undefined) {
      parts.push(text(formatTokens(n)));
    }
  };
  add(usage.promptTokens, (n) => l10n.t('{0} in', n));
  add(usage.completionTokens, (n) => l10n.t('{0} out', n));
  add(usage.cachedTokens, (n) => l10n.t('{0} cached', n));
  add(usage.cacheWriteTokens, (n) => l10n.t('{0} cache write', n));
  add(usage.reasoningTokens, (n) => l10n.t('{0} reasoning', n));
  add(usage.toolUsePromptTokens, (n) => l10n.t('{0} tool-use prompt', n));
  add(usage.audioPromptTokens, (n) => l10n.t('{0} audio in', n));
  add(usage.audioCompletionTokens, (n) => l10n.t('{0} audio out', n));
  if (usage.unaccountedTokens !== undefined) {
    const n = usage.unaccountedTokens;
    parts.push(n > 0 ? l10n.t('{0} not itemised', formatTokens(n)) : l10n.t('parts exceed total by {0}', formatTokens(-n)));
  }
  return parts.join(' · ');
}

/** `System`, `User`, …: a message's role in words (`Message` for a role the viewer does not know). */
export function roleLabel(role: string): string {
  switch (role) {
    case 'system':
      return l10n.t('System');
    case 'developer':
      return l10n.t('Developer');
    case 'user':
      return l10n.t('User');
    case 'assistant':
      return l10n.t('Assistant');
    case 'tool':
      return l10n.t('Tool');
    default:
      return l10n.t('Message');
  }
}

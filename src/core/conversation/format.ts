/** Number formatting shared by the webview, the hover and the tree. Pure: no DOM, no `vscode`. */
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
  const add = (n: number | undefined, label: string) => {
    if (n !== undefined) {
      parts.push(`${formatTokens(n)} ${label}`);
    }
  };
  add(usage.promptTokens, 'in');
  add(usage.completionTokens, 'out');
  add(usage.cachedTokens, 'cached');
  add(usage.cacheWriteTokens, 'cache write');
  add(usage.reasoningTokens, 'reasoning');
  add(usage.toolUsePromptTokens, 'tool-use prompt');
  add(usage.audioPromptTokens, 'audio in');
  add(usage.audioCompletionTokens, 'audio out');
  if (usage.unaccountedTokens !== undefined) {
    const n = usage.unaccountedTokens;
    parts.push(n > 0 ? `${formatTokens(n)} not itemised` : `parts exceed total by ${formatTokens(-n)}`);
  }
  return parts.join(' · ');
}

/**
 * Readable text of a normalised message, for one-line previews and the run's transcript. Letta
 * wraps what the user typed as JSON (`{"type": "user_message", "message": "…", "time": "…"}`) and
 * sends its own events the same way (`heartbeat`, `login`, `system_alert`): `lettaUserMessage`
 * tells them apart. Pure: no `vscode` import.
 */
import * as l10n from '@vscode/l10n';
import type { Message, Part } from '../conversation/model';
import { isRecord } from '../conversation/util';

/** What a user message says: `{text, event}` where `event` is Letta's event type when it is not the user's own words. */
export function lettaUserMessage(text: string): { text: string; event?: string } {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) {
    return { text };
  }
  try {
    const value = JSON.parse(trimmed) as unknown;
    if (isRecord(value) && typeof value.type === 'string') {
      const said = typeof value.message === 'string' ? value.message : typeof value.reason === 'string' ? value.reason : '';
      return value.type === 'user_message' ? { text: said } : { text: said, event: value.type };
    }
  } catch {
    // Not JSON after all: the user typed braces.
  }
  return { text };
}

function partText(part: Part): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'tool-call':
      return `${part.name}(…)`;
    case 'tool-result':
      return part.content.map(partText).join(' ');
    case 'thinking':
      return '';
    case 'image':
      return l10n.t('[image]');
    case 'json':
      return `[${part.label}]`;
    case 'sources':
      return `[${part.label}]`;
    case 'tool-list':
      return l10n.t('[tools of {0}]', part.server);
  }
}

/** One line of at most `max` characters: the message's text (a Letta user message unwrapped), white space collapsed. */
export function messagePreview(message: Message, max = 120): string {
  let text = message.parts.map(partText).filter(Boolean).join(' ');
  if (message.role === 'user') {
    const said = lettaUserMessage(text);
    text = said.event ? `[${said.event}] ${said.text}` : said.text;
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Letta's compiled system prompt, split into the sections Letta wrote: base instructions, one
 * section per core-memory block, tool usage rules, memory metadata; everything else stays text.
 * Every section keeps its exact slice of the prompt (`raw`), so the sections joined give back the
 * prompt, character for character, whatever it holds. A prompt that is not Letta's is one text
 * section. Pure: no `vscode`, no DOM; never throws.
 *
 * The formats (see /work/shared/LETTA-API.md):
 * - new: `<memory_blocks> … <label><description>…</description><metadata>- read_only=true\n-
 *   chars_current=N\n- chars_limit=M</metadata>[<warning>…</warning>]<value>…</value></label> … </memory_blocks>`,
 *   with line-numbered values (`1→ …`) for some agent types and extra metadata lines (`scope=…`);
 * - old: `<label characters="N/M">…</label>` after a `### Memory [last modified: …]` header.
 */

export interface MemoryBlock {
  label: string;
  description?: string;
  /** `chars_current` as Letta wrote it (old format: the N of `characters="N/M"`). */
  charsCurrent?: number;
  /** `chars_limit` (old format: the M). */
  charsLimit?: number;
  readOnly: boolean;
  /** Metadata lines other than read_only / chars_current / chars_limit (e.g. `scope`), in order. */
  metadata: { key: string; value: string }[];
  /** The value without line numbers. */
  value: string;
  /** The value as written, with its `N→ ` prefixes; present only when the lines were numbered. */
  numberedValue?: string;
  /** Letta's `<warning>` (about the line numbers), when there is one. */
  warning?: string;
  format: 'tagged' | 'characters';
}

export interface MemoryMetadata {
  currentTime?: string;
  lastModified?: string;
  recallMessages?: number;
  archivalMemories?: number;
  /** Every line as written, without the leading `- `. */
  lines: string[];
}

export type SystemPromptSection =
  | { kind: 'text'; raw: string }
  | { kind: 'base-instructions'; raw: string; text: string }
  | { kind: 'memory-block'; raw: string; block: MemoryBlock }
  | { kind: 'tool-rules'; raw: string; text: string }
  | { kind: 'memory-metadata'; raw: string; metadata: MemoryMetadata };

export interface ParsedSystemPrompt {
  /** True when at least one Letta section was recognised; otherwise `sections` is one text section. */
  isLetta: boolean;
  sections: SystemPromptSection[];
}

/** Larger prompts are left as text: the scan is linear, but cards for megabytes help nobody. */
export const MAX_PARSED_PROMPT_CHARS = 1_000_000;

const LABEL = '[A-Za-z0-9_][A-Za-z0-9_./:-]{0,199}';

/** `1→ text`: Letta's line numbers (the arrow is U+2192; a space follows, or the line is empty). */
const NUMBERED_LINE = /^\d+\u2192 ?/;

/** Strips `N→ ` from every line when every non-empty line has one; undefined when not numbered. */
export function stripLineNumbers(value: string): string | undefined {
  const lines = value.split('\n');
  let numbered = 0;
  for (const line of lines) {
    if (line === '') {
      continue;
    }
    if (!NUMBERED_LINE.test(line)) {
      return undefined;
    }
    numbered++;
  }
  return numbered === 0 ? undefined : lines.map((l) => l.replace(NUMBERED_LINE, '')).join('\n');
}

function trimNewlines(text: string): string {
  return text.replace(/^\n/, '').replace(/\n$/, '');
}

function parseCount(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,15}$/.test(text)) {
    return undefined;
  }
  return Number(text);
}

/** The metadata element's lines: `- key=value`. */
function readMetadata(text: string, block: MemoryBlock): void {
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim().replace(/^-\s*/, '');
    if (line === '') {
      continue;
    }
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : line;
    const value = eq > 0 ? line.slice(eq + 1).trim() : '';
    if (key === 'read_only') {
      block.readOnly = value.toLowerCase() === 'true';
    } else if (key === 'chars_current' && parseCount(value) !== undefined) {
      block.charsCurrent = parseCount(value);
    } else if (key === 'chars_limit' && parseCount(value) !== undefined) {
      block.charsLimit = parseCount(value);
    } else {
      block.metadata.push({ key, value });
    }
  }
}

/**
 * One new-format block from `open` (the `<` of `<label>`); returns it and where it ends, or
 * undefined when the text there is not a block (then it stays text).
 */
function readTaggedBlock(text: string, open: number, limit: number): { block: MemoryBlock; end: number } | undefined {
  const head = new RegExp(`^<(${LABEL})>`).exec(text.slice(open, open + 220));
  if (!head) {
    return undefined;
  }
  const label = head[1];
  if (['description', 'metadata', 'value', 'warning', 'memory_blocks'].includes(label)) {
    return undefined;
  }
  const close = `</${label}>`;
  const block: MemoryBlock = { label, readOnly: false, metadata: [], value: '', format: 'tagged' };
  let at = open + head[0].length;
  let sawValue = false;
  for (;;) {
    while (at < limit && /\s/.test(text[at])) {
      at++;
    }
    if (text.startsWith(close, at)) {
      return sawValue ? { block, end: at + close.length } : undefined;
    }
    const child = /^<(description|metadata|warning|value)>/.exec(text.slice(at, at + 14));
    if (!child || sawValue) {
      return undefined;
    }
    const name = child[1];
    const bodyStart = at + child[0].length;
    // The value may hold anything, so it ends at the last `</value>` before the block's close tag.
    let bodyEnd: number;
    if (name === 'value') {
      const closeAt = text.indexOf(`</value>\n${close}`, bodyStart);
      const fallback = text.indexOf('</value>', bodyStart);
      bodyEnd = closeAt >= 0 && closeAt < limit ? closeAt : fallback;
    } else {
      bodyEnd = text.indexOf(`</${name}>`, bodyStart);
    }
    if (bodyEnd < 0 || bodyEnd > limit) {
      return undefined;
    }
    const body = text.slice(bodyStart, bodyEnd);
    switch (name) {
      case 'description':
        block.description = trimNewlines(body);
        break;
      case 'metadata':
        readMetadata(body, block);
        break;
      case 'warning':
        block.warning = trimNewlines(body);
        break;
      case 'value': {
        sawValue = true;
        const value = trimNewlines(body);
        const stripped = stripLineNumbers(value);
        if (stripped !== undefined) {
          block.value = stripped;
          block.numberedValue = value;
        } else {
          block.value = value;
        }
        break;
      }
    }
    at = bodyEnd + name.length + 3;
  }
}

/** Old format: `<label characters="N/M">\nvalue\n</label>` at `open`. */
function readCharactersBlock(text: string, open: number): { block: MemoryBlock; end: number } | undefined {
  const head = new RegExp(`^<(${LABEL}) characters="(\\d{1,15})/(\\d{1,15})">`).exec(text.slice(open, open + 260));
  if (!head) {
    return undefined;
  }
  const close = `</${head[1]}>`;
  const closeAt = text.indexOf(close, open + head[0].length);
  if (closeAt < 0) {
    return undefined;
  }
  const value = trimNewlines(text.slice(open + head[0].length, closeAt));
  const stripped = stripLineNumbers(value);
  const block: MemoryBlock = {
    label: head[1],
    charsCurrent: Number(head[2]),
    charsLimit: Number(head[3]),
    readOnly: false,
    metadata: [],
    value: stripped ?? value,
    format: 'characters',
  };
  if (stripped !== undefined) {
    block.numberedValue = value;
  }
  return { block, end: closeAt + close.length };
}

function readMemoryMetadata(body: string): MemoryMetadata {
  const meta: MemoryMetadata = { lines: [] };
  for (const rawLine of body.split('\n')) {
    const line = rawLine.trim().replace(/^-\s*/, '');
    if (line === '') {
      continue;
    }
    meta.lines.push(line);
    let m: RegExpExecArray | null;
    if ((m = /^The current (?:system )?(?:date|time)(?: is)?:\s*(.+)$/i.exec(line))) {
      meta.currentTime = m[1];
    } else if ((m = /last modified:\s*([^\]]+)\]?$/i.exec(line))) {
      meta.lastModified = m[1].trim();
    } else if ((m = /^(\d+) previous messages? .*recall memory/i.exec(line))) {
      meta.recallMessages = Number(m[1]);
    } else if ((m = /^(\d+) total memor(?:y|ies) .*archival memory/i.exec(line))) {
      meta.archivalMemories = Number(m[1]);
    }
  }
  return meta;
}

/** A recognised span of the prompt. */
interface Span {
  start: number;
  end: number;
  section: SystemPromptSection;
}

/** `<tag>…</tag>` spans of a simple wrapper element, outside the spans already found. */
function wrapperSpans(text: string, tag: string, make: (raw: string, body: string) => SystemPromptSection): Span[] {
  const spans: Span[] = [];
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  let from = 0;
  for (;;) {
    const start = text.indexOf(open, from);
    if (start < 0) {
      return spans;
    }
    const closeAt = text.indexOf(close, start + open.length);
    if (closeAt < 0) {
      return spans;
    }
    const end = closeAt + close.length;
    spans.push({ start, end, section: make(text.slice(start, end), trimNewlines(text.slice(start + open.length, closeAt))) });
    from = end;
  }
}

/** The blocks inside each `<memory_blocks>…</memory_blocks>`. */
function taggedBlockSpans(text: string): Span[] {
  const spans: Span[] = [];
  let from = 0;
  for (;;) {
    const regionStart = text.indexOf('<memory_blocks>', from);
    if (regionStart < 0) {
      return spans;
    }
    const regionEnd = text.indexOf('</memory_blocks>', regionStart);
    const limit = regionEnd < 0 ? text.length : regionEnd;
    let at = regionStart + '<memory_blocks>'.length;
    while (at < limit) {
      const lt = text.indexOf('<', at);
      if (lt < 0 || lt >= limit) {
        break;
      }
      const found = readTaggedBlock(text, lt, limit) ?? readCharactersBlock(text, lt);
      if (found && found.end <= limit) {
        spans.push({ start: lt, end: found.end, section: { kind: 'memory-block', raw: text.slice(lt, found.end), block: found.block } });
        at = found.end;
      } else {
        at = lt + 1;
      }
    }
    from = limit + 1;
  }
}

/** Old-format blocks anywhere (outside `<memory_blocks>`), and the old `### Memory [last modified: …]` header. */
function oldFormatSpans(text: string): Span[] {
  const spans: Span[] = [];
  const opener = new RegExp(`<${LABEL} characters="\\d{1,15}/\\d{1,15}">`, 'g');
  let m: RegExpExecArray | null;
  while ((m = opener.exec(text))) {
    const found = readCharactersBlock(text, m.index);
    if (found) {
      spans.push({ start: m.index, end: found.end, section: { kind: 'memory-block', raw: text.slice(m.index, found.end), block: found.block } });
      opener.lastIndex = found.end;
    }
  }
  // `### Memory [last modified: …]` and the recall / archival lines under it, up to a blank line.
  const header = /### Memory \[last modified: [^\]\n]*\](?:\n(?!\n|<|Core memory)[^\n]*)*/g;
  while ((m = header.exec(text))) {
    spans.push({ start: m.index, end: m.index + m[0].length, section: { kind: 'memory-metadata', raw: m[0], metadata: readMemoryMetadata(m[0]) } });
  }
  return spans;
}

/** Splits a system prompt into its Letta sections; never throws. */
export function parseSystemPrompt(prompt: string): ParsedSystemPrompt {
  const text = typeof prompt === 'string' ? prompt : '';
  const plain: ParsedSystemPrompt = { isLetta: false, sections: [{ kind: 'text', raw: text }] };
  if (text.length > MAX_PARSED_PROMPT_CHARS) {
    return plain;
  }
  try {
    const candidates: Span[] = [
      ...wrapperSpans(text, 'base_instructions', (raw, body) => ({ kind: 'base-instructions', raw, text: body })),
      ...taggedBlockSpans(text),
      ...wrapperSpans(text, 'tool_usage_rules', (raw, body) => ({ kind: 'tool-rules', raw, text: body })),
      ...wrapperSpans(text, 'memory_metadata', (raw, body) => ({ kind: 'memory-metadata', raw, metadata: readMemoryMetadata(body) })),
      ...oldFormatSpans(text),
    ];
    // First come, first kept: a span inside one already taken (a block quoted in the base
    // instructions, say) stays part of it.
    candidates.sort((a, b) => a.start - b.start || b.end - a.end);
    const spans: Span[] = [];
    let taken = 0;
    for (const span of candidates) {
      if (span.start >= taken && span.end > span.start) {
        spans.push(span);
        taken = span.end;
      }
    }
    if (spans.length === 0) {
      return plain;
    }
    const sections: SystemPromptSection[] = [];
    let at = 0;
    for (const span of spans) {
      if (span.start > at) {
        sections.push({ kind: 'text', raw: text.slice(at, span.start) });
      }
      sections.push(span.section);
      at = span.end;
    }
    if (at < text.length) {
      sections.push({ kind: 'text', raw: text.slice(at) });
    }
    return { isLetta: true, sections };
  } catch {
    return plain;
  }
}

/** The memory blocks of a parsed prompt, in order. */
export function memoryBlocks(parsed: ParsedSystemPrompt): MemoryBlock[] {
  return parsed.sections.flatMap((s) => (s.kind === 'memory-block' ? [s.block] : []));
}

/** How full a block is: `over` past its limit, `near` from 90 % of it. */
export type BlockUsage = 'ok' | 'near' | 'over' | 'unknown';

export const NEAR_LIMIT_RATIO = 0.9;

export function blockUsage(block: MemoryBlock): BlockUsage {
  if (block.charsCurrent === undefined || block.charsLimit === undefined || block.charsLimit <= 0) {
    return 'unknown';
  }
  if (block.charsCurrent > block.charsLimit) {
    return 'over';
  }
  return block.charsCurrent >= block.charsLimit * NEAR_LIMIT_RATIO ? 'near' : 'ok';
}

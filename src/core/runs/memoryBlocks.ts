/**
 * A small reader of Letta's compiled system prompt, for comparing two steps: its top-level sections
 * (`<base_instructions>`, `<memory_blocks>`, `<tool_usage_rules>`, `<memory_metadata>`, ...) and the
 * memory blocks inside `<memory_blocks>`, by label. Both block formats: the current
 * `<label><description>…</description><metadata>…</metadata><value>…</value></label>` and the older
 * `<label characters="N/M">…</label>`. Text it does not recognise stays in `outside`, so nothing is
 * lost. The context feature may bring a fuller parser; `memoryBlocksOf` is the one function to point
 * at it. Pure: no `vscode` import.
 */

export interface MemoryBlock {
  label: string;
  /** The block's text as the model saw it; line numbers (`1→ `), where the agent type adds them, removed. */
  value: string;
  description?: string;
  /** `chars_limit` or the M of `characters="N/M"`. */
  limit?: number;
  /** `chars_current` or the N of `characters="N/M"`. */
  chars?: number;
  readOnly?: boolean;
  /** `tagged`: description/metadata/value elements; `attributes`: `characters="N/M"`. */
  format: 'tagged' | 'attributes';
}

export interface SystemSection {
  /** The element's name: `base_instructions`, `memory_blocks`, ... */
  name: string;
  /** What is between its tags. */
  text: string;
}

export interface SystemPrompt {
  sections: SystemSection[];
  /** Everything outside the sections (text before, between and after them), trimmed and joined by blank lines. */
  outside: string;
}

/** An opening tag on a line of its own: `<name attr="…">`; groups: the name, the attributes. */
const OPEN_TAG = '^<([A-Za-z_][\\w-]*)((?:\\s+[\\w-]+="[^"]*")*)\\s*>[ \\t]*$';

interface Element {
  name: string;
  attributes: string;
  /** Offsets in the text: the element from its `<` to after its `>`, and its content. */
  start: number;
  end: number;
  text: string;
}

/** Top-level elements: an opening tag alone on its line, its content, and the first closing tag alone on a later line. */
function elementsOf(text: string): Element[] {
  const out: Element[] = [];
  const re = new RegExp(OPEN_TAG, 'gm');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const name = m[1];
    const contentStart = m.index + m[0].length;
    const close = findClose(text, name, contentStart);
    if (close < 0) {
      continue; // not an element, only a line that looks like a tag
    }
    out.push({ name, attributes: m[2], start: m.index, end: close + name.length + 3, text: text.slice(contentStart, close).replace(/^\r?\n/, '').replace(/\r?\n$/, '') });
    re.lastIndex = close + name.length + 3;
  }
  return out;
}

/** The offset of `</name>` at the start of a line after `from`, or -1. */
function findClose(text: string, name: string, from: number): number {
  const tag = `</${name}>`;
  for (let at = text.indexOf(tag, from); at >= 0; at = text.indexOf(tag, at + 1)) {
    if (at === from || text[at - 1] === '\n') {
      return at;
    }
  }
  return -1;
}

/** The system prompt's top-level sections and the text around them. */
export function systemSectionsOf(systemText: string): SystemPrompt {
  const elements = elementsOf(systemText);
  const outside: string[] = [];
  let at = 0;
  for (const e of elements) {
    outside.push(systemText.slice(at, e.start));
    at = e.end;
  }
  outside.push(systemText.slice(at));
  return {
    sections: elements.map((e) => ({ name: e.name, text: e.text })),
    outside: outside
      .map((t) => t.trim())
      .filter(Boolean)
      .join('\n\n'),
  };
}

/** `1→ text` lines (some agent types number a block's lines): the text without the numbers, when every line has one. */
function withoutLineNumbers(value: string): string {
  const lines = value.split('\n');
  const numbered = /^\s*\d+→ ?/;
  return lines.length > 0 && lines.every((l) => numbered.test(l) || l === '') && lines.some((l) => l !== '') ? lines.map((l) => l.replace(numbered, '')).join('\n') : value;
}

function metadataOf(text: string): { chars?: number; limit?: number; readOnly?: boolean } {
  const num = (key: string) => {
    const m = new RegExp(`^-\\s*${key}\\s*=\\s*(\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const readOnly = /^-\s*read_only\s*=\s*true/m.test(text) || undefined;
  return { chars: num('chars_current'), limit: num('chars_limit'), readOnly };
}

function blockOf(e: Element): MemoryBlock {
  const children = elementsOf(e.text);
  const child = (name: string) => children.find((c) => c.name === name)?.text;
  const value = child('value');
  if (value !== undefined) {
    const description = child('description');
    const metadata = child('metadata');
    return dropUndefined({ label: e.name, value: withoutLineNumbers(value), description, ...(metadata ? metadataOf(metadata) : {}), format: 'tagged' });
  }
  const characters = /characters="(\d+)\/(\d+)"/.exec(e.attributes);
  return dropUndefined({
    label: e.name,
    value: withoutLineNumbers(e.text),
    chars: characters ? Number(characters[1]) : undefined,
    limit: characters ? Number(characters[2]) : undefined,
    format: 'attributes',
  });
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The memory blocks of a Letta system prompt, by label, in prompt order; empty when it has no
 * `<memory_blocks>` section (not a Letta prompt, or an agent without blocks).
 */
export function memoryBlocksOf(systemText: string): Map<string, MemoryBlock> {
  const blocks = new Map<string, MemoryBlock>();
  const section = elementsOf(systemText).find((e) => e.name === 'memory_blocks');
  if (!section) {
    return blocks;
  }
  for (const e of elementsOf(section.text)) {
    blocks.set(e.name, blockOf(e));
  }
  return blocks;
}

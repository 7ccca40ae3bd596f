/**
 * What changed between two consecutive steps' requests (normalised by `normalizeTrace`): the
 * messages they share from the start, the ones appended (with roles), the Letta system prompt by
 * section and memory block, tools added, removed or changed, and model parameters. Pure: no
 * `vscode` import.
 */
import type { Conversation, Message, Part, Role } from '../conversation/model';
import { memoryBlocksOf, systemSectionsOf, type MemoryBlock } from './memoryBlocks';
import { messagePreview } from './messageText';
import { textDiff, type TextDiff } from './textDiff';

/** The parts of a normalised request the comparison reads. */
export type RequestView = Pick<Conversation, 'messages' | 'tools' | 'parameters' | 'model'>;

export interface MessageSummary {
  /** Its index among the request's messages (the system prompt included). */
  index: number;
  role: Role;
  /** A short one-line preview of its text. */
  preview: string;
  /** Names of the tools it called. */
  toolCalls: string[];
  /** How many tool results it carries. */
  toolResults: number;
}

export interface BlockChange {
  label: string;
  kind: 'added' | 'removed' | 'changed';
  before?: MemoryBlock;
  after?: MemoryBlock;
  /** How the value changed, when it did. */
  value?: TextDiff;
  /** Other properties that changed. */
  fields: ('description' | 'limit' | 'readOnly')[];
}

export interface SectionChange {
  /** `base_instructions`, `tool_usage_rules`, `memory_metadata`, ...; `memory_blocks` is compared block by block instead. */
  name: string;
  kind: 'added' | 'removed' | 'changed';
  diff: TextDiff;
}

export interface SystemChanges {
  blocks: BlockChange[];
  sections: SectionChange[];
  /** Text outside every section (or the whole prompt when it has no Letta sections). */
  outside?: TextDiff;
}

export interface ParameterChange {
  name: string;
  before: unknown;
  after: unknown;
}

export interface RequestChanges {
  /** The first step: compared with nothing, so everything else is empty. */
  first: boolean;
  /** Messages after the system prompt that this request shares, from the start, with the previous one. */
  commonPrefix: number;
  /** Messages after the common prefix. */
  appended: MessageSummary[];
  /** `appended` counted by role. */
  appendedRoles: Partial<Record<Role, number>>;
  /** Messages of the previous request after the common prefix that this one no longer has (Letta summarised or trimmed its history). */
  dropped: number;
  /** Undefined when the system prompt is the same. */
  system?: SystemChanges;
  tools: { added: string[]; removed: string[]; changed: string[] };
  parameters: ParameterChange[];
  /** Set when the model differs. */
  model?: { before?: string; after?: string };
  /** True when nothing at all changed (never for the first step). */
  unchanged: boolean;
}

/** Structural equality of JSON-like values (what the normalisers produce). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) {
      return false;
    }
    for (let i = 0; i < a.length; i++) {
      if (!sameJson(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }
  if (Array.isArray(b)) {
    return false;
  }
  // for-in without Object.keys: no arrays allocated, which is most of the time on long histories.
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let keys = 0;
  for (const k in ra) {
    if (!Object.prototype.hasOwnProperty.call(rb, k) || !sameJson(ra[k], rb[k])) {
      return false;
    }
    keys++;
  }
  for (const k in rb) {
    if (Object.prototype.hasOwnProperty.call(rb, k)) {
      keys--;
    }
  }
  return keys === 0;
}

const SYSTEM_ROLES: ReadonlySet<Role> = new Set(['system', 'developer']);

/** How many leading messages are the system prompt. */
function systemCount(messages: readonly Message[]): number {
  let n = 0;
  while (n < messages.length && SYSTEM_ROLES.has(messages[n].role)) {
    n++;
  }
  return n;
}

function textOfParts(parts: readonly Part[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}

/** The system prompt's text: the leading system and developer messages, joined. */
export function systemTextOf(messages: readonly Message[]): string {
  return messages
    .slice(0, systemCount(messages))
    .map((m) => textOfParts(m.parts))
    .join('\n\n');
}

export function summarizeMessage(message: Message, index: number): MessageSummary {
  return {
    index,
    role: message.role,
    preview: messagePreview(message),
    toolCalls: message.parts.filter((p) => p.kind === 'tool-call').map((p) => (p.kind === 'tool-call' ? p.name : '')),
    toolResults: message.parts.filter((p) => p.kind === 'tool-result').length,
  };
}

function compareBlocks(before: Map<string, MemoryBlock>, after: Map<string, MemoryBlock>): BlockChange[] {
  const changes: BlockChange[] = [];
  for (const [label, old] of before) {
    const now = after.get(label);
    if (!now) {
      changes.push({ label, kind: 'removed', before: old, value: textDiff(old.value, ''), fields: [] });
      continue;
    }
    const fields = (['description', 'limit', 'readOnly'] as const).filter((f) => old[f] !== now[f]);
    if (old.value !== now.value || fields.length > 0) {
      changes.push({ label, kind: 'changed', before: old, after: now, ...(old.value !== now.value ? { value: textDiff(old.value, now.value) } : {}), fields });
    }
  }
  for (const [label, now] of after) {
    if (!before.has(label)) {
      changes.push({ label, kind: 'added', after: now, value: textDiff('', now.value), fields: [] });
    }
  }
  return changes;
}

/** Sections by name; a repeated name gets `#2`, `#3` so each is compared with its own. */
function sectionsByName(text: string): { sections: Map<string, string>; outside: string } {
  const { sections, outside } = systemSectionsOf(text);
  const byName = new Map<string, string>();
  for (const s of sections) {
    let name = s.name;
    for (let n = 2; byName.has(name); n++) {
      name = `${s.name}#${n}`;
    }
    byName.set(name, s.text);
  }
  return { sections: byName, outside };
}

/**
 * The last few prompts read: consecutive comparisons (1→2, 2→3, …) read each prompt twice, and a
 * long run's prompts are tens of kilobytes.
 */
const recentPrompts = new Map<string, { sections: Map<string, string>; outside: string; blocks: Map<string, MemoryBlock> }>();
const RECENT_PROMPTS = 4;

function readPrompt(text: string): { sections: Map<string, string>; outside: string; blocks: Map<string, MemoryBlock> } {
  let read = recentPrompts.get(text);
  if (!read) {
    read = { ...sectionsByName(text), blocks: memoryBlocksOf(text) };
    if (recentPrompts.size >= RECENT_PROMPTS) {
      recentPrompts.delete(recentPrompts.keys().next().value as string);
    }
    recentPrompts.set(text, read);
  }
  return read;
}

export function compareSystemPrompts(before: string, after: string): SystemChanges | undefined {
  if (before === after) {
    return undefined;
  }
  const old = readPrompt(before);
  const now = readPrompt(after);
  const sections: SectionChange[] = [];
  for (const [name, text] of old.sections) {
    const next = now.sections.get(name);
    if (name === 'memory_blocks' && next !== undefined) {
      continue;
    }
    if (next === undefined) {
      sections.push({ name, kind: 'removed', diff: textDiff(text, '') });
    } else if (next !== text) {
      sections.push({ name, kind: 'changed', diff: textDiff(text, next) });
    }
  }
  for (const [name, text] of now.sections) {
    if (!old.sections.has(name)) {
      sections.push({ name, kind: 'added', diff: textDiff('', text) });
    }
  }
  const blocks = compareBlocks(old.blocks, now.blocks);
  const outside = old.outside !== now.outside ? textDiff(old.outside, now.outside) : undefined;
  if (blocks.length === 0 && sections.length === 0 && !outside) {
    // Only what the reader sets aside changed: the memory_blocks section's own text, or white space
    // around the sections. Show it rather than claim nothing changed.
    const a = old.sections.get('memory_blocks') ?? '';
    const b = now.sections.get('memory_blocks') ?? '';
    return a !== b ? { blocks, sections: [{ name: 'memory_blocks', kind: 'changed', diff: textDiff(a, b) }] } : { blocks, sections, outside: textDiff(before, after) };
  }
  return { blocks, sections, ...(outside ? { outside } : {}) };
}

function compareTools(before: RequestView['tools'], after: RequestView['tools']): RequestChanges['tools'] {
  const old = new Map(before.map((t) => [t.name, t]));
  const now = new Map(after.map((t) => [t.name, t]));
  return {
    added: [...now.keys()].filter((n) => !old.has(n)),
    removed: [...old.keys()].filter((n) => !now.has(n)),
    changed: [...now.keys()].filter((n) => old.has(n) && !sameJson(old.get(n), now.get(n))),
  };
}

function compareParameters(before: Record<string, unknown>, after: Record<string, unknown>): ParameterChange[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return names.filter((n) => !sameJson(before[n], after[n])).map((name) => ({ name, before: before[name], after: after[name] }));
}

/** What changed from `previous` to `next`; `previous` undefined for the first step of a run. */
export function compareRequests(previous: RequestView | undefined, next: RequestView): RequestChanges {
  if (!previous) {
    return { first: true, commonPrefix: 0, appended: [], appendedRoles: {}, dropped: 0, tools: { added: [], removed: [], changed: [] }, parameters: [], unchanged: false };
  }
  const oldStart = systemCount(previous.messages);
  const newStart = systemCount(next.messages);
  const oldHistory = previous.messages.length - oldStart;
  const newHistory = next.messages.length - newStart;
  let common = 0;
  while (common < oldHistory && common < newHistory && sameJson(previous.messages[oldStart + common], next.messages[newStart + common])) {
    common++;
  }
  const appended = next.messages.slice(newStart + common).map((m, i) => summarizeMessage(m, newStart + common + i));
  const appendedRoles: Partial<Record<Role, number>> = {};
  for (const m of appended) {
    appendedRoles[m.role] = (appendedRoles[m.role] ?? 0) + 1;
  }
  const system = compareSystemPrompts(systemTextOf(previous.messages), systemTextOf(next.messages));
  const tools = compareTools(previous.tools, next.tools);
  const parameters = compareParameters(previous.parameters, next.parameters);
  const model = previous.model !== next.model ? { before: previous.model, after: next.model } : undefined;
  const dropped = oldHistory - common;
  const unchanged = appended.length === 0 && dropped === 0 && !system && tools.added.length + tools.removed.length + tools.changed.length === 0 && parameters.length === 0 && !model;
  return { first: false, commonPrefix: common, appended, appendedRoles, dropped, ...(system ? { system } : {}), tools, parameters, ...(model ? { model } : {}), unchanged };
}

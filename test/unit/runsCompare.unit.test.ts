// Run comparison (src/core/runs/): the Letta system-prompt reader (sections, both block formats),
// inline text diffs, and what changed between two requests — on the fake server's simulated runs,
// on hand-made requests, and as properties (a request against itself changes nothing; appending
// messages gives exactly those).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Message, Part, Role, ToolDefinition } from '../../src/core/conversation/model';
import { normalizeTrace } from '../../src/core/conversation/normalize';
import { compareRequests, compareSystemPrompts, sameJson, systemTextOf, type RequestView } from '../../src/core/runs/compare';
import { memoryBlocksOf, systemSectionsOf } from '../../src/core/runs/memoryBlocks';
import { textDiff, type TextDiff } from '../../src/core/runs/textDiff';
import { buildFakeData } from '../fakeLetta/data';

const NEW_FORMAT = `<base_instructions>
You are a helpful agent.
<memory>
Nested tags inside a section are its text.
</memory>
</base_instructions>

<memory_blocks>
The following memory blocks are currently engaged in your core memory unit:

<persona>
<description>
The persona block.
</description>
<metadata>
- read_only=true
- chars_current=12
- chars_limit=5000
</metadata>
<value>
I am Sam.
</value>
</persona>

<human>
<description>
The human block.
</description>
<metadata>
- chars_current=30
- chars_limit=2000
</metadata>
<warning>
# NOTE: Line numbers shown below are to help during editing. Do NOT include line number prefixes in your memory edit tool calls.
</warning>
<value>
1→ Name: Priya
2→ Location: Amsterdam
</value>
</human>

</memory_blocks>

<memory_metadata>
- The current system date is: 2026-03-14 09:26:48 AM UTC+0000
</memory_metadata>`;

const OLD_FORMAT = `You are MemGPT.
<memory_blocks>
<persona characters="9/5000">
I am Sam.
</persona>
<human characters="14/2000">
First name: Chad
</human>
</memory_blocks>
Trailing words.`;

const text = (t: string): Part => ({ kind: 'text', text: t });
const msg = (role: Role, ...parts: Part[]): Message => ({ role, parts });
const request = (messages: Message[], tools: ToolDefinition[] = [], parameters: Record<string, unknown> = {}, model = 'gpt-4.1-mini'): RequestView => ({ messages, tools, parameters, model });

/** Both texts back from a diff: before = same + removed, after = same + added. */
function sides(diff: TextDiff): { before: string; after: string } {
  return {
    before: diff.parts.filter((p) => p.kind !== 'added').map((p) => p.text).join(''),
    after: diff.parts.filter((p) => p.kind !== 'removed').map((p) => p.text).join(''),
  };
}

describe('memoryBlocksOf and systemSectionsOf', () => {
  it('reads the current block format: value, description, limit, size, read-only; line numbers removed', () => {
    const blocks = memoryBlocksOf(NEW_FORMAT);
    assert.deepEqual([...blocks.keys()], ['persona', 'human']);
    assert.deepEqual(blocks.get('persona'), { label: 'persona', value: 'I am Sam.', description: 'The persona block.', chars: 12, limit: 5000, readOnly: true, format: 'tagged' });
    assert.deepEqual(blocks.get('human'), { label: 'human', value: 'Name: Priya\nLocation: Amsterdam', description: 'The human block.', chars: 30, limit: 2000, format: 'tagged' });
  });

  it('reads the older characters="N/M" format', () => {
    const blocks = memoryBlocksOf(OLD_FORMAT);
    assert.deepEqual(blocks.get('persona'), { label: 'persona', value: 'I am Sam.', chars: 9, limit: 5000, format: 'attributes' });
    assert.deepEqual(blocks.get('human'), { label: 'human', value: 'First name: Chad', chars: 14, limit: 2000, format: 'attributes' });
  });

  it('finds no blocks in a prompt that is not Letta’s, or whose blocks section never closes', () => {
    assert.equal(memoryBlocksOf('You are a helpful assistant.').size, 0);
    assert.equal(memoryBlocksOf('<memory_blocks>\n<human>\nx\n</human>\n').size, 0);
    assert.equal(memoryBlocksOf('').size, 0);
  });

  it('splits the prompt into top-level sections and keeps the text around them', () => {
    const { sections, outside } = systemSectionsOf(NEW_FORMAT);
    assert.deepEqual(sections.map((s) => s.name), ['base_instructions', 'memory_blocks', 'memory_metadata']);
    assert.match(sections[0].text, /<memory>\nNested tags/);
    assert.equal(outside, '');
    const old = systemSectionsOf(OLD_FORMAT);
    assert.deepEqual(old.sections.map((s) => s.name), ['memory_blocks']);
    assert.equal(old.outside, 'You are MemGPT.\n\nTrailing words.');
  });
});

describe('textDiff', () => {
  it('shows the words that changed, and gives back both texts', () => {
    const diff = textDiff('Location: Amsterdam office', 'Location: Berlin office');
    assert.deepEqual(diff.parts, [
      { kind: 'same', text: 'Location: ' },
      { kind: 'removed', text: 'Amsterdam' },
      { kind: 'added', text: 'Berlin' },
      { kind: 'same', text: ' office' },
    ]);
    assert.deepEqual([diff.added, diff.removed, diff.granularity], [6, 9, 'words']);
  });

  it('falls back to lines, then to the whole text, when two big texts differ everywhere', () => {
    const a = Array.from({ length: 6000 }, (_, i) => `a${i}${i % 12 === 0 ? '\n' : ' '}`).join('');
    const b = Array.from({ length: 6000 }, (_, i) => `b${i}${i % 12 === 0 ? '\n' : ' '}`).join('');
    const diff = textDiff(a, b);
    assert.notEqual(diff.granularity, 'words');
    assert.deepEqual(sides(diff), { before: a, after: b });
  });

  it('property: before = same + removed and after = same + added', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (a, b) => {
        const diff = textDiff(a, b);
        assert.deepEqual(sides(diff), { before: a, after: b });
        assert.equal(diff.added === 0 && diff.removed === 0, a === b);
      }),
    );
  });
});

describe('compareRequests', () => {
  const data = buildFakeData({ agents: 3, stepsPerAgent: 12 });
  const named = data.named;
  assert.ok(named);
  const requestsOf = (runId: string) =>
    data.steps
      .filter((s) => s.run_id === runId)
      .reverse()
      .flatMap((s) => {
        const trace = data.traces.get(s.id);
        return trace ? [normalizeTrace(trace)] : [];
      });

  it('the memory-edit run: the human block changed between steps 2 and 3, with the old and new text', () => {
    const [, second, third, fourth] = requestsOf(named.memoryEdit);
    const changes = compareRequests(second, third);
    assert.equal(changes.first, false);
    assert.deepEqual(changes.appended.map((m) => [m.role, m.toolCalls, m.toolResults]), [
      ['assistant', ['core_memory_replace'], 0],
      ['user', [], 1],
    ]);
    assert.deepEqual(changes.appendedRoles, { assistant: 1, user: 1 });
    assert.equal(changes.commonPrefix, 3);
    assert.equal(changes.dropped, 0);
    const [human] = changes.system?.blocks ?? [];
    assert.equal(human.label, 'human');
    assert.equal(human.kind, 'changed');
    assert.match(human.before?.value ?? '', /Location: Amsterdam office/);
    assert.match(human.after?.value ?? '', /Location: Berlin office \(since February\)\nGoes by: Pri/);
    assert.deepEqual(human.value && sides(human.value), { before: human.before?.value, after: human.after?.value });
    assert.ok(human.value?.parts.some((p) => p.kind === 'removed' && p.text.includes('Amsterdam')));
    assert.ok(human.value?.parts.some((p) => p.kind === 'added' && p.text.includes('Berlin')));
    assert.deepEqual(human.fields, []);
    // Outside the blocks: the date and the "last modified" line of <memory_metadata>.
    assert.deepEqual(changes.system?.sections.map((s) => s.name), ['memory_metadata']);
    assert.deepEqual([changes.tools, changes.parameters, changes.model], [{ added: [], removed: [], changed: [] }, [], undefined]);
    // No memory edit between steps 3 and 4: no block changes.
    assert.deepEqual(compareRequests(third, fourth).system?.blocks, []);
  });

  it('every step of the 200-step run appends exactly its tool call and result', () => {
    const requests = requestsOf(named.long);
    assert.equal(requests.length, 200);
    assert.equal(compareRequests(undefined, requests[0]).first, true);
    for (let i = 1; i < requests.length; i++) {
      const changes = compareRequests(requests[i - 1], requests[i]);
      assert.equal(changes.appended.length, 2, `step ${i}`);
      assert.equal(changes.commonPrefix, 2 * i - 1, `step ${i}`);
    }
  });

  it('the first step is compared with nothing', () => {
    const changes = compareRequests(undefined, request([msg('system', text('s')), msg('user', text('hi'))]));
    assert.deepEqual(changes, { first: true, commonPrefix: 0, appended: [], appendedRoles: {}, dropped: 0, tools: { added: [], removed: [], changed: [] }, parameters: [], unchanged: false });
  });

  it('tools added, removed and changed; parameters and the model changed', () => {
    const search: ToolDefinition = { name: 'search', description: 'Search.', parameters: { type: 'object' } };
    const before = request([msg('system', text('s'))], [search, { name: 'old_tool' }], { temperature: 0.7, max_tokens: 100 });
    const after = request([msg('system', text('s'))], [{ ...search, description: 'Search the web.' }, { name: 'new_tool' }], { temperature: 1, max_tokens: 100, top_p: 0.9 }, 'gpt-4.1');
    const changes = compareRequests(before, after);
    assert.deepEqual(changes.tools, { added: ['new_tool'], removed: ['old_tool'], changed: ['search'] });
    assert.deepEqual(changes.parameters, [
      { name: 'temperature', before: 0.7, after: 1 },
      { name: 'top_p', before: undefined, after: 0.9 },
    ]);
    assert.deepEqual(changes.model, { before: 'gpt-4.1-mini', after: 'gpt-4.1' });
    assert.equal(changes.unchanged, false);
  });

  it('a history Letta summarised: the messages it no longer sends are counted as dropped', () => {
    const before = request([msg('system', text('s')), msg('user', text('a')), msg('assistant', text('b')), msg('user', text('c'))]);
    const after = request([msg('system', text('s')), msg('user', text('summary of a, b, c')), msg('user', text('d'))]);
    const changes = compareRequests(before, after);
    assert.equal(changes.commonPrefix, 0);
    assert.equal(changes.dropped, 3);
    assert.deepEqual(changes.appended.map((m) => m.preview), ['summary of a, b, c', 'd']);
  });

  it('system prompts: blocks added, removed and re-described; sections and text outside them', () => {
    const edited = NEW_FORMAT.replace('The persona block.', 'Who I am.')
      .replace(/<human>[\s\S]*?<\/human>/, '<project>\n<value>\nShip v2.\n</value>\n</project>')
      .replace('You are a helpful agent.', 'You are a careful agent.');
    const changes = compareSystemPrompts(NEW_FORMAT, `${edited}\nA line outside.`);
    assert.deepEqual(changes?.blocks.map((b) => [b.label, b.kind, b.fields]), [
      ['persona', 'changed', ['description']],
      ['human', 'removed', []],
      ['project', 'added', []],
    ]);
    assert.deepEqual(changes?.sections.map((s) => [s.name, s.kind]), [['base_instructions', 'changed']]);
    assert.deepEqual(changes?.outside && sides(changes.outside), { before: '', after: 'A line outside.' });
    assert.equal(compareSystemPrompts(NEW_FORMAT, NEW_FORMAT), undefined);
    // A prompt without Letta sections is compared as one text.
    assert.deepEqual(compareSystemPrompts('Be brief.', 'Be very brief.')?.outside?.parts.filter((p) => p.kind === 'added').map((p) => p.text), ['very ']);
    // White space alone still shows.
    assert.ok(compareSystemPrompts(NEW_FORMAT, `${NEW_FORMAT}\n`)?.outside);
  });

  it('reads a Gemini request, whose system prompt Letta sends as the first user item', () => {
    const gemini = data.agents.find((a) => a.llm_config?.model === 'gemini-2.5-flash');
    const runId = data.steps.find((s) => s.agent_id === gemini?.id && data.steps.filter((t) => t.run_id === s.run_id).length >= 2)?.run_id;
    assert.ok(runId);
    const [a, b] = requestsOf(runId);
    assert.equal(a.messages[0].role, 'system');
    assert.ok(memoryBlocksOf(systemTextOf(a.messages)).has('human'), 'the older block format, read');
    assert.equal(compareRequests(a, b).appended.length, 2);
  });
});

// --- properties ---

const roleArb = fc.constantFrom<Role>('user', 'assistant', 'tool');
const partArb: fc.Arbitrary<Part> = fc.oneof(
  fc.string({ maxLength: 40 }).map((t) => text(t)),
  fc.record({ kind: fc.constant('tool-call' as const), id: fc.string({ maxLength: 8 }), name: fc.constantFrom('search', 'send_message', 'core_memory_append'), arguments: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('thinking' as const), text: fc.string({ maxLength: 20 }) }),
);
const messageArb = (role: fc.Arbitrary<Role>) => fc.record({ role, parts: fc.array(partArb, { maxLength: 3 }) });
const blocksArb = fc.array(fc.tuple(fc.constantFrom('persona', 'human', 'project', 'notes'), fc.string({ maxLength: 60 }).map((s) => s.replace(/[<>]/g, ''))), { maxLength: 4 });
const systemArb = fc.tuple(blocksArb, fc.string({ maxLength: 40 })).map(([blocks, extra]) => {
  const unique = [...new Map(blocks).entries()];
  return `<base_instructions>\n${extra}\n</base_instructions>\n<memory_blocks>\n${unique.map(([l, v]) => `<${l}>\n<value>\n${v}\n</value>\n</${l}>`).join('\n')}\n</memory_blocks>`;
});
const requestArb: fc.Arbitrary<RequestView> = fc.record({
  messages: fc.tuple(systemArb, fc.array(messageArb(roleArb), { maxLength: 8 })).map(([system, history]) => [msg('system', text(system)), ...history]),
  tools: fc.uniqueArray(fc.record({ name: fc.string({ minLength: 1, maxLength: 10 }), description: fc.string({ maxLength: 20 }) }), { selector: (t) => t.name, maxLength: 4 }),
  parameters: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  model: fc.constantFrom('gpt-4.1-mini', 'claude-sonnet-4-5'),
});

/** A structurally equal copy, as two separately parsed traces would be. */
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('compareRequests: properties', () => {
  it('a request compared with itself (or an equal copy) has no change', () => {
    fc.assert(
      fc.property(requestArb, (a) => {
        for (const b of [a, clone(a)]) {
          const changes = compareRequests(a, b);
          assert.equal(changes.unchanged, true);
          assert.deepEqual(changes.appended, []);
          assert.equal(changes.system, undefined);
          assert.equal(changes.commonPrefix, a.messages.length - 1);
        }
      }),
    );
  });

  it('appending messages gives exactly those, with their roles', () => {
    fc.assert(
      fc.property(requestArb, fc.array(messageArb(roleArb), { minLength: 1, maxLength: 5 }), (a, extra) => {
        const b = { ...clone(a), messages: [...clone(a.messages), ...extra] };
        const changes = compareRequests(a, b);
        assert.equal(changes.commonPrefix, a.messages.length - 1);
        assert.equal(changes.dropped, 0);
        assert.deepEqual(changes.appended.map((m) => [m.index, m.role]), extra.map((m, i) => [a.messages.length + i, m.role]));
        const roles: Partial<Record<Role, number>> = {};
        for (const m of extra) {
          roles[m.role] = (roles[m.role] ?? 0) + 1;
        }
        assert.deepEqual(changes.appendedRoles, roles);
        assert.equal(changes.system, undefined);
        assert.equal(changes.unchanged, false);
      }),
    );
  });

  it('changing one memory block’s value reports that block alone, with both values', () => {
    fc.assert(
      fc.property(blocksArb.filter((b) => b.length > 0), fc.string({ maxLength: 60 }).map((s) => s.replace(/[<>]/g, '')), (blocks, value) => {
        const unique = [...new Map(blocks).entries()];
        const [label, old] = unique[0];
        fc.pre(old !== value && old.trim() === old && value.trim() === value);
        const prompt = (v: string) => `<memory_blocks>\n${unique.map(([l, x]) => `<${l}>\n<value>\n${l === label ? v : x}\n</value>\n</${l}>`).join('\n')}\n</memory_blocks>`;
        const changes = compareSystemPrompts(prompt(old), prompt(value));
        assert.deepEqual(changes?.blocks.map((b) => b.label), [label]);
        const [block] = changes?.blocks ?? [];
        assert.deepEqual(block.value && sides(block.value), { before: old, after: value });
        assert.deepEqual(changes?.sections, []);
      }),
    );
  });

  it('sameJson agrees with comparing JSON texts of sorted keys', () => {
    const canonical = (v: unknown): string => JSON.stringify(v, (_, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : 1))) : x));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }), (a, b) => {
        assert.equal(sameJson(a, b), canonical(a) === canonical(b));
        assert.equal(sameJson(a, clone(a)), true);
      }),
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { blockUsage, memoryBlocks, parseSystemPrompt, stripLineNumbers, type SystemPromptSection } from '../../src/core/context/systemPrompt';
import { loadFixtureTrace } from '../fixtures/fixtures';
import { readPromptFixture } from '../fixtures/contextFixtures';

const joined = (sections: SystemPromptSection[]) => sections.map((s) => s.raw).join('');

describe('parseSystemPrompt: new block format', () => {
  const prompt = readPromptFixture('letta-prompt-new');
  const parsed = parseSystemPrompt(prompt);

  it('finds the sections in order', () => {
    assert.equal(parsed.isLetta, true);
    const kinds = parsed.sections.filter((s) => s.kind !== 'text').map((s) => s.kind);
    assert.deepEqual(kinds, ['base-instructions', 'memory-block', 'memory-block', 'memory-block', 'tool-rules', 'memory-metadata']);
    assert.equal(joined(parsed.sections), prompt);
  });

  it('reads each block: label, description, sizes, read-only, extra metadata, value without numbers', () => {
    const [persona, human, log] = memoryBlocks(parsed);
    assert.equal(persona.label, 'persona');
    assert.match(persona.description ?? '', /^The persona block/);
    assert.equal(persona.charsCurrent, 476);
    assert.equal(persona.charsLimit, 506);
    assert.equal(persona.readOnly, false);
    assert.equal(persona.value.split('\n')[0], "I am Sam, the release engineer's assistant for the router-migration project.");
    assert.equal(persona.value.length, persona.charsCurrent, 'the stripped value is what chars_current counts');
    assert.match(persona.numberedValue ?? '', /^1→ I am Sam/);
    assert.match(persona.warning ?? '', /Line numbers shown below/);
    assert.equal(human.readOnly, true);
    assert.deepEqual(human.metadata, [{ key: 'scope', value: 'user' }]);
    assert.equal(log.label, 'project_log');
    assert.equal(log.value.length, log.charsCurrent);
  });

  it('grades usage: near, ok, over', () => {
    assert.deepEqual(memoryBlocks(parsed).map(blockUsage), ['near', 'ok', 'over']);
  });

  it('reads the memory metadata and tool rules', () => {
    const meta = parsed.sections.find((s) => s.kind === 'memory-metadata');
    assert.ok(meta && meta.kind === 'memory-metadata');
    assert.equal(meta.metadata.recallMessages, 148);
    assert.equal(meta.metadata.archivalMemories, 37);
    assert.equal(meta.metadata.lastModified, '2026-03-13 17:02:11 PM UTC+0000');
    assert.equal(meta.metadata.currentTime, '2026-03-14 09:26:48 AM UTC+0000');
    const rules = parsed.sections.find((s) => s.kind === 'tool-rules');
    assert.ok(rules && rules.kind === 'tool-rules');
    assert.match(rules.text, /<tool_rule>\nsend_message/);
  });
});

describe('parseSystemPrompt: old block format', () => {
  const prompt = readPromptFixture('letta-prompt-old');
  const parsed = parseSystemPrompt(prompt);

  it('reads characters="N/M" blocks and the ### Memory header', () => {
    assert.equal(parsed.isLetta, true);
    assert.equal(joined(parsed.sections), prompt);
    const [persona, human] = memoryBlocks(parsed);
    assert.equal(persona.format, 'characters');
    assert.equal(persona.charsLimit, 2000);
    assert.equal(persona.value.length, persona.charsCurrent);
    assert.equal(blockUsage(persona), 'ok');
    assert.equal(human.label, 'human');
    assert.equal(blockUsage(human), 'over');
    const meta = parsed.sections.find((s) => s.kind === 'memory-metadata');
    assert.ok(meta && meta.kind === 'memory-metadata');
    assert.equal(meta.metadata.lastModified, '2024-10-01 03:14:07 PM UTC+0000');
    assert.equal(meta.metadata.recallMessages, 42);
    assert.equal(meta.metadata.archivalMemories, 3);
    // The first section is the base prompt, kept as text (old servers did not tag it).
    assert.equal(parsed.sections[0].kind, 'text');
  });
});

describe('parseSystemPrompt: anything else', () => {
  it('a prompt that is not Letta\u2019s is one text section', () => {
    const parsed = parseSystemPrompt('You are a helpful assistant.\n<b>bold</b> and <value>not a block</value>');
    assert.equal(parsed.isLetta, false);
    assert.deepEqual(parsed.sections, [{ kind: 'text', raw: 'You are a helpful assistant.\n<b>bold</b> and <value>not a block</value>' }]);
  });

  it('a broken block stays text and the rest still parses', () => {
    const prompt = '<memory_blocks>\n<persona>\n<description>\nx\n</description>\n<value>\nunclosed\n</memory_blocks>\n<memory_metadata>\n- 3 previous messages between you and the user are stored in recall memory\n</memory_metadata>';
    const parsed = parseSystemPrompt(prompt);
    assert.equal(memoryBlocks(parsed).length, 0);
    assert.equal(joined(parsed.sections), prompt);
    assert.ok(parsed.sections.some((s) => s.kind === 'memory-metadata'));
  });

  it('the recorded OpenAI fixture\u2019s prompt yields its two blocks', () => {
    const messages = (loadFixtureTrace('openai-chat').request_json as { messages: { content: string }[] }).messages;
    assert.deepEqual(memoryBlocks(parseSystemPrompt(messages[0].content)).map((b) => b.label), ['persona', 'human']);
  });

  it('stripLineNumbers needs every non-empty line numbered', () => {
    assert.equal(stripLineNumbers('1→ a\n2→ b\n\n3→ c'), 'a\nb\n\nc');
    assert.equal(stripLineNumbers('1→ a\nplain'), undefined);
    assert.equal(stripLineNumbers(''), undefined);
  });
});

describe('parseSystemPrompt: property', () => {
  // Fragments of Letta's syntax mixed with any text, so the parser's paths are all reached.
  const fragment = fc.oneof(
    fc.string(),
    fc.constantFrom('<memory_blocks>', '</memory_blocks>', '<persona>', '</persona>', '<description>', '</description>', '<metadata>', '</metadata>', '<value>', '</value>', '<warning>', '</warning>',
      '- chars_current=5', '- chars_limit=10', '- read_only=true', '1→ ', '\n', '<human characters="3/9">', '</human>', '<base_instructions>', '</base_instructions>',
      '<tool_usage_rules>', '</tool_usage_rules>', '<memory_metadata>', '</memory_metadata>', '### Memory [last modified: x]', '12 previous messages in recall memory'),
  );
  const prompts = fc.oneof(fc.string({ unit: 'grapheme' }), fc.array(fragment, { maxLength: 40 }).map((a) => a.join('')));

  it('the sections joined give back the prompt exactly, for any text', () => {
    fc.assert(
      fc.property(prompts, (prompt) => {
        const parsed = parseSystemPrompt(prompt);
        assert.equal(joined(parsed.sections), prompt);
        assert.ok(parsed.sections.every((s) => s.raw.length > 0) || prompt === '');
      }),
      { numRuns: 2000 },
    );
  });

  it('a well-formed block with any value parses back to that value', () => {
    const safe = fc.string().filter((s) => !s.includes('</value>') && !s.startsWith('\n') && !s.endsWith('\n'));
    fc.assert(
      fc.property(safe, fc.boolean(), (value, readOnly) => {
        const prompt = `<memory_blocks>\n<notes>\n<description>\nd\n</description>\n<metadata>\n${readOnly ? '- read_only=true\n' : ''}- chars_current=${value.length}\n- chars_limit=100\n</metadata>\n<value>\n${value}\n</value>\n</notes>\n</memory_blocks>`;
        const [block] = memoryBlocks(parseSystemPrompt(prompt));
        assert.equal(block.label, 'notes');
        assert.equal(block.numberedValue ?? block.value, value);
        assert.equal(block.readOnly, readOnly);
        assert.equal(block.charsCurrent, value.length);
      }),
      { numRuns: 500 },
    );
  });
});

// Run and agent IDs share the step IDs' implementation (src/core/lettaIds.ts); these tests hold each
// kind to its own prefix and length, and the multi-kind helpers a hover or link provider uses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AGENT_IDS, RUN_IDS, STEP_IDS, idAt, idKind, scanIdLinesOf, type IdKind } from '../../src/core/lettaIds';

const UUID = '3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b';
const RUN = `run-${UUID}`;
const AGENT = `agent-${UUID}`;
const STEP = `step-${UUID}`;

const KINDS: [IdKind, string, number][] = [
  [STEP_IDS, STEP, 41],
  [RUN_IDS, RUN, 40],
  [AGENT_IDS, AGENT, 42],
];

describe('run and agent IDs', () => {
  for (const [kind, id, length] of KINDS) {
    describe(kind.noun, () => {
      it('validates its own prefix and length, and only those', () => {
        assert.equal(kind.length, length);
        assert.ok(kind.is(id));
        for (const [other, otherId] of KINDS) {
          assert.equal(kind.is(otherId), other === kind, `${kind.noun} vs ${otherId}`);
        }
        assert.ok(!kind.is(id.toUpperCase()));
        assert.ok(!kind.is(`${id}0`));
        assert.ok(!kind.is(id.replace('-4e6f-', '-1e6f-')), 'version 4 only');
        assert.ok(!kind.is(id.replace('-9b1a-', '-7b1a-')), 'variant 1 only');
        assert.ok(kind.pattern.test(id));
      });

      it('cleans pasted input and explains what is wrong, naming its kind', () => {
        assert.equal(kind.parseInput(`  "${id}"\n`), id);
        assert.equal(kind.parseInput(`\`${id}\``), id);
        assert.equal(kind.describeProblem(id), undefined);
        assert.match(kind.describeProblem('') ?? '', new RegExp(`^Enter an? ${kind.noun} ID: ${kind.prefix}<uuid4>`));
        assert.match(kind.describeProblem('hello') ?? '', new RegExp(`starts with "${kind.prefix}"`));
        assert.match(kind.describeProblem(id.toUpperCase().replace(kind.prefix.toUpperCase(), kind.prefix)) ?? '', /lower-case/);
        assert.match(kind.describeProblem(`${id}00`) ?? '', new RegExp(`has ${length} characters; this has ${length + 2}`));
        assert.match(kind.describeProblem(id.replace('-4e6f-', '-1e6f-')) ?? '', /version 4 UUID/);
        assert.equal(kind.short(id), `${kind.prefix}3f2b1c9e…`);
      });

      it('finds IDs in text with the same neighbour rules as step IDs', () => {
        const text = `${kind.noun}_id=${id} "x${id}" ${id}-tail \\n${id} %22${id}%22 \\u0022${id}`;
        assert.deepEqual(
          kind.find(text).map((m) => m.start),
          [text.indexOf(id), text.indexOf(`\\n${id}`) + 2, text.indexOf(`%22${id}`) + 3, text.lastIndexOf(id)],
        );
        assert.deepEqual(kind.find(text).map((m) => m.id), Array(4).fill(id));
        assert.deepEqual(kind.find(text, 1).length, 1);
        assert.deepEqual([...text.matchAll(kind.inText)].map((m) => m.index), kind.find(text).map((m) => m.start));
      });

      it('looks an ID up at a cursor offset, from its first character to just after its last', () => {
        const line = `log: ${id} done`;
        const start = line.indexOf(id);
        for (const offset of [start, start + 10, start + length]) {
          assert.deepEqual(kind.at(line, offset), { id, start }, String(offset));
        }
        assert.equal(kind.at(line, start - 1), undefined);
        assert.equal(kind.at(line, start + length + 1), undefined);
        assert.equal(kind.at(line, -1), undefined);
        assert.equal(kind.at(line, line.length + 1), undefined);
      });

      it('scans lines with caps and cancellation', () => {
        const lines = ['nothing here', `a ${id}`, `${id} ${id}`, 'none'];
        assert.deepEqual(
          kind.scanLines(lines.length, (i) => lines[i]).matches,
          [
            { id, line: 1, start: 2 },
            { id, line: 2, start: 0 },
            { id, line: 2, start: length + 1 },
          ],
        );
        assert.deepEqual(kind.scanLines(lines.length, (i) => lines[i], { maxMatches: 2 }).stoppedBy, 'limit');
        assert.deepEqual(kind.scanLines(lines.length, (i) => lines[i], { maxChars: 20 }), { matches: [], stoppedBy: 'size' });
        assert.deepEqual(kind.scan(`x ${id}`, { maxChars: 5 }), { matches: [], stoppedBy: 'size' });
        const many = Array.from({ length: 3000 }, () => id);
        assert.equal(kind.scanLines(many.length, (i) => many[i], { isCancelled: () => true }).stoppedBy, 'cancelled');
      });
    });
  }

  it('refuses a prefix that is not lower-case letters', () => {
    assert.throws(() => idKind('Run'));
    assert.throws(() => idKind('run-'));
    assert.throws(() => idKind('a1'));
  });

  it('idAt and scanIdLinesOf find several kinds in document order', () => {
    const kinds = [STEP_IDS, RUN_IDS];
    const lines = [`run ${RUN} then ${STEP}`, `agent ${AGENT}`, `${STEP} of ${RUN}`];
    const found = scanIdLinesOf(kinds, lines.length, (i) => lines[i]);
    assert.deepEqual(
      found.matches.map((m) => [m.kind.noun, m.line, m.start]),
      [
        ['run', 0, 4],
        ['step', 0, 4 + 40 + 6],
        ['step', 2, 0],
        ['run', 2, 45],
      ],
    );
    assert.equal(found.stoppedBy, undefined);
    const capped = scanIdLinesOf(kinds, lines.length, (i) => lines[i], { maxMatches: 3 });
    assert.deepEqual(capped.matches.map((m) => [m.kind.noun, m.line]), [['run', 0], ['step', 0], ['step', 2]]);
    assert.equal(capped.stoppedBy, 'limit');
    assert.equal(idAt(kinds, lines[0], 10)?.kind, RUN_IDS);
    assert.equal(idAt(kinds, lines[0], 60)?.kind, STEP_IDS);
    assert.equal(idAt(kinds, lines[1], 10), undefined, 'agent IDs were not asked for');
    assert.equal(idAt([AGENT_IDS], lines[1], 10)?.id, AGENT);
  });

  it('property: each kind finds exactly the IDs of its kind placed between separators', () => {
    const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
    const uuid = fc
      .tuple(hex(8), hex(4), hex(3), fc.constantFrom('8', '9', 'a', 'b'), hex(3), hex(12))
      .map(([a, b, c, v, d, e]) => `${a}-${b}-4${c}-${v}${d}-${e}`);
    const item = fc.tuple(fc.constantFrom(...KINDS.map(([k]) => k)), uuid).map(([k, u]) => ({ kind: k, id: `${k.prefix}${u}` }));
    const sep = fc.constantFrom(' ', '\n', '"', '=', '/', ': ', '(', ') ', ',');
    fc.assert(
      fc.property(fc.array(fc.tuple(item, sep), { maxLength: 12 }), (items) => {
        const text = items.map(([i, s]) => `${i.id}${s}`).join('');
        for (const [kind] of KINDS) {
          assert.deepEqual(kind.find(text).map((m) => m.id), items.filter(([i]) => i.kind === kind).map(([i]) => i.id));
        }
      }),
    );
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  STEP_ID_IN_TEXT,
  STEP_ID_LENGTH,
  STEP_ID_PATTERN,
  describeStepIdProblem,
  findStepIds,
  isStepId,
  parseStepIdInput,
  scanStepIdLines,
  scanStepIds,
  shortStepId,
  stepIdAt,
} from '../../src/core/stepIds';

const ID = 'step-3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b';
const ID2 = 'step-00000000-0000-4000-8000-000000000000';
const ID3 = 'step-ffffffff-ffff-4fff-bfff-ffffffffffff';

/** The IDs `findStepIds` reports, in order. */
function ids(text: string): string[] {
  return findStepIds(text).map((m) => m.id);
}

/** What the exported RegExp finds, for comparison with the hand-written scanner. */
function regexMatches(text: string): { id: string; start: number }[] {
  return [...text.matchAll(new RegExp(STEP_ID_IN_TEXT.source, 'g'))].map((m) => ({ id: m[0], start: m.index }));
}

describe('isStepId and parseStepIdInput', () => {
  it('accepts the official shape and each valid variant nibble', () => {
    assert.equal(isStepId(ID), true);
    for (const v of ['8', '9', 'a', 'b']) {
      assert.equal(isStepId(`step-3f2b1c9e-8a7d-4e6f-${v}b1a-2c3d4e5f6a7b`), true, v);
    }
    assert.equal(ID.length, STEP_ID_LENGTH);
    assert.match(ID, STEP_ID_PATTERN);
  });

  it('rejects look-alikes', () => {
    const bad = [
      '',
      ID.toUpperCase(),
      ID.replace('step-', 'STEP-'),
      ID.replace('step-', 'Step-'),
      ID.replace('3f2b', '3F2B'),
      ID.replace('-4e6f-', '-1e6f-'), // version 1
      ID.replace('-4e6f-', '-7e6f-'), // version 7
      ID.replace('-9b1a-', '-cb1a-'), // variant c
      ID.replace('-9b1a-', '-7b1a-'), // variant 0
      ID.slice(0, -1),
      `${ID}0`,
      ID.replace('step-', 'step_'),
      ID.replace('step-', 'agent-'),
      `step-${'3f2b1c9e8a7d4e6f9b1a2c3d4e5f6a7b'}`,
      ` ${ID}`,
      ID.replace(/-/g, '_'),
    ];
    for (const value of bad) {
      assert.equal(isStepId(value), false, value);
    }
  });

  it('cleans pasted input: white space and one layer of quotes', () => {
    assert.equal(parseStepIdInput(`  ${ID}\n`), ID);
    assert.equal(parseStepIdInput(`"${ID}"`), ID);
    assert.equal(parseStepIdInput(`'${ID}'`), ID);
    assert.equal(parseStepIdInput(`\`${ID}\``), ID);
    assert.equal(parseStepIdInput(`" ${ID} "`), ID);
    assert.equal(parseStepIdInput(`"${ID}'`), undefined);
    assert.equal(parseStepIdInput(`""${ID}""`), undefined);
    assert.equal(parseStepIdInput(`${ID} ${ID2}`), undefined);
  });

  it('explains what is wrong', () => {
    assert.equal(describeStepIdProblem(ID), undefined);
    assert.match(describeStepIdProblem('') ?? '', /Enter a step ID/);
    assert.match(describeStepIdProblem('agent-123') ?? '', /starts with "step-"/);
    assert.match(describeStepIdProblem(ID.replace('3f2b', '3F2B')) ?? '', /lower-case/);
    assert.match(describeStepIdProblem(ID.slice(0, -2)) ?? '', /41 characters; this has 39/);
    assert.match(describeStepIdProblem(ID.replace('-4e6f-', '-1e6f-')) ?? '', /version 4/);
  });

  it('shortens for titles', () => {
    assert.equal(shortStepId(ID), 'step-3f2b1c9e…');
    assert.equal(shortStepId('step-1'), 'step-1');
  });
});

describe('findStepIds: where IDs are found', () => {
  const positives: [string, string][] = [
    ['alone', ID],
    ['double quotes', `"${ID}"`],
    ['single quotes', `'${ID}'`],
    ['backticks', `\`${ID}\``],
    ['JSON string', `{"step_id":"${ID}","ok":true}`],
    ['JSON with spaces', `{ "step_id" : "${ID}" }`],
    ['URL path', `GET https://api.letta.com/v1/steps/${ID}/trace HTTP/1.1`],
    ['URL end', `http://localhost:8283/v1/steps/${ID}`],
    ['query string', `/v1/steps/?after=${ID}&limit=10`],
    ['after =', `step_id=${ID}`],
    ['after :', `step_id:${ID}`],
    ['after : and space', `step: ${ID}`],
    ['parentheses', `(${ID})`],
    ['brackets', `[${ID}]`],
    ['braces', `{${ID}}`],
    ['angle brackets', `<${ID}>`],
    ['tab', `\t${ID}\t`],
    ['comma after', `${ID}, next`],
    ['semicolon after', `${ID};`],
    ['full stop after', `See ${ID}.`],
    ['file name', `traces/${ID}.json`],
    ['escaped quotes in JSON text', `"{\\"step_id\\": \\"${ID}\\"}"`],
    ['\\n before in JSON text', `"line one\\n${ID}\\nline two"`],
    ['\\t before in JSON text', `"a\\t${ID}"`],
    ['\\u0022 around', `\\u0022${ID}\\u0022`],
    ['%22 around (URL-encoded quote)', `q=%22${ID}%22`],
    ['%2F before (URL-encoded slash)', `path=%2Fv1%2Fsteps%2F${ID}%2Ftrace`],
    ['log line', `2026-11-28T10:00:00Z INFO step finished step_id=${ID} status=success`],
    ['Python repr', `Step(id='${ID}', status='success')`],
    ['after @', `@${ID}`],
    ['after #', `#${ID}`],
    ['after non-ASCII', `é ${ID} ü`],
    ['CRLF', `${ID}\r\n`],
  ];
  for (const [name, text] of positives) {
    it(`finds the ID: ${name}`, () => {
      const found = findStepIds(text);
      assert.deepEqual(
        found.map((m) => m.id),
        [ID],
        text,
      );
      assert.equal(text.slice(found[0].start, found[0].start + STEP_ID_LENGTH), ID);
      assert.deepEqual(regexMatches(text), found, 'the exported RegExp agrees');
    });
  }

  const negatives: [string, string][] = [
    ['upper-case', ID.toUpperCase()],
    ['upper-case prefix', ID.replace('step-', 'STEP-')],
    ['upper-case hex', ID.replace('2c3d4e5f6a7b', '2C3D4E5F6A7B')],
    ['version 1', ID.replace('-4e6f-', '-1e6f-')],
    ['version 5', ID.replace('-4e6f-', '-5e6f-')],
    ['variant c', ID.replace('-9b1a-', '-cb1a-')],
    ['variant 7', ID.replace('-9b1a-', '-7b1a-')],
    ['one hex short', `"${ID.slice(0, -1)}"`],
    ['one hex too many', `"${ID}a"`],
    ['a digit more', `${ID}0`],
    ['letter before', `x${ID}`],
    ['digit before', `1${ID}`],
    ['underscore before', `_${ID}`],
    ['dash before', `agent-${ID}`],
    ['underscore after', `${ID}_old`],
    ['dash after', `${ID}-x`],
    ['letter after', `${ID}g`],
    ['no dashes', 'step-3f2b1c9e8a7d4e6f9b1a2c3d4e5f6a7b'],
    ['underscore prefix', ID.replace('step-', 'step_')],
    ['other prefix', ID.replace('step-', 'agent-')],
    ['non-hex', ID.replace('3f2b', '3g2b')],
    ['dash moved', 'step-3f2b1c9e8-a7d-4e6f-9b1a-2c3d4e5f6a7b'],
    ['two glued IDs', `${ID}${ID2}`],
    ['doubled prefix', `step-${ID}`],
    ['not an escape before', `\\q${ID}`],
    ['half a percent escape', `%2${ID}`],
    ['percent with non-hex', `%zz${ID}`],
    ['short \\u escape', `\\u002${ID}`],
    ['truncated at end', ID.slice(0, 30)],
    ['just the prefix', 'step-'],
    ['empty', ''],
  ];
  for (const [name, text] of negatives) {
    it(`finds nothing: ${name}`, () => {
      assert.deepEqual(findStepIds(text), [], text);
      assert.deepEqual(regexMatches(text), [], 'the exported RegExp agrees');
    });
  }

  it('finds several IDs in order with their offsets, and honours the limit', () => {
    const text = `a ${ID} b "${ID2}" c /${ID3}/ xstep-${ID.slice(5)} ${ID}`;
    const found = findStepIds(text);
    assert.deepEqual(
      found.map((m) => m.id),
      [ID, ID2, ID3, ID],
    );
    for (const m of found) {
      assert.equal(text.slice(m.start, m.start + STEP_ID_LENGTH), m.id);
    }
    assert.deepEqual(
      findStepIds(text, 2).map((m) => m.id),
      [ID, ID2],
    );
    assert.deepEqual(findStepIds(text, 0), []);
  });

  it('skips a prefix that is not an ID and still finds the next one', () => {
    assert.deepEqual(ids(`step-step-step- ${ID}`), [ID]);
    assert.deepEqual(ids(`${ID.slice(0, 20)}${ID}`), []); // glued onto hex: one long token
    assert.deepEqual(ids(`${ID.slice(0, 20)} ${ID}`), [ID]);
  });
});

describe('stepIdAt', () => {
  const line = `x = "${ID}" and ${ID2}`;
  const start = line.indexOf(ID);
  const start2 = line.indexOf(ID2);

  it('finds the ID from its first character to just after its last', () => {
    for (let offset = start; offset <= start + STEP_ID_LENGTH; offset++) {
      assert.deepEqual(stepIdAt(line, offset), { id: ID, start }, String(offset));
    }
    assert.deepEqual(stepIdAt(line, start2), { id: ID2, start: start2 });
    assert.deepEqual(stepIdAt(line, line.length), { id: ID2, start: start2 });
  });

  it('finds nothing outside an ID or for out-of-range offsets', () => {
    assert.equal(stepIdAt(line, start - 1), undefined);
    assert.equal(stepIdAt(line, start + STEP_ID_LENGTH + 2), undefined);
    assert.equal(stepIdAt(line, 0), undefined);
    assert.equal(stepIdAt(line, -1), undefined);
    assert.equal(stepIdAt(line, line.length + 1), undefined);
    assert.equal(stepIdAt(line, Number.NaN), undefined);
    assert.equal(stepIdAt(`x${ID}`, 10), undefined);
  });

  it('respects the neighbours outside its window', () => {
    // The escape sits 6 characters before the ID: the window must still see it.
    const escaped = `"\\u0022${ID}"`;
    assert.equal(stepIdAt(escaped, escaped.indexOf(ID) + 20)?.id, ID);
    const glued = `${ID}${'0'.repeat(100)}`;
    assert.equal(stepIdAt(glued, 10), undefined);
  });

  it('finds an ID at the end of a 5 MB line, and nothing in the text before it', () => {
    // How cheap this stays is measured by `npm run bench` (hover lookup), not timed here.
    const long = `${'a'.repeat(5_000_000)} ${ID}`;
    for (let i = 0; i < 1000; i++) {
      assert.equal(stepIdAt(long, 4_000_000 + i), undefined);
    }
    assert.equal(stepIdAt(long, long.length - 3)?.id, ID);
  });
});

describe('scanStepIds and scanStepIdLines: caps and cancellation', () => {
  const lines = [`first ${ID}`, 'nothing here', `"${ID2}" and ${ID3}`, '', `tail ${ID}`];
  const text = lines.join('\n');

  it('reports line and character for each ID', () => {
    const result = scanStepIdLines(lines.length, (i) => lines[i]);
    assert.equal(result.stoppedBy, undefined);
    assert.deepEqual(result.matches, [
      { id: ID, line: 0, start: 6 },
      { id: ID2, line: 2, start: 1 },
      { id: ID3, line: 2, start: lines[2].indexOf(ID3) },
      { id: ID, line: 4, start: 5 },
    ]);
  });

  it('stops at the link limit', () => {
    const byText = scanStepIds(text, { maxMatches: 3 });
    assert.equal(byText.stoppedBy, 'limit');
    assert.equal(byText.matches.length, 3);
    const byLine = scanStepIdLines(lines.length, (i) => lines[i], { maxMatches: 2 });
    assert.equal(byLine.stoppedBy, 'limit');
    assert.deepEqual(
      byLine.matches.map((m) => m.id),
      [ID, ID2],
    );
  });

  it('refuses text over the size cap', () => {
    const result = scanStepIds(text, { maxChars: text.length - 1 });
    assert.deepEqual(result, { matches: [], stoppedBy: 'size' });
    assert.equal(scanStepIds(text, { maxChars: text.length }).matches.length, 4);
    const byLine = scanStepIdLines(lines.length, (i) => lines[i], { maxChars: lines[0].length + 5 });
    assert.equal(byLine.stoppedBy, 'size');
    assert.deepEqual(
      byLine.matches.map((m) => m.id),
      [ID],
    );
  });

  it('stops when cancelled', () => {
    const many = Array.from({ length: 20_000 }, () => `step- ${ID}`).join('\n');
    let polls = 0;
    const result = scanStepIds(many, {
      isCancelled: () => {
        polls++;
        return true;
      },
    });
    assert.equal(result.stoppedBy, 'cancelled');
    assert.equal(polls, 1);
    assert.ok(result.matches.length < 20_000);
    const manyLines = many.split('\n');
    const byLine = scanStepIdLines(manyLines.length, (i) => manyLines[i], { isCancelled: () => true });
    assert.equal(byLine.stoppedBy, 'cancelled');
    assert.ok(byLine.matches.length < 20_000);
    assert.equal(scanStepIds(many, { isCancelled: () => false }).matches.length, 20_000);
  });

  it('scans a 10 MB log, to a match limit or to the end', () => {
    const row = `2026-11-28T10:00:00.000Z INFO agent=agent-1 step_id=${ID} tokens=1234 status=success latency_ms=812\n`;
    const log = row.repeat(Math.ceil(10_000_000 / row.length));
    const result = scanStepIds(log, { maxMatches: 5000 });
    assert.equal(result.matches.length, 5000);
    assert.equal(result.stoppedBy, 'limit');
    const full = scanStepIds(log);
    assert.equal(full.matches.length, Math.ceil(10_000_000 / row.length));
  });
});

describe('properties', () => {
  /** Text that is rich in the characters around IDs, plus valid IDs and near misses. */
  const piece = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('"', "'", '=', ':', '/', '-', '_', ' ', '\n', '\\', 'n', 'u', '%', '2', 'a', 'F', 'x', '{', '}', ',') },
    { weight: 1, arbitrary: fc.uuid({ version: 4 }).map((u) => `step-${u}`) },
    { weight: 1, arbitrary: fc.uuid().map((u) => `step-${u}`) },
    { weight: 1, arbitrary: fc.uuid({ version: 4 }).map((u) => `step-${u.slice(0, 35)}`) },
    { weight: 1, arbitrary: fc.constantFrom('step-', 'STEP-', '\\u0022', '%22', '\\n') },
  );
  const richText = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
  const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 }), richText);

  it('never throws on random text and every match is a valid ID at its offset', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const m of findStepIds(text)) {
          assert.equal(isStepId(m.id), true);
          assert.equal(text.slice(m.start, m.start + STEP_ID_LENGTH), m.id);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on random JSON, and finds every step ID stored as a JSON string', () => {
    const withIds = fc.jsonValue().chain((value) =>
      fc.uuid({ version: 4 }).map((u) => ({ value, id: `step-${u}` })),
    );
    fc.assert(
      fc.property(withIds, ({ value, id }) => {
        const text = JSON.stringify({ data: value, step_id: id, url: `/v1/steps/${id}/trace` });
        const found = findStepIds(text);
        for (const m of found) {
          assert.equal(isStepId(m.id), true);
          assert.equal(text.slice(m.start, m.start + STEP_ID_LENGTH), m.id);
        }
        assert.ok(found.filter((m) => m.id === id).length >= 2, text);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the exported RegExp', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        assert.deepEqual(findStepIds(text), regexMatches(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a v4 step ID between any separators', () => {
    const sep = fc.constantFrom('', ' ', '"', "'", '=', ':', '/', '(', ')', '[', ']', ',', '.', '\t', '\\n', '%22', '\\u0022', '&');
    fc.assert(
      fc.property(fc.uuid({ version: 4 }), sep, sep, fc.string({ maxLength: 20 }), (u, before, after, noise) => {
        const id = `step-${u}`;
        const prefix = `${noise} ${before}`;
        const text = `${prefix}${id}${after}`;
        assert.deepEqual(findStepIds(text).filter((m) => m.start === prefix.length), [{ id, start: prefix.length }]);
      }),
      { numRuns: 1000 },
    );
  });

  it('stepIdAt finds exactly the matches of findStepIds', () => {
    fc.assert(
      fc.property(richText, (text) => {
        const found = findStepIds(text);
        for (let offset = 0; offset <= text.length; offset++) {
          const expected = found.find((m) => m.start <= offset && offset <= m.start + STEP_ID_LENGTH);
          assert.deepEqual(stepIdAt(text, offset), expected, `offset ${offset} of ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the line scan gives the same IDs as the text scan', () => {
    fc.assert(
      fc.property(richText, (text) => {
        const lines = text.split('\n');
        const byLine = scanStepIdLines(lines.length, (i) => lines[i]).matches;
        const lineStarts = lines.map((_, i) => lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0));
        assert.deepEqual(
          byLine.map((m) => ({ id: m.id, start: lineStarts[m.line] + m.start })),
          findStepIds(text),
        );
      }),
      { numRuns: 1000 },
    );
  });
});

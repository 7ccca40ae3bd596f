/**
 * No file of the repository keeps a merge's conflict markers: lint and tsc never read `scripts/*.mjs`
 * or the docs, so a marker left there would only show when `npm run bench` or a reader met it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const SKIP = new Set(['node_modules', 'out', 'dist', '.git', '.test-work', '.bench', 'media']);
const TEXT = /\.(ts|mjs|js|cjs|json|md|css|html|sh|yml|yaml)$|^\.vscodeignore$|^run$/;

function* textFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || (entry.name.startsWith('.') && entry.name !== '.ci' && entry.name !== '.vscodeignore')) {
      continue;
    }
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* textFiles(full);
    } else if (TEXT.test(entry.name) && fs.statSync(full).size < 5_000_000) {
      yield full;
    }
  }
}

/** The lines that start a conflict's parts, as git writes them. */
export function conflictLines(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^(<{7} |>{7} |={7}$)/.test(line)) {
      lines.push(i + 1);
    }
  });
  return lines;
}

describe('merge markers', () => {
  it('are recognised', () => {
    assert.deepEqual(conflictLines(['a', '<<<<<<< HEAD', 'b', '=======', 'c', '>>>>>>> main', 'd'].join('\n')), [2, 4, 6]);
    assert.deepEqual(conflictLines('a\n<<<<<<<<< not one\n== = ==\n'), []);
  });

  it('stand in no file of the repository', () => {
    const found: string[] = [];
    let read = 0;
    for (const file of textFiles(ROOT)) {
      read++;
      const at = conflictLines(fs.readFileSync(file, 'utf8'));
      if (at.length > 0) {
        found.push(`${path.relative(ROOT, file)}:${at.join(',')}`);
      }
    }
    assert.ok(read > 100, `read only ${read} files`);
    assert.deepEqual(found, []);
  });
});

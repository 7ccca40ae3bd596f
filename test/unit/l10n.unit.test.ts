// The translation bundle is made from the sources with @vscode/l10n-dev: it must be current, and
// every call must pass a literal (a variable cannot be extracted, so it would never be translated).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('localisation', () => {
  it('l10n/bundle.l10n.json is what `npm run l10n` makes from the sources now', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'l10n-'));
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules/@vscode/l10n-dev/dist/cli.js'), 'export', '--outDir', out, path.join(ROOT, 'src')], { stdio: 'pipe' });
      const fresh = JSON.parse(fs.readFileSync(path.join(out, 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
      const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
      assert.deepEqual(Object.keys(committed).sort(), Object.keys(fresh).sort(), 'run `npm run l10n` and commit l10n/bundle.l10n.json');
      assert.ok(Object.keys(fresh).length > 100);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('every l10n.t call (host, core and webview) passes a string literal, and a template literal only without ${…}', () => {
    const offenders: string[] = [];
    let calls = 0;
    for (const file of sources(path.join(ROOT, 'src'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bl10n\.t\(\s*([^\s)])/g)) {
        calls++;
        const at = m.index + m[0].length - 1;
        const isLiteral = ['"', "'", '`'].includes(m[1]);
        // `l10n.t(`Hello ${name}`)` cannot be extracted either: the key would change with the value.
        const isPlainTemplate = m[1] !== '`' || !text.slice(at + 1, text.indexOf('`', at + 1)).includes('${');
        if (!isLiteral || !isPlainTemplate) {
          offenders.push(`${path.relative(ROOT, file)}: ${text.slice(m.index, m.index + 60)}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
    assert.ok(calls > 500, `only ${calls} calls were read: is the scan looking at src?`);
  });

  it('the core and the webview say their words through @vscode/l10n, not vscode.l10n (they cannot import vscode)', () => {
    const users = sources(path.join(ROOT, 'src')).filter((f) => /[/\\](core|webview)[/\\]/.test(f) && fs.readFileSync(f, 'utf8').includes('l10n.t('));
    const wrong = users.filter((f) => !fs.readFileSync(f, 'utf8').includes("import * as l10n from '@vscode/l10n'"));
    assert.deepEqual(wrong.map((f) => path.relative(ROOT, f)), []);
    assert.ok(users.some((f) => f.includes(`${path.sep}webview${path.sep}run${path.sep}`)), 'the run view has translated words');
  });

  it('package.json has no text of its own: every %key% is in package.nls.json, and every key there is used', () => {
    const pkg = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const used = new Set([...pkg.matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]));
    assert.deepEqual([...used].filter((k) => !(k in nls)), []);
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), []);
    const contributes = (JSON.parse(pkg) as { contributes: { commands: { title: string }[] } }).contributes;
    assert.deepEqual(contributes.commands.filter((c) => !c.title.startsWith('%')).map((c) => c.title), []);
  });
});

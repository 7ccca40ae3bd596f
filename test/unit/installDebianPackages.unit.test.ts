// scripts/install-debian-packages.sh, which `npm test` (through install-code-server.sh) and `npm run bench`
// (for the render rows' chromium) share: it installs only what is missing, with sudo unless root,
// and does nothing when everything is there. Run with fake dpkg-query, id, sudo and apt-get.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'scripts/install-debian-packages.sh');

describe('install-debian-packages.sh', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'letta-apt-'));
  const calls = path.join(dir, 'calls.log');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const fake = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  // Installed: what $INSTALLED lists. apt-get and sudo only write down how they were called.
  fake('dpkg-query', 'for p in $INSTALLED; do [ "$p" = "$3" ] && { printf "install ok installed"; exit 0; }; done; exit 1');
  fake('id', 'echo "$FAKE_UID"');
  fake('apt-get', `echo "apt-get $*" >> ${calls}`);
  fake('sudo', `echo "sudo" >> ${calls}; "$@"`);

  function run(packages: string[], installed: string[], uid: number): string[] {
    fs.rmSync(calls, { force: true });
    execFileSync('bash', [SCRIPT, ...packages], { env: { PATH: `${dir}:${process.env.PATH}`, INSTALLED: installed.join(' '), FAKE_UID: String(uid) }, encoding: 'utf8' });
    return fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n') : [];
  }

  it('installs only the missing packages, in one apt-get install', () => {
    assert.deepEqual(run(['chromium', 'ripgrep', 'python3'], ['ripgrep'], 0), ['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends chromium python3']);
  });

  it('uses sudo when not root', () => {
    assert.deepEqual(run(['chromium'], [], 1000), ['sudo', 'apt-get update -qq', 'sudo', 'apt-get install -y -qq --no-install-recommends chromium']);
  });

  it('does nothing when everything is installed', () => {
    assert.deepEqual(run(['chromium', 'ripgrep'], ['chromium', 'ripgrep'], 1000), []);
  });

  it('is what install-code-server.sh and the benchmark use, not a copy of it', () => {
    const installer = fs.readFileSync(path.join(ROOT, 'scripts/install-code-server.sh'), 'utf8');
    assert.match(installer, /scripts\/install-debian-packages\.sh" chromium /);
    assert.doesNotMatch(installer, /apt-get/, 'no second apt-get in install-code-server.sh');
    const chromium = fs.readFileSync(path.join(ROOT, 'scripts/lib/chromium.mjs'), 'utf8');
    assert.match(chromium, /scripts\/install-debian-packages\.sh'\), 'chromium'/);
    for (const script of ['bench.mjs', 'test.mjs']) {
      assert.match(fs.readFileSync(path.join(ROOT, 'scripts', script), 'utf8'), /ensureChromium\(/, script);
    }
  });
});

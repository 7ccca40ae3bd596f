/**
 * The e2e test's hostile extension (test/e2e/hostileExtension.ts) finds a key when exports leak one:
 * its probe, run here against stand-in `vscode` modules, reaches the key through `keys.get(origin)`
 * and `storage.secrets.get(...)` of a leaky export, and nothing through an extension that exports
 * nothing. So the e2e test that finds nothing means something.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EXTENSION_JS, type HostileReport } from '../e2e/hostileExtension';

const ORIGIN = 'http://127.0.0.1:43210';
const KEY = 'sk-let-LEAKED-1234';

/** Runs the probe with `exportsOf` as what our extension's activate() returns; gives its report. */
async function probe(exportsOf: unknown): Promise<HostileReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'letta-probe-'));
  const file = path.join(dir, 'extension.js');
  fs.writeFileSync(file, EXTENSION_JS);
  const commands = new Map<string, () => Promise<void>>();
  const vscode = {
    extensions: { getExtension: () => ({ activate: () => Promise.resolve(exportsOf), exports: exportsOf }) },
    workspace: { getConfiguration: () => ({ get: () => `${ORIGIN}/v1` }) },
    commands: { registerCommand: (id: string, run: () => Promise<void>) => (commands.set(id, run), { dispose: () => undefined }) },
  };
  const resolver = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = resolver._load;
  resolver._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? vscode : original(request, ...rest));
  process.env.HOSTILE_RESULTS = path.join(dir, 'report.json');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ext = require(file) as { activate(context: { subscriptions: unknown[] }): void };
    ext.activate({ subscriptions: [] });
    await commands.get('hostile.probe')?.();
    return JSON.parse(fs.readFileSync(process.env.HOSTILE_RESULTS, 'utf8')) as HostileReport;
  } finally {
    resolver._load = original;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the hostile probe of the e2e test', () => {
  it('reaches a key that leaky exports hand out, through a getter or the extension storage', async () => {
    const secrets = new Map([[`letta.apiKey:${ORIGIN}`, KEY]]);
    class Keys {
      get(origin: string) {
        return Promise.resolve(origin === ORIGIN ? KEY : undefined);
      }
      delete(origin: string) {
        secrets.delete(`letta.apiKey:${origin}`);
        return Promise.resolve();
      }
    }
    for (const leaky of [{ keys: new Keys() }, { storage: { secrets: { get: (k: string) => Promise.resolve(secrets.get(k)) } } }]) {
      const report = await probe(leaky);
      assert.ok(report.strings.some((s) => s.includes(KEY)), `found through ${report.paths.join(', ')}`);
    }
  });

  it('finds nothing when the extension exports nothing', async () => {
    const report = await probe(undefined);
    assert.equal(report.exportsType, 'undefined');
    assert.deepEqual(report.strings, []);
  });
});

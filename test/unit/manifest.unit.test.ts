/** The manifest says what the extension really does: every %key% is translated, and the untrusted-workspace text names what it restricts. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  capabilities: { untrustedWorkspaces: { supported: string; description: string; restrictedConfigurations: string[] } };
  contributes: { configuration: { properties: Record<string, unknown> } };
};
const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;

describe('manifest', () => {
  it('translates every %key% it uses', () => {
    const keys = [...fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8').matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 10);
    assert.deepEqual(keys.filter((k) => !(k in nls)), []);
  });

  it('the untrusted-workspace description names each restricted setting, and does not claim a restriction it lacks', () => {
    const { description, restrictedConfigurations } = pkg.capabilities.untrustedWorkspaces;
    const text = nls[description.replace(/%/g, '')];
    assert.ok(text, description);
    for (const setting of restrictedConfigurations) {
      assert.ok(text.includes(setting), `names ${setting}: ${text}`);
      assert.ok(setting in pkg.contributes.configuration.properties, `${setting} is a setting`);
    }
    // Those settings are read from user settings in every workspace (src/host/settings.ts), not only untrusted ones.
    assert.match(text, /every workspace|any workspace/i);
  });

  it('has a letta.links.enabled setting beside letta.hover.enabled', () => {
    assert.ok('letta.links.enabled' in pkg.contributes.configuration.properties);
    assert.ok('letta.hover.enabled' in pkg.contributes.configuration.properties);
  });
});

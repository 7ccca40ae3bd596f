import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeBaseUrl } from '../../src/core/baseUrl';
import { accessFix, decideServerAccess, type KeyFacts } from '../../src/core/serverAccess';

const facts = (f: Partial<KeyFacts>): KeyFacts => ({ hasKey: false, noKeyNeeded: false, acceptedInsecure: false, ...f });
const decide = (url: string, f: Partial<KeyFacts>) => decideServerAccess(url, normalizeBaseUrl(url), facts(f));

describe('server access', () => {
  it('a setting that is not a URL is its own state, fixed by Change Server, whatever the keys', () => {
    const access = decide('api.letta.com with spaces', { hasKey: true });
    assert.equal(access.kind, 'bad-url');
    assert.equal(access.kind === 'bad-url' && accessFix(access).command, 'letta.changeServer');
  });

  it('no key and no "needs none": no-key, fixed by Set API Key', () => {
    const access = decide('https://api.letta.com', {});
    assert.deepEqual(access, { kind: 'no-key', origin: 'https://api.letta.com', host: 'api.letta.com' });
    assert.equal(access.kind === 'no-key' && accessFix(access).command, 'letta.setApiKey');
  });

  it('a stored key over plain http to another machine waits for consent; loopback and https do not', () => {
    const lan = decide('http://192.168.1.20:8283', { hasKey: true });
    assert.equal(lan.kind, 'consent-needed');
    assert.equal(lan.kind === 'consent-needed' && accessFix(lan).command, 'letta.allowInsecureKey');
    assert.match(lan.kind === 'consent-needed' ? accessFix(lan).title : '', /http:\/\/192\.168\.1\.20:8283/);
    assert.deepEqual(decide('http://192.168.1.20:8283', { hasKey: true, acceptedInsecure: true }), { kind: 'ready', origin: 'http://192.168.1.20:8283', host: '192.168.1.20:8283', withKey: true });
    assert.equal(decide('http://localhost:8283', { hasKey: true }).kind, 'ready');
    assert.equal(decide('https://letta.example.com', { hasKey: true }).kind, 'ready');
  });

  it('a server that needs no key is ready without one, and needs no consent (nothing secret is sent)', () => {
    assert.deepEqual(decide('http://192.168.1.20:8283', { noKeyNeeded: true }), { kind: 'ready', origin: 'http://192.168.1.20:8283', host: '192.168.1.20:8283', withKey: false });
  });
});

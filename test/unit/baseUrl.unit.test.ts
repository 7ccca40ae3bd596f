import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackHost, normalizeBaseUrl } from '../../src/core/baseUrl';

describe('normalizeBaseUrl', () => {
  it('accepts the server with or without a trailing slash or /v1', () => {
    for (const input of ['https://api.letta.com', 'https://api.letta.com/', 'https://api.letta.com/v1', ' https://api.letta.com/v1/ ']) {
      const base = normalizeBaseUrl(input);
      assert.ok(base.ok, input);
      assert.equal(base.apiBase, 'https://api.letta.com');
      assert.equal(base.origin, 'https://api.letta.com');
      assert.equal(base.isHttps, true);
    }
  });

  it('keeps a path prefix (a server behind a proxy)', () => {
    const base = normalizeBaseUrl('https://proxy.example/letta/v1');
    assert.ok(base.ok);
    assert.equal(base.apiBase, 'https://proxy.example/letta');
  });

  it('marks loopback hosts', () => {
    assert.ok(isLoopbackHost('localhost') && isLoopbackHost('127.0.0.5') && isLoopbackHost('[::1]'));
    assert.ok(!isLoopbackHost('example.com') && !isLoopbackHost('127.0.0.1.example.com') && !isLoopbackHost('10.0.0.1'));
    const base = normalizeBaseUrl('http://localhost:8283');
    assert.ok(base.ok && base.isLoopback && !base.isHttps);
  });

  it('refuses what is not a server URL, with a message', () => {
    for (const [input, why] of [
      ['', /Enter the server URL/],
      ['api.letta.com', /not a URL/],
      ['ftp://x.example', /https:\/\/ or http:\/\//],
      ['https://user:pw@x.example', /credentials/],
      ['https://x.example/?a=1', /query/],
      ['https://x.example/#a', /fragment/],
    ] as const) {
      const base = normalizeBaseUrl(input);
      assert.ok(!base.ok, input);
      assert.match(base.error, why);
    }
  });
});

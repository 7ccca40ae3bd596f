import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackHost, normalizeBaseUrl } from '../../src/core/baseUrl';

describe('normalizeBaseUrl', () => {
  it('accepts the server with or without a trailing slash or /v1', () => {
    for (const input of ['https://api.letta.com', 'https://api.letta.com/', 'https://api.letta.com/v1', ' https://api.letta.com/v1/ ', 'HTTPS://API.Letta.com/V1', 'https://api.letta.com:443//']) {
      const base = normalizeBaseUrl(input);
      assert.ok(base.ok, input);
      assert.deepEqual(base, { ok: true, apiBase: 'https://api.letta.com', origin: 'https://api.letta.com', host: 'api.letta.com', isLoopback: false, isHttps: true }, input);
    }
  });

  it('keeps the port in the origin and host, and a path prefix (a server behind a proxy) in the API base', () => {
    const local = normalizeBaseUrl('http://localhost:8283/v1/');
    assert.deepEqual(local, { ok: true, apiBase: 'http://localhost:8283', origin: 'http://localhost:8283', host: 'localhost:8283', isLoopback: true, isHttps: false });
    const proxied = normalizeBaseUrl('https://proxy.example/letta/v1');
    assert.ok(proxied.ok);
    assert.equal(proxied.apiBase, 'https://proxy.example/letta');
    assert.equal(proxied.origin, 'https://proxy.example');
  });

  it('marks loopback hosts, and only those', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.0.0.5', '127.255.255.254', '[::1]', '::1', '[::ffff:7f00:1]']) {
      assert.ok(isLoopbackHost(host), host);
    }
    for (const host of ['example.com', '127.0.0.1.example.com', 'localhost.example.com', 'evil.localhost', '10.0.0.1', '0.0.0.0', '128.0.0.1', '[::2]', '[::ffff:a00:1]']) {
      assert.ok(!isLoopbackHost(host), host);
    }
    for (const [input, loopback] of [
      ['http://127.1:8283', true],
      ['http://[::1]:8283', true],
      ['http://[::ffff:127.0.0.1]:8283', true],
      ['http://192.168.1.20:8283', false],
    ] as const) {
      const base = normalizeBaseUrl(input);
      assert.ok(base.ok, input);
      assert.equal(base.isLoopback, loopback, input);
    }
  });

  it('refuses what is not a server URL, with a message that says what to type', () => {
    for (const [input, why] of [
      ['', /^Enter the server URL, for example https:\/\/api\.letta\.com/],
      ['   ', /^Enter the server URL/],
      ['api.letta.com', /needs https:\/\/ or http:\/\/ in front, for example https:\/\/api\.letta\.com\./],
      ['localhost:8283', /for example http:\/\/localhost:8283\./],
      ['http://', /is not a valid URL/],
      ['https://exa mple.com', /spaces or control characters/],
      ['https://api.letta.com\t@evil.example', /spaces or control characters/],
      ['ftp://x.example', /must start with https:\/\/ or http:\/\/, not ftp:\/\//],
      ['file:///etc/passwd', /must start with https:\/\/ or http:\/\//],
      ['javascript://alert(1)', /must start with https:\/\/ or http:\/\//],
      ['https://user:pw@x.example', /credentials/],
      ['https://user@x.example', /credentials/],
      ['https://x.example/?a=1', /query/],
      ['https://x.example/?', /query/],
      ['https://x.example/#a', /fragment/],
      ['https://api.letta.com/v1/agents/', /without an API path, https:\/\/api\.letta\.com\./],
    ] as const) {
      const base = normalizeBaseUrl(input);
      assert.ok(!base.ok, input);
      assert.match(base.error, why, input);
      assert.ok(!base.error.includes('pw'), 'a password is never echoed');
    }
  });

  it('keeps messages short even for a very long input', () => {
    const base = normalizeBaseUrl(`gopher://${'x'.repeat(5000)}`);
    assert.ok(!base.ok);
    assert.ok(base.error.length < 200, base.error);
  });
});

/** The scrubber every server text passes through: known keys in any encoding, bearer tokens, named credentials. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createScrubber, REDACTED } from '../../src/core/secretScrub';

const KEY = 'sk-let/Zq9+xW3vT7pL2"mN8';

describe('createScrubber', () => {
  const scrub = createScrubber([KEY]);

  it('removes the key as it is, URL-encoded and JSON-escaped, wherever it stands', () => {
    for (const form of [KEY, encodeURIComponent(KEY), JSON.stringify(KEY).slice(1, -1), JSON.stringify(KEY).slice(1, -1).replace(/\//g, '\\/')]) {
      const out = scrub(`key=${form}; again:${form}!`);
      assert.ok(!out.includes(form), out);
      assert.ok(!out.includes('Zq9'), out);
    }
    assert.equal(scrub(`bad key ${KEY}.`), `bad key ${REDACTED}.`);
  });

  it('removes any Bearer token and base64 Basic credentials, even for a key it was not given', () => {
    assert.equal(scrub('Authorization: Bearer other-token-123'), `Authorization: Bearer ${REDACTED}`);
    assert.equal(scrub('header "bearer abc.def_ghi" refused'), `header "bearer ${REDACTED}" refused`);
    assert.equal(scrub('Basic dXNlcjpwYXNzd29yZA== rejected'), `Basic ${REDACTED} rejected`);
    assert.equal(scrub('basic auth required'), 'basic auth required', 'plain words stay');
  });

  it('removes X-BARE-PASSWORD style values and named credentials, keeping the names', () => {
    assert.equal(scrub('X-BARE-PASSWORD: password hunter2-long'), `X-BARE-PASSWORD: password ${REDACTED}`);
    assert.equal(scrub('{"api_key": "abc123", "other": 1}'), `{"api_key": "${REDACTED}", "other": 1}`);
    assert.equal(scrub('?token=abc&x=1'), `?token=${REDACTED}&x=1`, 'a query value, up to the next parameter');
    assert.equal(scrub('password=s3cr3t secret: shh'), `password=${REDACTED} secret: ${REDACTED}`);
  });

  it('leaves ordinary messages alone and does not redact twice', () => {
    const plain = 'Step with id step-0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a not found (HTTP 404). Set one with "Letta: Set API Key".';
    assert.equal(scrub(plain), plain);
    const once = scrub(`Authorization: Bearer ${KEY}`);
    assert.equal(once, `Authorization: Bearer ${REDACTED}`);
    assert.equal(scrub(once), once);
  });

  it('ignores empty and very short secrets, which would blank out ordinary text', () => {
    const none = createScrubber([undefined, '', 'ab']);
    assert.equal(none('a tab and a cab'), 'a tab and a cab');
  });
});

// The host and the client bundle (dist/client.js) each have their own copy of lettaApi.ts: an error
// thrown by one copy must still be recognised by the other, or every failure would show as "unexpected".
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLettaApiError, LettaApiError } from '../../src/core/lettaApi';

/** A second, separately evaluated copy of the module, as a second bundle has. */
function secondCopy(): typeof import('../../src/core/lettaApi') {
  const file = require.resolve('../../src/core/lettaApi');
  const cached = require.cache[file];
  delete require.cache[file];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as typeof import('../../src/core/lettaApi');
  } finally {
    require.cache[file] = cached;
  }
}

describe('LettaApiError across module copies', () => {
  it('is recognised by kind whichever copy threw it', () => {
    const other = secondCopy();
    assert.notEqual(other.LettaApiError, LettaApiError, 'the test needs two distinct classes');
    const theirs = new other.LettaApiError('unauthorized', 'The key was refused.', { status: 401 });
    assert.ok(theirs instanceof LettaApiError);
    assert.ok(isLettaApiError(theirs, 'unauthorized'));
    assert.ok(!isLettaApiError(theirs, 'timeout'));
    assert.ok(other.isLettaApiError(new LettaApiError('timeout', 'Too slow.'), 'timeout'));
  });

  it('is not claimed by other errors or look-alikes', () => {
    assert.ok(!isLettaApiError(new Error('boom')));
    assert.ok(!isLettaApiError({ name: 'LettaApiError', kind: 'unauthorized', message: 'x' }));
    assert.ok(!isLettaApiError(null));
    assert.ok(!isLettaApiError('LettaApiError'));
  });
});

/** The one way the client tests wait for a call to fail with a given `LettaApiError` kind. */
import assert from 'node:assert/strict';
import { LettaApiError, type LettaApiErrorKind } from '../../src/core/lettaApi';

export async function expectFailure(promise: Promise<unknown>, kind: LettaApiErrorKind): Promise<LettaApiError> {
  const error = await promise.then(
    () => assert.fail(`expected a ${kind} error`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof LettaApiError, String(error));
  assert.equal(error.kind, kind, error.message);
  return error;
}

// The fake server cannot drift from the real API: every kind of answer it gives is checked against
// the official OpenAPI spec. One documented exception: the real server's 422 body (see below).
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OpenApiValidator } from '../contract/openapiValidator';
import { startFakeLetta, type FakeLetta } from '../fakeLetta/server';

describe('fake Letta server against the OpenAPI spec', () => {
  let fake: FakeLetta;
  const spec = new OpenApiValidator();

  before(async () => {
    fake = await startFakeLetta({ stepsPerAgent: 30 });
  });
  after(() => fake.close());

  async function get(path: string, key = 'fake-key'): Promise<{ status: number; body: unknown }> {
    const res = await fetch(fake.url + path, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: await res.json() };
  }

  // Letta Cloud has moved past the 0.16.8 spec (whose ProviderTrace forbids extra fields): its traces
  // also carry these. The fake serves them, as Cloud does; everything else must match the spec.
  const NEWER_TRACE_FIELDS = ['latency_ms'];

  it('serves every fixture trace as a valid ProviderTrace', async () => {
    assert.ok(fake.traces.size >= 8);
    for (const id of fake.traces.keys()) {
      const { status, body } = await get(`/v1/steps/${id}/trace`);
      assert.equal(status, 200);
      const asIn0168 = Object.fromEntries(Object.entries(body as object).filter(([k]) => !NEWER_TRACE_FIELDS.includes(k)));
      assert.deepEqual(spec.validate('/v1/steps/{step_id}/trace', 200, asIn0168), [], id);
    }
  });

  it('serves null with 200 for an unknown step, as the real server does', async () => {
    const { status, body } = await get('/v1/steps/step-0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a/trace');
    assert.equal(status, 200);
    assert.equal(body, null);
    assert.deepEqual(spec.validate('/v1/steps/{step_id}/trace', 200, body), []);
  });

  it('serves steps and step lists as valid Steps', async () => {
    const list = await get(`/v1/steps/?agent_id=${fake.agents[0].id}&limit=10`);
    assert.equal((list.body as unknown[]).length, 10);
    assert.deepEqual(spec.validate('/v1/steps/', 200, list.body), []);
    const one = await get(`/v1/steps/${fake.steps[0].id}`);
    assert.deepEqual(spec.validate('/v1/steps/{step_id}', 200, one.body), []);
  });

  it('serves agent lists as valid AgentStates', async () => {
    const { body } = await get('/v1/agents/');
    assert.equal((body as unknown[]).length, 3);
    assert.deepEqual(spec.validate('/v1/agents/', 200, body), []);
  });

  it('a malformed step ID gets 422 with the real server body, which the spec does not declare', async () => {
    const { status, body } = await get('/v1/steps/step-nope/trace');
    assert.equal(status, 422);
    // The real server sends `detail` as one string (plus trace_id, examples); the spec declares a list.
    // The client accepts both; the fake follows the real server, so the spec must reject this body.
    assert.equal(typeof (body as { detail: unknown }).detail, 'string');
    assert.notDeepEqual(spec.validate('/v1/steps/{step_id}/trace', 422, body), []);
    assert.deepEqual(spec.validate('/v1/steps/{step_id}/trace', 422, { detail: [{ loc: ['path', 'step_id'], msg: 'bad', type: 'string_pattern_mismatch' }] }), []);
  });

  it('the validator catches drift: a trace without request_json or a step without id is refused', () => {
    const trace = { ...fake.traces.values().next().value } as Record<string, unknown>;
    delete trace.request_json;
    assert.notDeepEqual(spec.validate('/v1/steps/{step_id}/trace', 200, trace), []);
    assert.notDeepEqual(spec.validate('/v1/steps/', 200, [{ model: 'x' }]), []);
    assert.notDeepEqual(spec.validate('/v1/agents/', 200, [{ id: 'agent-1', name: 'no other fields' }]), []);
  });

  it('a wrong key gets 401 {"detail": "Unauthorized"}', async () => {
    const { status, body } = await get('/v1/steps/', 'wrong');
    assert.equal(status, 401);
    assert.deepEqual(body, { detail: 'Unauthorized' });
  });
});

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_PROJECT_FILE_BYTES, MAX_USER_FILE_BYTES, describeFileProblem, lettaCodeServerKey, parseProjectSettings, parseUserSettings } from '../../src/core/workspace/lettaCodeFiles';

const A1 = 'agent-11111111-1111-4111-8111-111111111111';
const A2 = 'agent-22222222-2222-4222-9222-222222222222';
const A3 = 'agent-33333333-3333-4333-a333-333333333333';
const CLOUD = 'api.letta.com';

describe('the project file (.letta/settings.local.json)', () => {
  it('names the legacy lastAgent', () => {
    assert.deepEqual(parseProjectSettings(JSON.stringify({ lastAgent: A1 }), CLOUD), { kind: 'agent', agentId: A1 });
  });

  it('prefers this server\'s session, then lastSession, then lastAgent, as Letta Code does', () => {
    const file = { lastAgent: A3, lastSession: { agentId: A2, conversationId: 'c' }, sessionsByServer: { [CLOUD]: { agentId: A1, conversationId: 'c' }, 'localhost:8283': { agentId: A3 } } };
    assert.equal((parseProjectSettings(JSON.stringify(file), CLOUD) as { agentId: string }).agentId, A1);
    assert.equal((parseProjectSettings(JSON.stringify(file), 'localhost:8283') as { agentId: string }).agentId, A3);
    assert.equal((parseProjectSettings(JSON.stringify(file), 'other:1') as { agentId: string }).agentId, A2);
    assert.equal((parseProjectSettings(JSON.stringify({ lastAgent: A3, lastSession: { agentId: 'nope' } }), CLOUD) as { agentId: string }).agentId, A3);
  });

  it('keeps other keys out and never returns a URL or key planted in the file', () => {
    const planted = { lastAgent: A1, baseUrl: 'https://evil.example', env: { LETTA_BASE_URL: 'https://evil.example', LETTA_API_KEY: 'sk-planted' }, permissions: { allow: ['Bash(*)'] }, hooks: {} };
    const result = parseProjectSettings(JSON.stringify(planted), CLOUD);
    assert.deepEqual(result, { kind: 'agent', agentId: A1 });
    assert.doesNotMatch(JSON.stringify(result), /evil|planted/);
  });

  it('says none when no agent (or no server agent) is named', () => {
    assert.deepEqual(parseProjectSettings('{}', CLOUD), { kind: 'none' });
    assert.deepEqual(parseProjectSettings(JSON.stringify({ lastAgent: null, permissions: {} }), CLOUD), { kind: 'none' });
    // Letta Code's local backend agents live on no server.
    assert.deepEqual(parseProjectSettings(JSON.stringify({ lastAgent: 'agent-local-abc' }), CLOUD), { kind: 'none' });
    assert.deepEqual(parseProjectSettings(JSON.stringify({ lastAgent: A1.toUpperCase() }), CLOUD), { kind: 'none' });
    assert.deepEqual(parseProjectSettings(JSON.stringify({ lastAgent: `${A1} ` }), CLOUD), { kind: 'none' });
    assert.deepEqual(parseProjectSettings(JSON.stringify({ sessionsByServer: { ['__proto__']: { agentId: A1 } } }), '__proto__'), { kind: 'agent', agentId: A1 });
    assert.deepEqual(parseProjectSettings(JSON.stringify({ sessionsByServer: {} }), 'constructor'), { kind: 'none' });
  });

  it('reports a malformed, non-object or huge file as a problem', () => {
    assert.deepEqual(parseProjectSettings('{"lastAgent": ', CLOUD), { kind: 'problem', problem: 'malformed' });
    assert.deepEqual(parseProjectSettings('', CLOUD), { kind: 'problem', problem: 'malformed' });
    assert.deepEqual(parseProjectSettings(`["${A1}"]`, CLOUD), { kind: 'problem', problem: 'not-an-object' });
    assert.deepEqual(parseProjectSettings('null', CLOUD), { kind: 'problem', problem: 'not-an-object' });
    const huge = JSON.stringify({ lastAgent: A1, pad: 'x'.repeat(MAX_PROJECT_FILE_BYTES) });
    assert.deepEqual(parseProjectSettings(huge, CLOUD), { kind: 'problem', problem: 'too-large' });
    assert.deepEqual(parseProjectSettings(`\uFEFF{"lastAgent":"${A1}"}`, CLOUD), { kind: 'agent', agentId: A1 });
  });

  it('uses Letta Code\'s server keys', () => {
    assert.equal(lettaCodeServerKey('https://api.letta.com'), 'api.letta.com');
    assert.equal(lettaCodeServerKey('http://localhost:8283/'), 'localhost:8283');
  });
});

describe('the user file (~/.letta/settings.json)', () => {
  it('reads the key and server of env, nothing else', () => {
    const file = { lastAgent: A1, env: { LETTA_API_KEY: 'sk-let-abc', LETTA_BASE_URL: ' http://localhost:8283 ', OTHER: 'x' }, permissions: {} };
    assert.deepEqual(parseUserSettings(JSON.stringify(file)), { kind: 'ok', credentials: { apiKey: 'sk-let-abc', baseUrl: 'http://localhost:8283' } });
  });

  it('reads an expiring sign-in token as such', () => {
    assert.deepEqual(parseUserSettings(JSON.stringify({ env: { LETTA_API_KEY: 'tok' }, tokenExpiresAt: 1800000000000, refreshToken: 'r' })), {
      kind: 'ok',
      credentials: { apiKey: 'tok', expiresAt: 1800000000000 },
    });
  });

  it('has no key when env has none (Letta Code keeps it in the keychain when it can), or a bad one', () => {
    assert.deepEqual(parseUserSettings('{}'), { kind: 'ok', credentials: {} });
    assert.deepEqual(parseUserSettings(JSON.stringify({ env: 'LETTA_API_KEY=x' })), { kind: 'ok', credentials: {} });
    for (const bad of ['', 'two words', 'ключ', 42, null, 'x'.repeat(5000)]) {
      assert.deepEqual(parseUserSettings(JSON.stringify({ env: { LETTA_API_KEY: bad } })), { kind: 'ok', credentials: {} }, String(bad));
    }
  });

  it('reports a malformed, non-object or huge file as a problem, without its content', () => {
    assert.deepEqual(parseUserSettings('{"env": {"LETTA_API_KEY": "sk-secret"'), { kind: 'problem', problem: 'malformed' });
    assert.deepEqual(parseUserSettings('"sk-secret"'), { kind: 'problem', problem: 'not-an-object' });
    assert.deepEqual(parseUserSettings(JSON.stringify({ env: { LETTA_API_KEY: 'k' }, pad: 'x'.repeat(MAX_USER_FILE_BYTES) })), { kind: 'problem', problem: 'too-large' });
    for (const problem of ['malformed', 'too-large', 'not-an-object'] as const) {
      const message = describeFileProblem('~/.letta/settings.json', problem);
      assert.match(message, /~\/\.letta\/settings\.json/);
      assert.doesNotMatch(message, /sk-secret/);
    }
  });
});

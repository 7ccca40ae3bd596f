/** "Copy as cURL": the full base URL (a path prefix too), X-Project, shell quoting, never a key. */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { curlCommand } from '../../src/core/curlCommand';

const STEP = 'step-6f10b27d-1536-46e7-9b1f-ec8ea330f6c0';

/** The words a POSIX shell makes of `command` (with LETTA_API_KEY set), via `printf` instead of curl. */
function shellWords(command: string): string[] {
  const script = `${command.replace(/^curl /, 'printf "%s\\n" ')}`;
  return execFileSync('sh', ['-c', script], { env: { LETTA_API_KEY: 'the-key', PATH: process.env.PATH }, encoding: 'utf8' }).split('\n').slice(0, -1);
}

describe('curlCommand', () => {
  it('names the key variable, never a key, and normalises the base URL', () => {
    for (const baseUrl of ['https://api.letta.com', 'https://api.letta.com/', 'https://api.letta.com/v1', 'https://api.letta.com/v1/']) {
      assert.equal(curlCommand({ baseUrl, stepId: STEP }), `curl -H "Authorization: Bearer $LETTA_API_KEY" https://api.letta.com/v1/steps/${STEP}/trace`);
    }
  });

  it('keeps a path prefix: a server behind a reverse proxy at /letta', () => {
    assert.equal(curlCommand({ baseUrl: 'https://tools.example.com/letta/', stepId: STEP }), `curl -H "Authorization: Bearer $LETTA_API_KEY" https://tools.example.com/letta/v1/steps/${STEP}/trace`);
    assert.deepEqual(shellWords(curlCommand({ baseUrl: 'http://localhost:8283/a/b/v1', stepId: STEP })), ['-H', 'Authorization: Bearer the-key', `http://localhost:8283/a/b/v1/steps/${STEP}/trace`]);
  });

  it('sends the project as X-Project, as the extension does', () => {
    assert.equal(
      curlCommand({ baseUrl: 'https://api.letta.com', stepId: STEP, project: 'my-project' }),
      `curl -H "Authorization: Bearer $LETTA_API_KEY" -H "X-Project: my-project" https://api.letta.com/v1/steps/${STEP}/trace`,
    );
  });

  it('quotes what the shell would expand, so the command fetches exactly that URL and project', () => {
    const project = `it's $HOME \`id\` "x"`;
    const baseUrl = "https://example.com/it's&$x";
    const words = shellWords(curlCommand({ baseUrl, stepId: STEP, project }));
    assert.deepEqual(words, ['-H', 'Authorization: Bearer the-key', '-H', `X-Project: ${project}`, `${new URL(baseUrl).origin}${new URL(baseUrl).pathname}/v1/steps/${STEP}/trace`]);
  });
});

// The core's words reach the user through the translation bundle: in this bundle's copy of
// @vscode/l10n once it is configured, and in the lazily loaded dist/client.js, which has its own
// copy and is configured by `localized` exactly as the host does when it loads the client.
// The bundle is a pseudo-locale made from l10n/bundle.l10n.json: every message wrapped in ‹…›.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { configureLocalization, localized, type L10nContents, type Localizable } from '../../src/core/localization';
import { normalizeBaseUrl } from '../../src/core/baseUrl';
import { STEP_IDS } from '../../src/core/lettaIds';
import { parseTraceFile } from '../../src/core/traceFile';
import { normalizeTrace } from '../../src/core/conversation/normalize';
import { createLettaClient } from '../../src/core/lettaClient';
import { nodeFetch } from '../../src/core/httpTransport';
import { LettaApiError } from '../../src/core/lettaApi';
import { startFakeLetta, type FakeLetta } from '../fakeLetta/server';

const ROOT = path.resolve(__dirname, '../../..');

/** Every message of the English bundle, wrapped: a translated text is told from the English at a glance. */
function pseudoBundle(): L10nContents {
  const english = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.json'), 'utf8')) as Record<string, string | { message: string }>;
  return Object.fromEntries(Object.entries(english).map(([key, value]) => [key, `‹${typeof value === 'string' ? value : value.message}›`]));
}

async function rejectedKeyMessage(create: typeof createLettaClient, fake: FakeLetta): Promise<string> {
  const client = create({ baseUrl: fake.url, apiKey: 'sk-wrong-key', fetch: nodeFetch, timeoutMs: 20_000 });
  const error = await client.listAgents({ limit: 1 }).then(
    () => assert.fail('a wrong key must be refused'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof Error && (error as LettaApiError).kind === 'unauthorized', String(error));
  return error.message;
}

describe('translated core strings', () => {
  let fake: FakeLetta;
  before(async () => {
    fake = await startFakeLetta({ apiKey: 'sk-let-right-key-for-the-l10n-test', agents: 1, stepsPerAgent: 1 });
  });
  after(async () => {
    configureLocalization({});
    await fake.close();
  });

  it('validation, file, normaliser and API client messages come from the bundle once it is configured', async () => {
    const english = {
      url: normalizeBaseUrl('').ok === false ? (normalizeBaseUrl('') as { error: string }).error : '',
      id: STEP_IDS.describeProblem('step-XYZ') ?? '',
      file: (parseTraceFile('[]') as { error: string }).error,
      notes: normalizeTrace({ request_json: {}, response_json: {} }).notes,
      client: await rejectedKeyMessage(createLettaClient, fake),
    };
    assert.match(english.url, /^Enter the server URL, for example https:\/\/api\.letta\.com or http:\/\/localhost:8283\.$/);
    assert.match(english.client, /rejected the API key \(HTTP 401/);
    assert.ok(english.notes.length > 0);

    configureLocalization(pseudoBundle());
    try {
      assert.equal((normalizeBaseUrl('') as { error: string }).error, `‹${english.url}›`);
      assert.equal(STEP_IDS.describeProblem('step-XYZ'), `‹${english.id}›`);
      assert.equal((parseTraceFile('[]') as { error: string }).error, `‹${english.file}›`);
      assert.deepEqual(normalizeTrace({ request_json: {}, response_json: {} }).notes, english.notes.map((n) => `‹${n}›`));
      // The outer sentence is translated; the server's own words inside it ("Unauthorized") are not.
      assert.equal(await rejectedKeyMessage(createLettaClient, fake), `‹${english.client}›`);
    } finally {
      configureLocalization({});
    }
  });

  it('dist/client.js, loaded lazily with its own @vscode/l10n, is translated once `localized` hands it the bundle', async () => {
    // Built here from the same options as `node esbuild.js`, so the test needs no earlier build.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { bundles } = require(path.join(ROOT, 'esbuild.js')) as { bundles: Record<string, esbuild.BuildOptions> };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'l10n-client-'));
    try {
      const outfile = path.join(dir, 'client.js');
      await esbuild.build({ ...bundles['client.js'], absWorkingDir: ROOT, outfile, sourcemap: false, metafile: false, plugins: [], logLevel: 'silent' });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const clientModule = require(outfile) as Localizable & { createLettaClient: typeof createLettaClient };
      const english = await rejectedKeyMessage(createLettaClient, fake);

      configureLocalization(pseudoBundle());
      // Its own copy: configuring this one does not reach it...
      assert.equal(await rejectedKeyMessage(clientModule.createLettaClient, fake), english);
      // ...handing the contents over does, as the host does on loading it.
      const { createLettaClient: lazyCreate } = localized(clientModule);
      assert.equal(await rejectedKeyMessage(lazyCreate, fake), `‹${english}›`);
    } finally {
      configureLocalization({});
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

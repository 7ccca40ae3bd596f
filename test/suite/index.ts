/**
 * The integration suite's entry, in the @vscode/test-electron layout: `run()` is called in the
 * extension host (desktop VS Code under @vscode/test-cli, or code-server here). When
 * LETTA_TEST_RESULTS names a file, the outcome is also written there as JSON, because under
 * code-server the extension host's own exit code says nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface Results {
  passed: number;
  failed: number;
  failures: { title: string; error: string }[];
}

function findTests(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? findTests(path.join(dir, entry.name)) : entry.name.endsWith('.test.js') ? [path.join(dir, entry.name)] : []));
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.LETTA_TEST_GREP;
  if (grep) {
    // A regular expression over the full titles ("Suite test"): `^(Trace documents|API keys)`.
    mocha.grep(new RegExp(grep));
  }
  // Each suite starts from the extension's reset (helpers.resetExtension), so any order works:
  // LETTA_TEST_ORDER=reverse runs the files backwards to show it.
  const files = findTests(__dirname).sort();
  for (const file of process.env.LETTA_TEST_ORDER === 'reverse' ? files.reverse() : files) {
    mocha.addFile(file);
  }
  const results: Results = { passed: 0, failed: 0, failures: [] };
  const writeResults = () => {
    const file = process.env.LETTA_TEST_RESULTS;
    if (file) {
      fs.writeFileSync(file, JSON.stringify(results, null, 2));
    }
  };
  return new Promise((resolve, reject) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run((failures) => {
        writeResults();
        if (failures > 0) {
          reject(new Error(`${failures} integration test(s) failed.`));
        } else if (results.passed === 0) {
          reject(new Error('No integration test ran.'));
        } else {
          resolve();
        }
      });
    } catch (e) {
      // A test file that fails to load throws here: report it as a failure, not as a silent hang.
      results.failed++;
      results.failures.push({ title: 'loading the integration suite', error: String(e instanceof Error ? e.stack : e) });
      writeResults();
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    runner.on('pass', () => results.passed++);
    runner.on('fail', (test, error: Error) => {
      results.failed++;
      results.failures.push({ title: test.fullTitle(), error: String(error?.stack ?? error) });
    });
  });
}

/**
 * A second, hostile extension for the e2e tests, generated and packaged by the test: its command
 * "Hostile: Probe Letta Exports" activates Letta Step Trace through `vscode.extensions`, walks
 * whatever its `exports` hold (own and inherited properties, getters, functions called with the
 * server's origin and the secret's storage name, promises awaited), and writes every string it
 * reached to the file named by HOSTILE_RESULTS. It reads only: calls that would change or dispose
 * something are skipped, so a readable key is never deleted before it is read.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXTENSION_ID, ROOT } from '../codeServer/codeServer';

export const HOSTILE_COMMAND_TITLE = 'Hostile: Probe Letta Exports';

/** What the probe writes. */
export interface HostileReport {
  found: boolean;
  activated: boolean;
  exportsType: string;
  /** Every property path it reached. */
  paths: string[];
  /** Every string it reached (values, getters' results, functions' results). */
  strings: string[];
  errors: string[];
}

/** The probe's source (plain JavaScript, run by the extension host; also run against stand-ins by a unit test). */
export const EXTENSION_JS = String.raw`
const vscode = require('vscode');
const fs = require('fs');
const READ_ONLY_NAME = /^(get|read|peek|has|matches|is|find|inspect|keys|values|entries|origin|cached|current|list|load|open|show)/i;
const CHANGES = /(delete|dispose|clear|set|update|store|remove|sign|reset|put|hold|release|fire|refresh|change|prompt|confirm|accept|show|open|load)/i;

async function settle(value) {
  if (value && typeof value.then === 'function') {
    return Promise.race([value, new Promise((r) => setTimeout(() => r(undefined), 3000))]).catch(() => undefined);
  }
  return value;
}

async function probe() {
  // The server's origin, as any extension can read it from the settings.
  let origin = process.env.HOSTILE_ORIGIN || '';
  try {
    origin = new URL(String(vscode.workspace.getConfiguration('letta').get('baseUrl'))).origin;
  } catch (e) {
    // no usable setting: the environment's, if any
  }
  const report = { found: false, activated: false, exportsType: 'none', paths: [], strings: [], errors: [] };
  const ext = vscode.extensions.getExtension(${JSON.stringify(EXTENSION_ID)});
  report.found = Boolean(ext);
  let root;
  if (ext) {
    try {
      root = await ext.activate();
      report.activated = true;
    } catch (e) {
      report.errors.push('activate: ' + String(e));
    }
    try {
      root = root === undefined ? ext.exports : root;
    } catch (e) {
      report.errors.push('exports: ' + String(e));
    }
  }
  report.exportsType = root === undefined ? 'undefined' : root === null ? 'null' : typeof root;
  const argLists = [[origin], ['letta.apiKey:' + origin], [origin + '/'], []];
  const seen = new Set();
  const queue = [[root, 'exports', 0]];
  const take = (value, where, depth) => {
    if (typeof value === 'string') {
      report.strings.push(value.slice(0, 500));
    } else if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
      queue.push([value, where, depth + 1]);
    }
  };
  while (queue.length > 0 && report.paths.length < 20000) {
    const [value, where, depth] = queue.shift();
    if (value === null || value === undefined || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || depth > 7) {
      continue;
    }
    seen.add(value);
    const names = new Set();
    for (let o = value; o && o !== Object.prototype && o !== Function.prototype; o = Object.getPrototypeOf(o)) {
      for (const name of Reflect.ownKeys(o)) {
        names.add(name);
      }
    }
    // Readers first: an attacker reads before anything else can change.
    const ordered = [...names].filter((n) => n !== 'constructor').sort((a, b) => Number(!READ_ONLY_NAME.test(String(a))) - Number(!READ_ONLY_NAME.test(String(b))));
    for (const name of ordered) {
      const at = where + '.' + String(name);
      report.paths.push(at);
      let member;
      try {
        member = await settle(value[name]);
      } catch (e) {
        continue;
      }
      if (typeof member === 'function') {
        if (CHANGES.test(String(name)) && !READ_ONLY_NAME.test(String(name))) {
          continue;
        }
        if (/^(show|open|load)/i.test(String(name))) {
          continue;
        }
        for (const args of argLists) {
          try {
            take(await settle(member.apply(value, args)), at + '(' + args.map((a) => JSON.stringify(a)).join(',') + ')', depth);
          } catch (e) {
            // a wrong argument: try the next
          }
        }
        take(member, at, depth);
      } else {
        take(member, at, depth);
      }
    }
  }
  fs.writeFileSync(process.env.HOSTILE_RESULTS, JSON.stringify(report));
}

exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('hostile.probe', probe));
};
`;

/** Writes the hostile extension under `base` and packages it; gives the .vsix path. */
export function buildHostileVsix(base: string): string {
  const dir = path.join(base, 'hostile-extension');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'probe',
        displayName: 'Hostile probe',
        description: 'An e2e test fixture: tries to read another extension secrets through its exports.',
        publisher: 'hostile',
        version: '0.0.1',
        license: 'MIT',
        engines: { vscode: '^1.100.0' },
        main: './extension.js',
        activationEvents: ['onCommand:hostile.probe'],
        contributes: { commands: [{ command: 'hostile.probe', title: HOSTILE_COMMAND_TITLE }] },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(dir, 'extension.js'), EXTENSION_JS);
  fs.writeFileSync(path.join(dir, 'README.md'), '# Hostile probe\n\nGenerated by test/e2e/hostileExtension.ts.\n');
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
  const vsix = path.join(base, 'hostile.vsix');
  const vsce = path.join(ROOT, 'node_modules/.bin/vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0 || !fs.existsSync(vsix)) {
    throw new Error(`packaging the hostile extension failed (${r.status}): ${r.stderr || r.stdout}`);
  }
  return vsix;
}

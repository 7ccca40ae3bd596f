// The Chromium that the webview tests (scripts/test.mjs) and the render benchmark (scripts/bench.mjs)
// drive: $CHROMIUM_PATH, or Debian's, installed on first need by install-debian-packages.sh (the
// script install-code-server.sh uses for the same package), so a fresh machine measures every row.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const chromiumPath = () => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Makes sure Chromium is there: `{ ok: true, path }` at once when it is, else after installing
 * Debian's `chromium`; `{ ok: false, why }` when that fails. `log` receives the installer's output.
 */
export function ensureChromium(log = (text) => process.stderr.write(text)) {
  const file = chromiumPath();
  if (fs.existsSync(file)) return { ok: true, path: file };
  if (process.env.CHROMIUM_PATH) return { ok: false, why: `CHROMIUM_PATH (${file}) does not exist` };
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/install-debian-packages.sh'), 'chromium'], { cwd: ROOT, encoding: 'utf8' });
  log(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  if (r.status === 0 && fs.existsSync(file)) return { ok: true, path: file };
  const last = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').pop() || r.error?.message || `exit ${r.status}`;
  return { ok: false, why: `chromium is not installed and installing it failed (${last.slice(0, 160)})` };
}

/** `Chromium 1xx…` or `not found`, for reports. */
export function chromiumVersion() {
  return spawnSync(chromiumPath(), ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0]?.trim() || 'not found';
}

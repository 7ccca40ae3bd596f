/** Starts `fetchServer.js` in a child process and reads its ready line. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './paths';

export interface BenchServer {
  url: string;
  apiKey: string;
  steps: Record<string, string>;
  serializeMs: Record<string, number>;
  bytes: Record<string, number>;
  stop(): void;
}

export function startBenchServer(sizes: number[]): Promise<BenchServer> {
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, '..', 'fetchServer.js'), ...sizes.map(String)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('the fake server did not start within 120 s'));
    }, 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the fake server exited (${code}): ${stderr.trim().split('\n').slice(-2).join(' | ')}`));
    });
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        const info = JSON.parse(out.slice(0, nl)) as Omit<BenchServer, 'stop'>;
        resolve({
          ...info,
          stop: () => {
            child.stdin?.end();
            setTimeout(() => child.kill(), 2000).unref();
          },
        });
      }
    });
  });
}

/** The fake Letta server's CLI (out/test/fakeLetta/cli.js) in its own process, so its work does not share the client's event loop. */
export interface FakeLettaProcess {
  url: string;
  runs: { long: string } | null;
  stop(): void;
}

export function startFakeLettaProcess(key: string): Promise<FakeLettaProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'out', 'test', 'fakeLetta', 'cli.js'), '--port', '0', '--key', key, '--agents', '3', '--steps', '12'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`the fake server exited (${code})`)));
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        const info = JSON.parse(out.slice(0, nl)) as Omit<FakeLettaProcess, 'stop'>;
        resolve({ ...info, stop: () => child.kill('SIGTERM') });
      }
    });
  });
}

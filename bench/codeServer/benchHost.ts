/**
 * The extension-host half of the code-server first-screen benchmark (bench/firstScreenCode.ts),
 * loaded as the `extensionTestsPath` so the extension runs in `ExtensionMode.Test` and hands out
 * its test API. It never resolves `run()`: it stays up, answering the benchmark over a local HTTP
 * port written to `BENCH_CONTROL_FILE` (written again after every window reload):
 *
 *   GET  /state       what the last trace panel was posted before its first paint, and the viewer's
 *                     debug log lines (its phase timings)
 *   POST /emptyPanel  opens an empty webview panel (the floor: panel creation → its first paint)
 *   POST /closeAll    closes every editor, and waits until they are gone
 *
 * Bench code only: it is never packaged and never loaded outside a benchmark run.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { LettaTestApi } from '../../src/host/testApi';
import type { WebviewMessage } from '../../src/shared/protocol';
import { probePanels } from '../../test/suite/panelProbe';
import { EMPTY_PANEL_TEXT, type HostState, type PanelRecord } from './benchProtocol';

const EXTENSION_ID = 'letta-step-trace.letta-step-trace';

export async function run(): Promise<void> {
  const controlFile = process.env.BENCH_CONTROL_FILE;
  if (!controlFile) {
    throw new Error('BENCH_CONTROL_FILE is not set: this module is loaded by bench/firstScreenCode.ts only');
  }
  const ext = vscode.extensions.getExtension<LettaTestApi>(EXTENSION_ID);
  if (!ext) {
    throw new Error(`${EXTENSION_ID} is not loaded`);
  }
  const api = await ext.activate();
  const baseUrl = String(vscode.workspace.getConfiguration('letta').get('baseUrl'));
  await api.keys.set(new URL(baseUrl).origin, String(process.env.BENCH_API_KEY));

  // The viewer's phase timings go to its log at debug level: kept here whatever the channel's level
  // (which is reported as debug, so the viewer times its phases).
  try {
    Object.defineProperty(api.log, 'logLevel', { get: () => vscode.LogLevel.Debug, configurable: true });
  } catch {
    // A channel whose level cannot be overridden: the viewer's summary line is missing from the notes.
  }
  const debugLines: string[] = [];
  for (const level of ['trace', 'debug'] as const) {
    const write = api.log[level].bind(api.log);
    api.log[level] = (message: string, ...args: unknown[]) => {
      debugLines.push(`${Date.now()} ${message}`);
      debugLines.splice(0, Math.max(0, debugLines.length - 200));
      write(message, ...args);
    };
  }

  const probe = probePanels();
  /** Per probed panel: when it was seen and how many messages it had been posted when it painted. */
  const seen = new Map<(typeof probe.panels)[number], { createdAt: number; paintedAt?: number; postedAtPaint?: number }>();
  const watchNew = () => {
    for (const p of probe.panels.filter((q) => !seen.has(q))) {
      const entry: { createdAt: number; paintedAt?: number; postedAtPaint?: number } = { createdAt: Date.now() };
      seen.set(p, entry);
      p.panel.webview.onDidReceiveMessage((m: WebviewMessage) => {
        if (m?.type === 'painted' && entry.paintedAt === undefined) {
          entry.paintedAt = Date.now();
          entry.postedAtPaint = p.posted.length;
        }
      });
    }
  };
  // Watched the moment the probe records a panel, before its page can paint.
  const push = probe.panels.push.bind(probe.panels);
  probe.panels.push = (...added) => {
    const n = push(...added);
    watchNew();
    return n;
  };
  const records = (): PanelRecord[] =>
    [...seen].map(([p, e]) => {
      const before = p.posted.slice(0, e.postedAtPaint ?? p.posted.length);
      return {
        viewType: p.viewType,
        createdAt: e.createdAt,
        paintedAt: e.paintedAt,
        bytesBeforePaint: before.reduce((n, m) => n + Buffer.byteLength(JSON.stringify(m)), 0),
        messagesBeforePaint: before.length,
      };
    });

  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      if (req.method === 'GET' && req.url === '/state') {
        reply(200, { records: records(), debugLines } satisfies HostState);
      } else if (req.method === 'POST' && req.url === '/emptyPanel') {
        emptyPanel();
        reply(200, { ok: true });
      } else if (req.method === 'POST' && req.url === '/closeAll') {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        seen.clear();
        probe.panels.length = 0;
        debugLines.length = 0;
        reply(200, { ok: true });
      } else {
        reply(404, { error: `no ${req.method} ${req.url}` });
      }
    })().catch((e: unknown) => reply(500, { error: String(e) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // Written whole, then renamed: the benchmark polls the file.
  fs.writeFileSync(`${controlFile}.tmp`, JSON.stringify({ port, pid: process.pid, startedAt: Date.now() }));
  fs.renameSync(`${controlFile}.tmp`, controlFile);
  // Never resolves: the benchmark stops code-server when it is done.
  await new Promise<never>(() => undefined);
}

/** A webview panel with one line of text and a strict CSP: what any panel costs before its content. */
function emptyPanel(): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel('letta.benchEmpty', 'Empty', vscode.ViewColumn.Active, { enableScripts: true });
  const nonce = Math.random().toString(36).slice(2);
  panel.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';">
</head><body><p>${EMPTY_PANEL_TEXT}</p>
<script nonce="${nonce}">const vscode = acquireVsCodeApi(); requestAnimationFrame(() => setTimeout(() => vscode.postMessage({ type: 'painted', stepId: '', ms: 0 })));</script>
</body></html>`;
  return panel;
}

/** Typed, validated reads of the `letta.*` settings, and an event for the ones that change the client. */
import * as vscode from 'vscode';
import { LETTA_CLOUD_URL } from '../core/baseUrl';
import type { TraceView } from './contracts';

export interface Settings {
  /** As the user wrote it; `normalizeBaseUrl` checks it. From user settings or the default only. */
  baseUrl: string;
  /** Letta Cloud project slug, or '' for the default project. */
  project: string;
  timeoutMs: number;
  maxBodyBytes: number;
  openTraceIn: TraceView;
}

/** The settings that decide where requests go and what they carry: a change rebuilds the client. */
export const CLIENT_SETTINGS = ['letta.baseUrl', 'letta.project', 'letta.requestTimeoutSeconds', 'letta.maxTraceSizeMB'] as const;
/** The settings that decide which server's data is shown: a change drops what was loaded. */
export const SERVER_SETTINGS = ['letta.baseUrl', 'letta.project'] as const;

/**
 * The server URL from user settings or the default only. `letta.baseUrl` is application-scoped,
 * but `inspect` makes sure a workspace or folder value (from a repository's .vscode/settings.json)
 * is never used: it could send the user's key to another host.
 */
export function readBaseUrl(): string {
  const inspected = vscode.workspace.getConfiguration('letta').inspect<unknown>('baseUrl');
  return nonEmptyString(inspected?.globalValue) ?? nonEmptyString(inspected?.defaultValue) ?? LETTA_CLOUD_URL;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('letta');
  // Application-scoped like the URL: a workspace must not move the key to another project either.
  const project = nonEmptyString(config.inspect<unknown>('project')?.globalValue) ?? '';
  const view = config.get<unknown>('openTraceIn');
  return {
    baseUrl: readBaseUrl(),
    project: project.trim(),
    timeoutMs: readNumber(config, 'requestTimeoutSeconds', 30, 1, 600) * 1000,
    maxBodyBytes: Math.round(readNumber(config, 'maxTraceSizeMB', 100, 1, 1024) * 1024 * 1024),
    openTraceIn: view === 'documents' || view === 'both' || view === 'webview' ? view : 'webview',
  };
}

/** Fires when one of `sections` changed (e.g. `CLIENT_SETTINGS`). */
export function onDidChangeSettings(sections: readonly string[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (sections.some((s) => e.affectsConfiguration(s))) {
      listener();
    }
  });
}

/** A number setting within its bounds; anything else (a string, NaN) falls back to the default. */
function readNumber(config: vscode.WorkspaceConfiguration, key: string, fallback: number, min: number, max: number): number {
  const value = config.get<unknown>(key);
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

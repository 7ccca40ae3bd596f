/** Typed reads of the `letta.*` settings. */
import * as vscode from 'vscode';
import { LETTA_CLOUD_URL } from '../core/baseUrl';
import type { TraceView } from './contracts';

export interface Settings {
  baseUrl: string;
  project: string;
  timeoutMs: number;
  maxBodyBytes: number;
  openTraceIn: TraceView;
}

/**
 * The server URL from user settings or the default only. `letta.baseUrl` is application-scoped,
 * but `inspect` makes sure a workspace or folder value (from a repository's .vscode/settings.json)
 * is never used: it could send the user's key to another host.
 */
export function readBaseUrl(): string {
  const inspected = vscode.workspace.getConfiguration('letta').inspect<string>('baseUrl');
  const value = inspected?.globalValue ?? inspected?.defaultValue ?? LETTA_CLOUD_URL;
  return typeof value === 'string' && value.trim() !== '' ? value : LETTA_CLOUD_URL;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('letta');
  const project = config.inspect<string>('project')?.globalValue ?? '';
  const view = config.get<string>('openTraceIn', 'webview');
  return {
    baseUrl: readBaseUrl(),
    project: typeof project === 'string' ? project.trim() : '',
    timeoutMs: clamp(config.get<number>('requestTimeoutSeconds', 30), 1, 600) * 1000,
    maxBodyBytes: clamp(config.get<number>('maxTraceSizeMB', 100), 1, 1024) * 1024 * 1024,
    openTraceIn: view === 'documents' || view === 'both' ? view : 'webview',
  };
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}

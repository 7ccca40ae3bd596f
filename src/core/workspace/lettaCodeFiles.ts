/**
 * Reading Letta Code's two settings files, as data. Pure: the host reads the bytes (capped) and
 * hands over the text; nothing here logs, and nothing but the fields named below ever leaves.
 *
 * What Letta Code writes, as read in its source (letta-ai/letta-code, src/settings-manager.ts at
 * commit 1f4d3e3ea3537763f36b633e52b289bdb0667c5b, 2026-08-22; interfaces `LocalProjectSettings`
 * and `Settings`, `setLocalLastSession`, `getLocalLastAgentId`, `getApiServerKey`):
 *
 * - The project file `<folder>/.letta/settings.local.json` (gitignored, personal). Current versions
 *   write `sessionsByServer: { "<server key>": { agentId, conversationId } }`, where the server key
 *   is the server URL without its scheme and trailing slash (`api.letta.com`, `localhost:8283`),
 *   and, for older versions, `lastSession: { agentId, conversationId }` and `lastAgent: "agent-…"`.
 *   Letta Code reads them in that order. Agents of its local backend are `agent-local-…` and live on
 *   no server: they are not Letta IDs and are skipped.
 * - The user file `~/.letta/settings.json`: an `env` map that may hold `LETTA_API_KEY` (only where
 *   no system keychain is available: Letta Code moves the key into the keychain when it can) and
 *   `LETTA_BASE_URL`; `tokenExpiresAt` (ms) when the key is a sign-in (OAuth) access token.
 * - Headless mode (`letta -p … --output-format json`, src/headless.ts) prints `agent_id` (and
 *   `conversation_id`) in its result object; `stream-json` also in its `init` event, with `run_ids`.
 */
import * as l10n from '@vscode/l10n';
import { AGENT_IDS } from '../lettaIds';

export const PROJECT_FILE = '.letta/settings.local.json';
/** A project file is a few hundred bytes; anything past this is not one Letta Code wrote. */
export const MAX_PROJECT_FILE_BYTES = 256 * 1024;
/** The user file holds settings, hooks and permissions: larger, still small. */
export const MAX_USER_FILE_BYTES = 1024 * 1024;

export type FileProblem = 'too-large' | 'malformed' | 'not-an-object';

export type ProjectAgent =
  | { kind: 'agent'; agentId: string }
  /** The file is fine but names no agent (of a server) for this server. */
  | { kind: 'none' }
  | { kind: 'problem'; problem: FileProblem };

export interface LettaCodeCredentials {
  apiKey?: string;
  /** `env.LETTA_BASE_URL` as written; the caller normalises it. */
  baseUrl?: string;
  /** When the key is a sign-in token that expires (ms since the epoch). */
  expiresAt?: number;
}

export type UserSettings = { kind: 'ok'; credentials: LettaCodeCredentials } | { kind: 'problem'; problem: FileProblem };

/** Letta Code's key for a server: its URL without scheme and trailing slash (`localhost:8283`). */
export function lettaCodeServerKey(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseObject(text: string, maxChars: number): Record<string, unknown> | FileProblem {
  if (text.length > maxChars) {
    return 'too-large';
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return 'malformed';
  }
  return isRecord(value) ? value : 'not-an-object';
}

/** `value.agentId` when it is a Letta agent ID. */
function sessionAgent(value: unknown): string | undefined {
  return isRecord(value) && typeof value.agentId === 'string' && AGENT_IDS.is(value.agentId) ? value.agentId : undefined;
}

/**
 * The agent the project file names for the server whose Letta Code key is `serverKey` (see
 * `lettaCodeServerKey`). Only an agent ID ever comes out: any URL, key or other field in the file
 * is ignored, so a repository cannot point the extension (or its key) anywhere.
 */
export function parseProjectSettings(text: string, serverKey: string): ProjectAgent {
  const settings = parseObject(text, MAX_PROJECT_FILE_BYTES);
  if (typeof settings === 'string') {
    return { kind: 'problem', problem: settings };
  }
  const byServer = isRecord(settings.sessionsByServer) && Object.prototype.hasOwnProperty.call(settings.sessionsByServer, serverKey) ? settings.sessionsByServer[serverKey] : undefined;
  const agentId =
    sessionAgent(byServer) ??
    sessionAgent(settings.lastSession) ??
    (typeof settings.lastAgent === 'string' && AGENT_IDS.is(settings.lastAgent) ? settings.lastAgent : undefined);
  return agentId ? { kind: 'agent', agentId } : { kind: 'none' };
}

/** A key as the key prompt accepts it: printable ASCII, no white space, not absurdly long. */
function plausibleKey(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 4096 && /^[\x21-\x7e]+$/.test(value);
}

/** The key and server of the user file; nothing else is read from it. */
export function parseUserSettings(text: string): UserSettings {
  const settings = parseObject(text, MAX_USER_FILE_BYTES);
  if (typeof settings === 'string') {
    return { kind: 'problem', problem: settings };
  }
  const env = isRecord(settings.env) ? settings.env : {};
  const credentials: LettaCodeCredentials = {};
  if (plausibleKey(env.LETTA_API_KEY)) {
    credentials.apiKey = env.LETTA_API_KEY;
  }
  if (typeof env.LETTA_BASE_URL === 'string' && env.LETTA_BASE_URL.trim() !== '' && env.LETTA_BASE_URL.length <= 2048) {
    credentials.baseUrl = env.LETTA_BASE_URL.trim();
  }
  if (typeof settings.tokenExpiresAt === 'number' && Number.isFinite(settings.tokenExpiresAt)) {
    credentials.expiresAt = settings.tokenExpiresAt;
  }
  return { kind: 'ok', credentials };
}

/** What to tell the user about a file that could not be read; names the file, never its content. */
export function describeFileProblem(file: string, problem: FileProblem): string {
  switch (problem) {
    case 'too-large':
      return l10n.t('{0} is too large to be a Letta Code settings file: it was not read.', file);
    case 'malformed':
      return l10n.t('{0} is not valid JSON: it was not used.', file);
    default:
      return l10n.t('{0} does not hold a JSON object: it was not used.', file);
  }
}

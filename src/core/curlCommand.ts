/**
 * "Copy as cURL": the command that fetches a step's trace from the server it came from, for a
 * terminal. The key stays an environment variable, never its value. Pure: no `vscode` import.
 */
import { normalizeBaseUrl } from './baseUrl';

export interface CurlTarget {
  /** The server setting as the user wrote it (`letta.baseUrl`): a path prefix (`https://host/letta`) is kept. */
  baseUrl: string;
  stepId: string;
  /** The Letta Cloud project (`letta.project`), sent as `X-Project` as the extension sends it. */
  project?: string;
}

/** `curl -H "Authorization: Bearer $LETTA_API_KEY" [-H "X-Project: …"] <base>/v1/steps/<id>/trace`. */
export function curlCommand({ baseUrl, stepId, project }: CurlTarget): string {
  const base = normalizeBaseUrl(baseUrl);
  const apiBase = base.ok ? base.apiBase : baseUrl.trim().replace(/\/+$/, '');
  const url = `${apiBase}/v1/steps/${encodeURIComponent(stepId)}/trace`;
  const parts = ['curl', '-H', '"Authorization: Bearer $LETTA_API_KEY"'];
  if (project) {
    parts.push('-H', shellWord(`X-Project: ${project}`, '"'));
  }
  parts.push(shellWord(url));
  return parts.join(' ');
}

/** Characters no POSIX shell treats specially, so a word made of them needs no quotes. */
const SAFE = /^[A-Za-z0-9._~:/%@+=,-]+$/;

/**
 * `text` as one shell word that expands to nothing: as it is when safe, else in double quotes when
 * asked and nothing inside needs escaping there, else in single quotes (a `'` closed, escaped, reopened).
 */
function shellWord(text: string, prefer?: '"'): string {
  if (prefer === '"' && !/["$`\\!]/.test(text)) {
    return `"${text}"`;
  }
  if (SAFE.test(text)) {
    return text;
  }
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

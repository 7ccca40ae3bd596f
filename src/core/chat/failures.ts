/**
 * Why a chat tool could not answer, as text a language model (and the developer reading along) can
 * act on: what went wrong, and the one thing that fixes it. Tools return these instead of throwing,
 * so the model sees "run Letta: Set API Key" rather than a stack. Pure.
 */
import * as l10n from '@vscode/l10n';
import { errorMessage } from '../errorMessage';
import { isLettaApiError } from '../lettaApi';
import type { IdKind } from '../lettaIds';
import { accessFix, type ServerAccess } from '../serverAccess';

/** The command palette titles the texts name (as package.nls.json spells them). */
const SET_API_KEY = 'Letta: Set API Key';
const CHANGE_SERVER = 'Letta: Change Server';

function failure(what: string, fix: string): string {
  return `**Letta: ${what}**\n\n${fix}\n`;
}

/** The server cannot be used yet: no key, a key waiting for consent over http, or a bad URL. */
export function accessFailure(access: Exclude<ServerAccess, { kind: 'ready' }>): string {
  const fix = accessFix(access);
  switch (access.kind) {
    case 'no-key':
      return failure(fix.message, l10n.t('Ask the developer to run "{0}" from the Command Palette, then try again.', SET_API_KEY));
    case 'consent-needed':
      return failure(fix.message, l10n.t('Ask the developer to open a trace from the Letta sidebar once and agree to send the key, then try again.'));
    case 'bad-url':
      return failure(fix.message, l10n.t('Ask the developer to run "{0}" and enter the server\'s URL, then try again.', CHANGE_SERVER));
  }
}

/** The input is not an ID of `kind` (a typo, a truncated paste, another kind of ID). */
export function malformedIdFailure(kind: IdKind, input: string): string {
  const problem = kind.describeProblem(input) ?? l10n.t('It is not a {0} ID.', kind.noun);
  return failure(
    l10n.t('"{0}" is not a valid {1} ID.', input.slice(0, 80), kind.noun),
    l10n.t('{0} Ask the developer for the full ID, or find it with letta_list_steps.', problem),
  );
}

/** A request failed: each kind of failure with what to do next. `noun` and `id` name what was asked for. */
export function requestFailure(e: unknown, noun: string, id: string): string {
  if (!isLettaApiError(e)) {
    return failure(l10n.t('Could not read {0} {1}.', noun, id), l10n.t('Unexpected error: {0}. The Letta log (Output → Letta) has details.', errorMessage(e)));
  }
  const said = e.message;
  switch (e.kind) {
    case 'no-trace':
      return failure(
        l10n.t('No trace is recorded for {0} {1}.', noun, id),
        l10n.t('The server answered but holds no provider trace for it (tracing may be off, or the step did not call a model). Its step record may still help: try letta_list_steps with its agent, or explain from the run with letta_get_run.'),
      );
    case 'not-found':
      return failure(l10n.t('{0} {1} was not found on this server.', noun, id), l10n.t('Check the ID (it may belong to another server or project), or list recent steps with letta_list_steps.'));
    case 'invalid-request':
      return failure(l10n.t('The server rejected the request for {0} {1}.', noun, id), l10n.t('{0} Check the ID.', said));
    case 'unauthorized':
      return failure(l10n.t('The server refused the API key.'), l10n.t('{0} Ask the developer to run "{1}" with a valid key, then try again.', said, SET_API_KEY));
    case 'network':
    case 'timeout':
      return failure(
        l10n.t('The Letta server could not be reached.'),
        l10n.t('{0} Ask the developer to check that the server is running and that the setting letta.baseUrl (or "{1}") points at it.', said, CHANGE_SERVER),
      );
    case 'rate-limited':
    case 'server-error':
      return failure(l10n.t('The Letta server failed to answer.'), l10n.t('{0} Wait a little and try again.', said));
    case 'cancelled':
      return failure(l10n.t('Cancelled.'), l10n.t('The request was cancelled before it finished.'));
    case 'too-large':
    case 'bad-response':
      return failure(l10n.t('The server\'s answer for {0} {1} could not be read.', noun, id), said);
  }
}

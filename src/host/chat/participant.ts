/**
 * `@letta`: /explain (a step or run), /compare (two steps), /context (a step's tokens), or a
 * question naming IDs. It gathers the same accounts the tools give, builds the prompt with the
 * pure `buildChatPrompt` (trace data fenced and marked as data), and streams `request.model`'s
 * answer. Without a usable model it says so plainly and shows what it gathered.
 */
import * as vscode from 'vscode';
import type { ChatCommand, ChatSource } from '../../core/chat/chatPrompt';
import { errorMessage } from '../../core/errorMessage';
import { createScrubber } from '../../core/secretScrub';
import { accounts, type ChatData, type ChatDeps, type Gathered } from './chatData';

export const PARTICIPANT_ID = 'letta.chat';

/** The parts of a request the handler reads (a test passes a stand-in model). */
export type LettaChatRequest = Pick<vscode.ChatRequest, 'prompt' | 'command'> & { model?: vscode.LanguageModelChat };
/** The parts of the response stream the handler writes. */
export type LettaChatStream = Pick<vscode.ChatResponseStream, 'markdown' | 'progress'>;

const MAX_STEPS = 3;
const MAX_RUNS = 2;

function commandOf(value: string | undefined): ChatCommand | undefined {
  return value === 'explain' || value === 'compare' || value === 'context' ? value : undefined;
}

/** What to fetch for the request, or a message saying what is missing. */
async function gather(data: ChatData, command: ChatCommand | undefined, prompt: string, stream: LettaChatStream, token: vscode.CancellationToken): Promise<{ sources: ChatSource[]; failures: string[] } | string> {
  const { stepIds, runIds } = (await accounts()).idsInPrompt(prompt);
  const jobs: { title: string; get: () => Promise<Gathered> }[] = [];
  if (command === 'compare') {
    if (stepIds.length < 2) {
      return vscode.l10n.t('/compare needs two step IDs, for example: `@letta /compare step-… step-…`.');
    }
    const [a, b] = stepIds;
    jobs.push({ title: `steps ${a} and ${b} compared`, get: () => data.compare(a, b, token) });
  } else if (command === 'context') {
    if (stepIds.length < 1) {
      return vscode.l10n.t('/context needs a step ID, for example: `@letta /context step-…`.');
    }
    jobs.push({ title: `context window of step ${stepIds[0]}`, get: () => data.context(stepIds[0], token) });
  } else {
    if (stepIds.length + runIds.length === 0) {
      return command === 'explain'
        ? vscode.l10n.t('/explain needs a step or run ID, for example: `@letta /explain step-…` or `@letta /explain run-…`.')
        : vscode.l10n.t('Name a Letta step or run ID in your question, or use /explain, /compare or /context. For example: `@letta /explain step-…`.');
    }
    for (const runId of runIds.slice(0, MAX_RUNS)) {
      jobs.push({ title: `run ${runId}`, get: () => data.run(runId, token) });
    }
    for (const stepId of stepIds.slice(0, MAX_STEPS)) {
      jobs.push({ title: `step ${stepId}`, get: () => data.step(stepId, token) });
    }
  }
  stream.progress(vscode.l10n.t('Reading {0} from {1}…', jobs.map((j) => j.title).join(', '), data.host));
  const results = await Promise.all(jobs.map(async (j) => ({ title: j.title, got: await j.get() })));
  return {
    sources: results.filter((r) => r.got.ok).map((r) => ({ title: r.title, markdown: r.got.text })),
    failures: results.filter((r) => !r.got.ok).map((r) => r.got.text),
  };
}

/** The handler behind `@letta`, exported so it can be tested with a stand-in model. */
export async function handleLettaChat(
  data: ChatData,
  deps: Pick<ChatDeps, 'api' | 'keyOf' | 'log'>,
  request: LettaChatRequest,
  stream: LettaChatStream,
  token: vscode.CancellationToken,
): Promise<vscode.ChatResult> {
  const key = await deps.keyOf(deps.api.origin);
  const scrub = createScrubber([key]);
  const say = (text: string) => stream.markdown(scrub(text));
  const command = commandOf(request.command);

  const gathered = await gather(data, command, request.prompt, stream, token);
  if (typeof gathered === 'string') {
    say(gathered);
    return { metadata: { command, outcome: 'usage' } };
  }
  for (const failure of gathered.failures) {
    say(`${failure}\n`);
  }
  if (gathered.sources.length === 0) {
    return { metadata: { command, outcome: 'failed' } };
  }

  const showData = () => {
    say(`\n\n${vscode.l10n.t('What the Letta tools returned:')}\n\n`);
    for (const source of gathered.sources) {
      say(`${source.markdown}\n\n`);
    }
  };
  const model = request.model;
  if (!model) {
    say(vscode.l10n.t('No language model is available in this editor, so @letta cannot explain this (chat models come from an extension such as GitHub Copilot).'));
    showData();
    return { metadata: { command, outcome: 'no-model' } };
  }
  const { buildChatPrompt } = await accounts();
  const messages = buildChatPrompt({
    command,
    question: request.prompt,
    sources: gathered.sources,
    // About three characters a token, half the window for the data.
    maxDataChars: model.maxInputTokens > 0 ? Math.min(96 * 1024, Math.floor(model.maxInputTokens * 1.5)) : undefined,
  }).map((m) => (m.role === 'user' ? vscode.LanguageModelChatMessage.User(m.text) : vscode.LanguageModelChatMessage.Assistant(m.text)));
  try {
    const response = await model.sendRequest(messages, { justification: vscode.l10n.t('@letta explains Letta steps and runs from their traces.') }, token);
    for await (const fragment of response.text) {
      if (token.isCancellationRequested) {
        break;
      }
      say(fragment);
    }
    return { metadata: { command, outcome: 'answered' } };
  } catch (e) {
    deps.log.warn(`@letta: the language model failed: ${scrub(errorMessage(e))}`);
    say(vscode.l10n.t('The language model ({0}) could not answer: {1}', model.name, scrub(errorMessage(e))));
    showData();
    return { metadata: { command, outcome: 'model-failed' } };
  }
}

export function registerChatParticipant(context: vscode.ExtensionContext, data: ChatData, deps: ChatDeps): void {
  try {
    const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, (request, _context, stream, token) => handleLettaChat(data, deps, request, stream, token));
    participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    context.subscriptions.push(participant);
  } catch (e) {
    // An editor without chat: everything else still works.
    deps.log.warn(`@letta not registered: ${String(e)}`);
  }
}

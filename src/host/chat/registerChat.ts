/** What the integration suites reach: the data the tools read, and `@letta`'s handler. */
export interface Chat {
  data: ChatData;
  handle(request: LettaChatRequest, stream: LettaChatStream, token: vscode.CancellationToken): Promise<vscode.ChatResult>;
}

/** Chat: the Letta language-model tools and `@letta`, sharing one `ChatData` and one tokenizer worker. */
import * as vscode from 'vscode';
import { runsModule } from '../runs/runsBundle';
import { createWorkerTokenCounter } from '../../core/context/tokenizerHost';
import type { ApiProvider, TraceStore } from '../contracts';
import { ChatData, type ChatDeps } from './chatData';
import { handleLettaChat, registerChatParticipant, type LettaChatRequest, type LettaChatStream } from './participant';
import { registerChatTools } from './tools';

export function registerChat(
  context: vscode.ExtensionContext,
  parts: { api: ApiProvider; store: TraceStore; log: vscode.LogOutputChannel; keyOf: ChatDeps['keyOf'] },
): Chat {
  // Started on the first count and stopped when idle, like the viewer's.
  const counter = createWorkerTokenCounter(vscode.Uri.joinPath(context.extensionUri, 'dist', 'tokenizer.js').fsPath);
  context.subscriptions.push({ dispose: () => counter.dispose() });
  const deps: ChatDeps = {
    ...parts,
    stepContext: async (loaded) => (await runsModule()).stepContextLater(loaded, { count: counter.count, loadPrices: async () => (await import('../../core/context/pricesModule')).calcPrice }),
  };
  const data = new ChatData(deps);
  registerChatTools(context, data, parts.log);
  registerChatParticipant(context, data, deps);
  return { data, handle: (request, stream, token) => handleLettaChat(data, deps, request, stream, token) };
}

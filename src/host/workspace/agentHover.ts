/**
 * The hover over an agent ID (`agent-<uuid4>`) in any text — Letta Code's JSON output, a log: the
 * agent's name and model from the configured server, and links to show it in the sidebar or open
 * its latest run. Registered beside the step hover, on the same languages and switch
 * (`letta.hover.*`); a hover never prompts for a key.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { isLettaApiError } from '../../core/lettaApi';
import type { Agent } from '../../core/lettaTypes';
import { AGENT_IDS } from '../../core/lettaIds';
import type { ApiProvider } from '../contracts';
import { commandLink, escapeMarkdown, HOVER_WAIT_MS, pendingLine } from '../stepIds/stepHover';
import { agentModel } from './agentFollower';

export const SHOW_AGENT = 'letta.showAgentInSidebar';
export const OPEN_AGENT_LATEST_RUN = 'letta.openAgentLatestRun';

type Lookup = { kind: 'ok'; agent: Agent } | { kind: 'unknown' } | { kind: 'error'; message: string } | undefined;
/** `pending`: no answer within `HOVER_WAIT_MS`; the lookup goes on and is cached for the next hover. */
type HoverLookup = Lookup | 'pending';

export class AgentHoverProvider implements vscode.HoverProvider {
  /** Answers by agent ID, for this server; cleared when the server or key changes. */
  private readonly cache = new Map<string, Promise<Lookup>>();

  constructor(private readonly api: ApiProvider) {}

  clear(): void {
    this.cache.clear();
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const match = AGENT_IDS.at(document.lineAt(position.line).text, position.character);
    if (!match) {
      return undefined;
    }
    const range = new vscode.Range(position.line, match.start, position.line, match.start + AGENT_IDS.length);
    // At most HOVER_WAIT_MS for the server: the links show either way.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const lookup = await Promise.race([this.lookup(match.id), new Promise<'pending'>((r) => (timer = setTimeout(() => r('pending'), HOVER_WAIT_MS)))]);
    clearTimeout(timer);
    if (token.isCancellationRequested) {
      return undefined;
    }
    return new vscode.Hover(buildAgentHoverMarkdown(match.id, lookup), range);
  }

  private lookup(agentId: string): Promise<Lookup> {
    let answer = this.cache.get(agentId);
    if (!answer) {
      answer = (async (): Promise<Lookup> => {
        const client = await this.api.getApi({ prompt: false });
        if (!client) {
          return undefined;
        }
        try {
          return { kind: 'ok', agent: await client.getAgent(agentId, { timeoutMs: 5000, maxRetries: 0 }) };
        } catch (e) {
          this.cache.delete(agentId); // an error is not remembered; a 404 is
          return isLettaApiError(e, 'not-found') ? { kind: 'unknown' } : { kind: 'error', message: errorMessage(e) };
        }
      })();
      this.cache.set(agentId, answer);
    }
    return answer;
  }
}

export function buildAgentHoverMarkdown(agentId: string, lookup: HoverLookup): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.isTrusted = { enabledCommands: [SHOW_AGENT, OPEN_AGENT_LATEST_RUN] };
  md.supportHtml = false;
  // agentId matched the agent-ID pattern (hex and dashes): safe inside backticks.
  md.appendMarkdown(`$(hubot) **${vscode.l10n.t('Letta agent')}** \`${agentId}\`\n\n`);
  if (lookup === 'pending') {
    md.appendMarkdown(pendingLine());
  } else if (lookup?.kind === 'ok') {
    const parts = [lookup.agent.name, agentModel(lookup.agent)].filter((p): p is string => typeof p === 'string' && p !== '');
    if (parts.length > 0) {
      md.appendMarkdown(escapeMarkdown(parts.join(' · ')) + '\n\n');
    }
  } else if (lookup?.kind === 'unknown') {
    md.appendMarkdown(`$(warning) ${escapeMarkdown(vscode.l10n.t('This server does not know agent {0}.', agentId))}\n\n`);
  } else if (lookup?.kind === 'error') {
    md.appendMarkdown(`$(warning) ${escapeMarkdown(lookup.message)}\n\n`);
  }
  md.appendMarkdown(
    [
      `[$(list-tree) ${vscode.l10n.t('Show in Sidebar')}](${commandLink(SHOW_AGENT, [agentId])} "${vscode.l10n.t('Show the agent and its steps in the Letta sidebar')}")`,
      `[$(play) ${vscode.l10n.t('Open Latest Run')}](${commandLink(OPEN_AGENT_LATEST_RUN, [agentId])} "${vscode.l10n.t('Open the newest run of this agent')}")`,
    ].join(' · '),
  );
  return md;
}

/** "Find Agent": a quick pick over the loaded agents, the next page, and an exact-name search on the server. */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import type { LettaApi } from '../../core/lettaApi';
import type { Agent } from '../../core/lettaTypes';
import type { ServerProvider } from './serverView';

type AgentPick = vscode.QuickPickItem & { agent?: Agent; action?: 'more' | 'search' };

/**
 * Agents by name: the ones loaded so far, "Load more agents…" for the next page, and an exact-name
 * search on the server (`GET /v1/agents/?name=`) for the text typed, so a large server is never
 * listed whole.
 */
export async function pickAgent(server: ServerProvider, client: LettaApi): Promise<Agent | undefined> {
  const qp = vscode.window.createQuickPick<AgentPick>();
  qp.title = vscode.l10n.t('Find agent on {0}', client.origin);
  qp.placeholder = vscode.l10n.t('Type to filter the loaded agents; pick "Search the server" for an exact name');
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  const found: Agent[] = [];
  const render = () => {
    const seen = new Set<string>();
    const agents = [...found, ...server.loadedAgents()].filter((a) => !seen.has(a.id) && seen.add(a.id));
    const value = qp.value.trim();
    const page = server.agentsPage;
    qp.items = [
      ...agents.map((agent): AgentPick => ({ label: agent.name || agent.id, description: agent.llm_config?.model ?? agent.model ?? undefined, detail: agent.id, agent })),
      ...(value ? [{ label: `$(search) ${vscode.l10n.t('Search the server for "{0}"', value)}`, alwaysShow: true, action: 'search' } as AgentPick] : []),
      ...(page.hasMore || page.error ? [{ label: `$(more) ${vscode.l10n.t('Load more agents…')}`, description: page.error?.message, alwaysShow: true, action: 'more' } as AgentPick] : []),
    ];
  };
  try {
    return await new Promise<Agent | undefined>((resolve) => {
      qp.onDidChangeValue(render);
      qp.onDidHide(() => resolve(undefined));
      qp.onDidAccept(async () => {
        const item = qp.activeItems[0];
        if (!item) {
          return;
        }
        if (item.agent) {
          resolve(item.agent);
          qp.hide();
          return;
        }
        qp.busy = true;
        try {
          if (item.action === 'more') {
            await server.loadMoreAgents(client);
          } else {
            const name = qp.value.trim();
            const matches = await client.listAgents({ name, limit: 20 });
            found.unshift(...matches);
            if (matches.length === 0) {
              qp.placeholder = vscode.l10n.t('No agent is named "{0}"', name);
            }
          }
        } catch (e) {
          qp.placeholder = errorMessage(e);
        } finally {
          qp.busy = false;
        }
        render();
      });
      render();
      qp.show();
      if (server.agentsPage.items.length === 0 && server.agentsPage.hasMore) {
        qp.busy = true;
        void server.loadMoreAgents(client).finally(() => {
          qp.busy = false;
          render();
        });
      }
    });
  } finally {
    qp.dispose();
  }
}

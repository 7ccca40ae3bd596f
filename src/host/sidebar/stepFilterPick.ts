/** The quick picks of the sidebar's step filter: a status, feedback, a model, text, or clearing. */
import * as vscode from 'vscode';
import type { FeedbackFilter, StepFilter } from '../../core/sidebar/treeModel';
import { STEP_STATUSES, statusFilterLabel, statusIcon } from '../../core/stepStatus';
import type { ServerProvider } from './serverView';

/** Models to offer in the filter: the agent's own and those of its loaded steps. */
export function modelChoices(server: ServerProvider, agentId: string): string[] {
  const agent = server.loadedAgents().find((a) => a.id === agentId);
  const models = [agent?.llm_config?.model, agent?.model, ...server.loadedSteps(agentId).map((s) => s.model)];
  return [...new Set(models.filter((m): m is string => typeof m === 'string' && m !== ''))].slice(0, 50);
}

type FilterPick = vscode.QuickPickItem & { apply: (f: StepFilter) => StepFilter | Promise<StepFilter | undefined> };

/** Picking the current choice again drops it. */
const FEEDBACK_CHOICES = (): { feedback: FeedbackFilter; icon: string; label: string }[] => [
  { feedback: 'positive', icon: 'thumbsup', label: vscode.l10n.t('Thumbs up') },
  { feedback: 'negative', icon: 'thumbsdown', label: vscode.l10n.t('Thumbs down') },
  { feedback: 'any', icon: 'feedback', label: vscode.l10n.t('Any feedback') },
];

/** One quick pick: a status, feedback, a model (asked of the server), text, or clearing. Undefined when dismissed. */
export async function pickFilter(current: StepFilter, models: string[]): Promise<StepFilter | undefined> {
  const items: FilterPick[] = [
    ...STEP_STATUSES.map((status): FilterPick => ({
      label: `$(${statusIcon(status)}) ${statusFilterLabel(status)}`,
      description: current.status === status ? vscode.l10n.t('(current)') : vscode.l10n.t('among the loaded steps'),
      apply: (f) => ({ ...f, status: current.status === status ? undefined : status }),
    })),
    ...FEEDBACK_CHOICES().map((choice): FilterPick => ({
      label: `$(${choice.icon}) ${choice.label}`,
      description: current.feedback === choice.feedback ? vscode.l10n.t('(current)') : vscode.l10n.t('asks the server'),
      apply: (f) => ({ ...f, feedback: current.feedback === choice.feedback ? undefined : choice.feedback }),
    })),
    {
      label: `$(symbol-misc) ${vscode.l10n.t('By model…')}`,
      description: current.model ? vscode.l10n.t('now: {0}', current.model) : vscode.l10n.t('asks the server'),
      apply: async (f) => {
        const model = await pickModel(models, current.model);
        return model === undefined ? undefined : { ...f, model: model || undefined };
      },
    },
    {
      label: `$(search) ${vscode.l10n.t('Containing text…')}`,
      description: current.text ? vscode.l10n.t('now: "{0}"', current.text) : vscode.l10n.t('step ID, model, stop reason, error'),
      apply: async (f) => {
        const text = await vscode.window.showInputBox({ title: vscode.l10n.t('Filter steps by text'), value: current.text ?? '', prompt: vscode.l10n.t('Leave empty to drop the text filter.') });
        return text === undefined ? undefined : { ...f, text: text.trim() || undefined };
      },
    },
  ];
  if (current.model || current.feedback || current.status || current.text) {
    items.push({ label: `$(clear-all) ${vscode.l10n.t('Clear filter')}`, apply: () => ({}) });
  }
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Filter steps'), placeHolder: vscode.l10n.t('Show only some of this agent\'s steps') });
  return picked ? picked.apply(current) : undefined;
}

/** A known model, or one typed in; '' clears the model filter. */
async function pickModel(models: string[], current: string | undefined): Promise<string | undefined> {
  const other = vscode.l10n.t('Another model…');
  const any = vscode.l10n.t('Any model');
  const picked = await vscode.window.showQuickPick([...models, other, ...(current ? [any] : [])], { title: vscode.l10n.t('Steps made with model') });
  if (picked === undefined) {
    return undefined;
  }
  if (picked === any) {
    return '';
  }
  if (picked !== other) {
    return picked;
  }
  const typed = await vscode.window.showInputBox({ title: vscode.l10n.t('Steps made with model'), prompt: vscode.l10n.t('The model name as the server records it, e.g. gpt-4.1-mini'), value: current ?? '' });
  return typed === undefined ? undefined : typed.trim();
}

/**
 * The feedback commands: thumbs up, thumbs down, clear, and tags, on a step from the sidebar, a
 * hover's editor, the palette or the viewer. Each takes `string | { stepId }` first, else asks.
 * `letta.feedbackTags` takes the tags as a second argument too (then no quick input).
 */
import * as vscode from 'vscode';
import type { StepFeedback } from '../../core/lettaApi';
import type { ApiProvider, TraceStore } from '../contracts';
import { resolveStep } from '../commands/stepPicker';
import { StepFeedbackService } from './stepFeedback';

export function registerFeedback(context: vscode.ExtensionContext, deps: { log: vscode.LogOutputChannel; api: ApiProvider; store: TraceStore }): StepFeedbackService {
  const service = new StepFeedbackService(deps);
  const thumb = (feedback: StepFeedback, title: string) => async (arg: unknown) => {
    const ref = await resolveStep(arg, title);
    return ref ? service.set(ref.stepId, feedback) : undefined;
  };
  context.subscriptions.push(
    service,
    vscode.commands.registerCommand('letta.feedbackPositive', thumb('positive', vscode.l10n.t('Thumbs Up'))),
    vscode.commands.registerCommand('letta.feedbackNegative', thumb('negative', vscode.l10n.t('Thumbs Down'))),
    vscode.commands.registerCommand('letta.clearFeedback', thumb(null, vscode.l10n.t('Clear Feedback'))),
    vscode.commands.registerCommand('letta.feedbackTags', async (arg: unknown, tags?: unknown) => {
      const ref = await resolveStep(arg, vscode.l10n.t('Feedback Tags'));
      const given = Array.isArray(tags) && tags.every((t) => typeof t === 'string') ? tags : undefined;
      return ref ? service.editTags(ref.stepId, given) : undefined;
    }),
  );
  return service;
}

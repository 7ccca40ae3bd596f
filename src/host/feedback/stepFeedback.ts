/**
 * A step's feedback (thumbs up / down and tags), sent with `PATCH /v1/steps/{id}/feedback`. The
 * server's answer is the truth: the cached trace takes the updated step and `onDidChange` tells the
 * sidebar, the hover and the viewer, which show it. A failure says why and changes nothing.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import type { StepFeedback as FeedbackValue } from '../../core/lettaApi';
import type { Step } from '../../core/lettaTypes';
import { shortStepId } from '../../core/stepIds';
import { parseFeedbackTags } from '../../core/stepFeedback';
import type { ApiProvider, TraceStore } from '../contracts';

export interface StepFeedbackDeps {
  log: vscode.LogOutputChannel;
  api: ApiProvider;
  store: TraceStore;
}

export class StepFeedbackService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Step>();
  /** The step as the server answered it, after each accepted change. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: StepFeedbackDeps) {}

  dispose(): void {
    this.changed.dispose();
  }

  /**
   * Sets (or with `null` clears) the feedback of `stepId`, and its tags when given. The updated step,
   * or undefined when it failed (the user was told) or no key was given.
   */
  async set(stepId: string, feedback: FeedbackValue, tags?: string[]): Promise<Step | undefined> {
    const { log, api, store } = this.deps;
    const client = await api.getApi({ prompt: true });
    if (!client) {
      return undefined;
    }
    const loaded = store.peekQuietly(stepId);
    if (loaded?.source.kind === 'server' && loaded.source.origin !== client.origin) {
      // Feedback goes to the configured server; this step lives on another.
      void vscode.window.showWarningMessage(
        vscode.l10n.t('{0} is from {1}, but feedback goes to the configured server {2}. Change the server to rate this step.', shortStepId(stepId), loaded.source.origin, client.origin),
      );
      return undefined;
    }
    let step: Step;
    try {
      step = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Sending feedback on {0}…', shortStepId(stepId)) }, () =>
        client.setFeedback(stepId, feedback, tags),
      );
    } catch (e) {
      const text = errorMessage(e);
      log.error(`Feedback on ${stepId} was not saved: ${text}`);
      const showLog = vscode.l10n.t('Show Log');
      void vscode.window.showErrorMessage(vscode.l10n.t('The feedback on {0} was not saved: {1}', shortStepId(stepId), text), showLog).then((choice) => {
        if (choice === showLog) {
          log.show();
        }
      });
      return undefined;
    }
    log.info(`Feedback on ${stepId}: ${String(step.feedback ?? 'none')}${tags ? `, tags ${JSON.stringify(tags)}` : ''}.`);
    if (loaded) {
      store.put({ ...loaded, step: { ...loaded.step, ...step } });
    }
    this.changed.fire(step);
    vscode.window.setStatusBarMessage(
      step.feedback === 'positive'
        ? vscode.l10n.t('Thumbs up saved on {0}', shortStepId(stepId))
        : step.feedback === 'negative'
          ? vscode.l10n.t('Thumbs down saved on {0}', shortStepId(stepId))
          : vscode.l10n.t('Feedback on {0} cleared', shortStepId(stepId)),
      3000,
    );
    return step;
  }

  /**
   * Asks for the tags in a quick input (prefilled with the step's tags) unless `tags` is given, and
   * sends them with the step's current feedback, which the server is asked for first.
   */
  async editTags(stepId: string, tags?: string[]): Promise<Step | undefined> {
    const client = await this.deps.api.getApi({ prompt: true });
    if (!client) {
      return undefined;
    }
    let current: Step;
    try {
      current = await client.getStep(stepId);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The tags of {0} could not be read: {1}', shortStepId(stepId), errorMessage(e)));
      return undefined;
    }
    let next = tags;
    if (!next) {
      const typed = await vscode.window.showInputBox({
        title: vscode.l10n.t('Feedback tags of {0}', shortStepId(stepId)),
        prompt: vscode.l10n.t('Tags separated by commas, e.g. hallucination, wrong-tool. Leave empty to remove them.'),
        value: (current.tags ?? []).join(', '),
        ignoreFocusOut: true,
        validateInput: (value) => parseFeedbackTags(value).problem,
      });
      if (typed === undefined) {
        return undefined;
      }
      next = parseFeedbackTags(typed).tags;
    }
    const feedback = current.feedback === 'positive' || current.feedback === 'negative' ? current.feedback : null;
    return this.set(stepId, feedback, next);
  }
}

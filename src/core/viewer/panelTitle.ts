/** A viewer tab's title: the short step ID and the model, so two open traces are told apart at a glance. Pure. */
import { shortStepId } from '../stepIds';

const MAX_MODEL = 32;

export function panelTitle(stepId: string, model?: string): string {
  if (!model) {
    return shortStepId(stepId);
  }
  const name = model.length > MAX_MODEL ? `${model.slice(0, MAX_MODEL - 1)}…` : model;
  return `${shortStepId(stepId)} · ${name}`;
}

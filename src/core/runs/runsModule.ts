/**
 * The run view's model and the Markdown exports as their own bundle (`dist/runs.js`, see esbuild.js):
 * the run model with the `diff` library under it, the load queue, the step and run Markdown, and a
 * step's context window and cost. The host loads it when the first run view opens, the first
 * Markdown is copied or the first context is counted, not at activation, as `clientModule.ts` is, and like it configured with the host's translation
 * bundle (`configureLocalization`). Pure: no `vscode` import.
 */
export { RunTracker } from './runModel';
export { LoadCancelledError, LoadQueue } from './loadQueue';
export { loadedStepToMarkdown } from '../markdown/stepMarkdown';
export { runMarkdown } from '../markdown/runMarkdown';
// The context window and cost of a step (the viewer's and the chat's), with the token budget's sections.
export { stepContextLater } from '../context/stepContext';
export { configureLocalization } from '../localization';

/**
 * The run view's model and the Markdown exports as their own bundle (`dist/runs.js`, see esbuild.js):
 * the run model with the `diff` library under it, the load queue, and the step and run Markdown.
 * The host loads it when the first run view opens or the first Markdown is copied, not at
 * activation, as `clientModule.ts` is. Pure: no `vscode` import.
 */
export { RunTracker } from './runModel';
export { LoadCancelledError, LoadQueue } from './loadQueue';
export { loadedStepToMarkdown } from '../markdown/stepMarkdown';
export { runMarkdown } from '../markdown/runMarkdown';

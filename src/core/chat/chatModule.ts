/**
 * The entry of `dist/chat.js`: the chat accounts and the run model (with the `diff` library under
 * it), loaded on the first chat tool call instead of at activation, as `clientModule.ts` is, and
 * like it configured with the host's translation bundle (`configureLocalization`).
 */
export { compareAccount, contextAccount, stepAccount } from './stepAccounts';
export { runAccount } from './runAccount';
export { stepListAccount } from './stepListAccount';
export { RunTracker } from '../runs/runModel';
export { configureLocalization } from '../localization';

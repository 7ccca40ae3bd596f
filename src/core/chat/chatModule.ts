/**
 * The entry of `dist/chat.js`: the chat accounts, the `@letta` prompt and the failure texts, loaded
 * on the first chat tool call or request instead of at activation, as `clientModule.ts` is, and like
 * it configured with the host's translation bundle (`configureLocalization`). The run model they
 * account for is in `dist/runs.js`.
 */
export { compareAccount, contextAccount, stepAccount } from './stepAccounts';
export { runAccount } from './runAccount';
export { stepListAccount } from './stepListAccount';
export { buildChatPrompt, idsInPrompt } from './chatPrompt';
export { accessFailure, malformedIdFailure, requestFailure } from './failures';
export { configureLocalization } from '../localization';

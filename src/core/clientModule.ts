/**
 * The API client as its own bundle (`dist/client.js`, see esbuild.js): the SDK and node-fetch are
 * most of the extension's code, and the host loads them on its first request, not at activation.
 * It has its own copy of `@vscode/l10n`: the host configures it through `configureLocalization`
 * (see `localized` in localization.ts). Pure: no `vscode` import.
 */
export { createLettaClient } from './lettaClient';
export { nodeFetch } from './httpTransport';
export { configureLocalization } from './localization';

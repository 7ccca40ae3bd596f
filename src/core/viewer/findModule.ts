/**
 * The viewer's find as its own bundle (`dist/find.js`, see esbuild.js): the search over a whole
 * trace and the per-panel session that streams it to the page. The host loads it with the first
 * search, not at activation, as `clientModule.ts` is, and like it configured with the host's
 * translation bundle (`configureLocalization`). Pure: no `vscode` import.
 */
export { TraceFind, isFindRequest } from './traceFind';
export { configureLocalization } from '../localization';

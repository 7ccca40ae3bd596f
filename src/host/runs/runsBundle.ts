/**
 * The run model, the load queue and the Markdown exports: `dist/runs.js`, required on first use
 * (a run view opened, a run or step copied as Markdown), never at activation (see esbuild.js).
 */
import { localized } from '../../core/localization';

/** Its own copy of `@vscode/l10n` is given the host's bundle, as every lazily loaded bundle's is. */
export const runsModule = async () => localized(await import('../../core/runs/runsModule'));

/**
 * The viewer's find, `dist/find.js`, required with the first search (see esbuild.js); its own copy
 * of `@vscode/l10n` is given the host's bundle, as every lazily loaded bundle's is.
 */
import { localized } from '../../core/localization';

export const findModule = async () => localized(await import('../../core/viewer/findModule'));

/**
 * The translation bundle of the pure code. Every bundle in dist/ that imports `@vscode/l10n`
 * (extension.js, and the lazily loaded client.js and chat.js, and the tokenizer's worker) has its
 * own copy of the library, so each is handed the same contents: the host configures this copy at
 * activation with `vscode.l10n.bundle`, and hands the contents on to each module it loads later
 * (`localized`) and to the worker it starts. English needs no bundle. Pure: no `vscode` import.
 */
import * as l10n from '@vscode/l10n';

export type L10nContents = l10n.l10nJsonFormat;

let current: L10nContents | undefined;

/** Configures this bundle's copy of `@vscode/l10n` (nothing to do for English, `undefined`). */
export function configureLocalization(contents: L10nContents | undefined): void {
  current = contents;
  if (contents) {
    l10n.config({ contents });
  }
}

/** What `configureLocalization` was last given here: to hand on to another bundle or a worker. */
export function localizationContents(): L10nContents | undefined {
  return current;
}

/** A lazily loaded bundle's entry: it exports its own copy of `configureLocalization`. */
export interface Localizable {
  configureLocalization(contents: L10nContents | undefined): void;
}

/** The module, its copy of `@vscode/l10n` configured with this one's contents. */
export function localized<M extends Localizable>(module: M): M {
  module.configureLocalization(current);
  return module;
}

/**
 * Strings of the pure core (`@vscode/l10n`) come from the same bundle as the host's
 * (`vscode.l10n`): VS Code loads `l10n/bundle.l10n.<locale>.json` for the host, and this hands its
 * contents to the core's copy of the library. English needs no bundle.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

export function configureCoreLocalization(): void {
  const bundle = vscode.l10n.bundle;
  if (bundle) {
    l10n.config({ contents: bundle });
  }
}

/**
 * Strings of the pure core (`@vscode/l10n`) come from the same bundle as the host's
 * (`vscode.l10n`): VS Code loads `l10n/bundle.l10n.<locale>.json` for the host, and this hands its
 * contents to the core's copy of the library; `localized` (src/core/localization.ts) hands them on
 * to each bundle loaded later, and the webview shell to each page. English needs no bundle.
 */
import * as vscode from 'vscode';
import { configureLocalization } from '../core/localization';

export function configureCoreLocalization(): void {
  configureLocalization(vscode.l10n.bundle);
}

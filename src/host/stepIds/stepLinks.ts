/** Ctrl/Cmd+click links on step IDs and run IDs in documents and in the integrated terminal. */
import * as vscode from 'vscode';
import { RUN_IDS, STEP_IDS, scanIdLinesOf, type IdKind } from '../../core/stepIds';
import { commandUri } from './stepHover';

/** The kinds of ID that get links, hovers and the context menu. */
export const LINKED_ID_KINDS: readonly IdKind[] = [STEP_IDS, RUN_IDS];

/** What a link on an ID of `kind` runs, and its tooltip. */
function linkTarget(kind: IdKind): { command: string; tooltip: string } {
  return kind === RUN_IDS
    ? { command: 'letta.openRun', tooltip: vscode.l10n.t('Open Letta run') }
    : { command: 'letta.openStepTrace', tooltip: vscode.l10n.t('Open Letta step trace') };
}


/** Links per document at most: past this the rest of a huge log gets none (and the log says so). */
export const MAX_LINKS_PER_DOCUMENT = 5000;

/** Links per terminal line at most. */
const MAX_LINKS_PER_TERMINAL_LINE = 50;

/**
 * Where step IDs live: files (local and remote), unsaved editors, output channels (a
 * `LogOutputChannel` is scheme `output`, language `log`), settings and other user-data files, git
 * and notebook cells. Schemes, not `*`: a search box or an SCM input should not get links.
 */
export const STEP_ID_SCHEMES = [
  'file',
  'untitled',
  'output',
  'vscode-userdata',
  'vscode-remote',
  'vscode-notebook-cell',
  'git',
  'vscode-vfs',
  'letta-trace',
] as const;

/** The selector for hovers and links: every scheme above, narrowed to `languages` when given. */
export function stepIdSelector(languages: readonly string[]): vscode.DocumentFilter[] {
  if (languages.length === 0) {
    return STEP_ID_SCHEMES.map((scheme) => ({ scheme }));
  }
  return STEP_ID_SCHEMES.flatMap((scheme) => languages.map((language) => ({ scheme, language })));
}

/** Document links on step and run IDs; the target runs `letta.openStepTrace` or `letta.openRun` with the ID. */
export class StepDocumentLinkProvider implements vscode.DocumentLinkProvider {
  private readonly reportedTooLarge = new Set<string>();

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly maxLinks = MAX_LINKS_PER_DOCUMENT,
  ) {}

  provideDocumentLinks(document: vscode.TextDocument, token: vscode.CancellationToken): vscode.DocumentLink[] | undefined {
    const maxMB = vscode.workspace.getConfiguration('letta', document).get<number>('links.maxDocumentSizeMB', 20);
    const maxChars = Math.max(0, maxMB) * 1024 * 1024;
    // offsetAt is a prefix-sum look-up: the size without joining the document into one string.
    const size = document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
    if (size > maxChars) {
      this.reportOnce(document, `${document.uri.scheme} document of ${(size / 1048576).toFixed(1)} MB is over letta.links.maxDocumentSizeMB (${maxMB}): no step-ID or run-ID links.`);
      return [];
    }
    const { matches, stoppedBy } = scanIdLinesOf(LINKED_ID_KINDS, document.lineCount, (line) => document.lineAt(line).text, {
      maxMatches: this.maxLinks,
      maxChars,
      isCancelled: () => token.isCancellationRequested,
    });
    if (stoppedBy === 'cancelled') {
      return undefined;
    }
    if (stoppedBy === 'limit') {
      this.reportOnce(document, `Only the first ${this.maxLinks} step and run IDs of a document get links.`);
    }
    return matches.map((m) => {
      const target = linkTarget(m.kind);
      const link = new vscode.DocumentLink(new vscode.Range(m.line, m.start, m.line, m.start + m.kind.length), commandUri(target.command, [m.id]));
      link.tooltip = target.tooltip;
      return link;
    });
  }

  private reportOnce(document: vscode.TextDocument, message: string): void {
    // Output channels change all the time: one line per document, not per refresh.
    const key = document.uri.toString();
    if (this.reportedTooLarge.has(key) || document.uri.scheme === 'output') {
      return;
    }
    if (this.reportedTooLarge.size > 1000) {
      this.reportedTooLarge.clear();
    }
    this.reportedTooLarge.add(key);
    this.log.info(message);
  }
}

interface StepTerminalLink extends vscode.TerminalLink {
  /** The step or run ID. */
  readonly id: string;
  readonly command: string;
}

/** Terminal links on step and run IDs, a line at a time. */
export class StepTerminalLinkProvider implements vscode.TerminalLinkProvider<StepTerminalLink> {
  provideTerminalLinks(context: vscode.TerminalLinkContext): StepTerminalLink[] {
    const links = LINKED_ID_KINDS.flatMap((kind) => {
      const target = linkTarget(kind);
      return kind.find(context.line, MAX_LINKS_PER_TERMINAL_LINE).map((m) => ({ startIndex: m.start, length: kind.length, tooltip: target.tooltip, id: m.id, command: target.command }));
    });
    return links.sort((a, b) => a.startIndex - b.startIndex).slice(0, MAX_LINKS_PER_TERMINAL_LINE);
  }

  async handleTerminalLink(link: StepTerminalLink): Promise<void> {
    await vscode.commands.executeCommand(link.command, link.id);
  }
}

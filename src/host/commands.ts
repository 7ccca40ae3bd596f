/**
 * The trace commands: open, documents, copy, save/open file, compare, log. Each command about a step
 * takes `string | { stepId: string }` first (tree items and hover links pass those), else asks.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errorMessage';
import type { LoadedTrace } from '../core/lettaTypes';
import { describeStepIdProblem, parseStepIdInput, shortStepId } from '../core/stepIds';
import { parseTraceFile, serializeTraceFile } from '../core/traceFile';
import type { TracePart } from '../core/traceUri';
import { stepIdAtEditor, stepIdFromCommandArg } from './stepLinksCursor';
import { traceDocumentUri } from './traceDocuments';
import { openRequestAndResponse, type ConfiguredTraceOpener } from './traceOpener';
import type { CachedTraceStore } from './traceStore';

export interface CommandDeps {
  log: vscode.LogOutputChannel;
  store: CachedTraceStore;
  opener: ConfiguredTraceOpener;
}

export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const { log, store, opener } = deps;

  /** The step a command is about: its argument, else asked for (defaulting to the editor or clipboard). */
  async function resolveStep(arg: unknown, title: string): Promise<string | undefined> {
    if (arg !== undefined) {
      const fromArg = stepIdFromCommandArg(arg);
      if (fromArg) {
        return fromArg;
      }
    }
    return askStepId(title);
  }

  async function withTrace(arg: unknown, title: string, run: (trace: LoadedTrace) => Promise<void>): Promise<void> {
    const stepId = await resolveStep(arg, title);
    const trace = stepId ? await store.load(stepId) : undefined;
    if (trace) {
      await run(trace);
    }
  }

  const openPart = (part: TracePart) => (arg: unknown) =>
    withTrace(arg, vscode.l10n.t('Open {0} JSON', part), async (trace) => {
      await vscode.window.showTextDocument(traceDocumentUri(trace.stepId, part), { preview: false });
      store.noteOpened(trace);
    });

  const register = (id: string, run: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, run));

  register('letta.openStepTrace', async (arg: unknown) => {
    const stepId = await resolveStep(arg, vscode.l10n.t('Open Step Trace'));
    if (stepId) {
      await opener.open(stepId);
    }
  });
  register('letta.openRequestJson', openPart('request'));
  register('letta.openResponseJson', openPart('response'));
  register('letta.openMetadataJson', openPart('metadata'));
  register('letta.openTraceDocuments', (arg: unknown) =>
    withTrace(arg, vscode.l10n.t('Open Trace as JSON Documents'), async (trace) => {
      await openRequestAndResponse(trace.stepId);
      store.noteOpened(trace);
    }),
  );

  register('letta.copyStepId', async (arg: unknown) => {
    const stepId = await resolveStep(arg, vscode.l10n.t('Copy Step ID'));
    if (stepId) {
      await vscode.env.clipboard.writeText(stepId);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', stepId), 3000);
    }
  });

  register('letta.saveTraceAs', (arg: unknown) =>
    withTrace(arg, vscode.l10n.t('Save Step Trace As…'), async (trace) => {
      const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri ?? vscode.Uri.file(os.homedir());
      const target = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Save trace of {0}', trace.stepId),
        defaultUri: vscode.Uri.joinPath(folder, `${trace.stepId}.json`),
        filters: { JSON: ['json'] },
      });
      if (!target) {
        return;
      }
      try {
        await vscode.workspace.fs.writeFile(target, Buffer.from(serializeTraceFile(trace), 'utf8'));
        log.info(`Saved ${trace.stepId} to ${target.fsPath}.`);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Saved trace to {0}', target.fsPath), 4000);
      } catch (e) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not save the trace: {0}', errorMessage(e)));
      }
    }),
  );

  register('letta.openTraceFile', async (arg: unknown) => {
    const uri =
      arg instanceof vscode.Uri
        ? arg
        : (await vscode.window.showOpenDialog({ title: vscode.l10n.t('Open a saved Letta trace'), canSelectMany: false, filters: { JSON: ['json'] } }))?.[0];
    if (!uri) {
      return;
    }
    let text: string;
    try {
      text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not read {0}: {1}', uri.fsPath, errorMessage(e)));
      return;
    }
    const parsed = parseTraceFile(text);
    if (!parsed.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not a Letta trace: {1}', uri.fsPath, parsed.error));
      return;
    }
    await opener.show({ stepId: parsed.stepId, trace: parsed.trace, step: parsed.step, source: { kind: 'file', path: uri.fsPath }, loadedAt: Date.now() });
  });

  register('letta.compareWith', async (arg: unknown) => {
    const first = await resolveStep(arg, vscode.l10n.t('Compare: first step'));
    if (!first) {
      return;
    }
    const second = await pickOtherStep(first, store.cachedStepIds().flatMap((id) => store.peekQuietly(id) ?? []));
    if (!second) {
      return;
    }
    const [a, b] = [await store.load(first), await store.load(second)];
    if (a && b) {
      await vscode.commands.executeCommand(
        'vscode.diff',
        traceDocumentUri(a.stepId, 'request'),
        traceDocumentUri(b.stepId, 'request'),
        vscode.l10n.t('Request: {0} ↔ {1}', shortStepId(a.stepId), shortStepId(b.stepId)),
      );
    }
  });

  register('letta.showLog', () => log.show());
}

/** The input box for a step ID, validating as the user types, with a default from the editor or the clipboard. */
async function askStepId(title: string): Promise<string | undefined> {
  const fromEditor = stepIdAtEditor(vscode.window.activeTextEditor);
  const fromClipboard = fromEditor ? undefined : parseStepIdInput((await vscode.env.clipboard.readText()).slice(0, 200));
  const value = await vscode.window.showInputBox({
    title: `Letta: ${title}`,
    prompt: vscode.l10n.t('The ID of a step, as in the Letta logs and API: step-<uuid>'),
    placeHolder: 'step-3f2b1c9e-8a7d-4e6f-9b1a-2c3d4e5f6a7b',
    value: fromEditor ?? fromClipboard ?? '',
    ignoreFocusOut: true,
    validateInput: (input) => describeStepIdProblem(input),
  });
  return value === undefined ? undefined : parseStepIdInput(value);
}

/** A second step for a diff: one already loaded (newest first, with its model and source), or a typed ID. */
async function pickOtherStep(first: string, loaded: LoadedTrace[]): Promise<string | undefined> {
  const others = loaded.filter((t) => t.stepId !== first);
  if (others.length === 0) {
    return askStepId(vscode.l10n.t('Compare with step'));
  }
  const typeOne: vscode.QuickPickItem = { label: vscode.l10n.t('$(edit) Enter a step ID…'), alwaysShow: true };
  const items: (vscode.QuickPickItem & { stepId?: string })[] = [
    ...others.map((t) => ({ label: t.stepId, description: describeLoaded(t), stepId: t.stepId })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    typeOne,
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Compare {0} with…', shortStepId(first)), matchOnDescription: true });
  return picked === typeOne ? askStepId(vscode.l10n.t('Compare with step')) : picked?.stepId;
}

/** "model · where it came from", for pick lists. */
function describeLoaded(t: LoadedTrace): string {
  const model = t.trace.llm_config?.model ?? t.trace.request_json.model ?? t.step?.model;
  const where = t.source.kind === 'file' ? vscode.l10n.t('file') : t.source.origin;
  return [typeof model === 'string' ? model : undefined, where].filter(Boolean).join(' · ');
}

/** The palette commands of the core flow: open, key, server, documents, save/open file, compare. */
import * as vscode from 'vscode';
import { normalizeBaseUrl } from '../core/baseUrl';
import type { LoadedTrace } from '../core/lettaTypes';
import { describeStepIdProblem, parseStepIdInput, shortStepId } from '../core/stepIds';
import { parseTraceFile, serializeTraceFile } from '../core/traceFile';
import type { TracePart } from '../core/traceUri';
import type { ApiKeys } from './apiKeys';
import type { ApiProvider } from './contracts';
import { errorMessage } from './errors';
import { readBaseUrl } from './settings';
import { stepIdAtEditor, stepIdFromCommandArg } from './stepLinksCursor';
import { traceDocumentUri } from './traceDocuments';
import { openRequestAndResponse, type ConfiguredTraceOpener } from './traceOpener';
import type { CachedTraceStore } from './traceStore';

export interface CommandDeps {
  log: vscode.LogOutputChannel;
  store: CachedTraceStore;
  api: ApiProvider;
  keys: ApiKeys;
  opener: ConfiguredTraceOpener;
}

export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const { log, store, api, keys, opener } = deps;

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

  register('letta.setApiKey', async (): Promise<boolean> => {
    const origin = api.origin;
    const key = await keys.prompt(origin);
    if (typeof key === 'string') {
      log.info(`API key saved for ${origin}.`);
      void vscode.window.showInformationMessage(vscode.l10n.t('API key saved for {0}.', origin));
      return true;
    }
    return false;
  });

  register('letta.signOut', async () => {
    const origin = api.origin;
    const forget = vscode.l10n.t('Forget Key');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Forget the API key for {0}?', origin), { modal: true }, forget);
    if (choice === forget) {
      await keys.delete(origin);
      log.info(`API key forgotten for ${origin}.`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of {0}.', origin));
    }
  });

  register('letta.changeServer', async (arg: unknown) => {
    const current = readBaseUrl();
    const typed =
      typeof arg === 'string'
        ? arg
        : await vscode.window.showInputBox({
            title: vscode.l10n.t('Letta server'),
            prompt: vscode.l10n.t('Letta Cloud is https://api.letta.com; a self-hosted server is usually http://localhost:8283. Keys are kept per server.'),
            value: current,
            ignoreFocusOut: true,
            validateInput: (value) => {
              const base = normalizeBaseUrl(value);
              return base.ok ? undefined : base.error;
            },
          });
    if (typed === undefined) {
      return;
    }
    const base = normalizeBaseUrl(typed);
    if (!base.ok) {
      void vscode.window.showErrorMessage(base.error);
      return;
    }
    await vscode.workspace.getConfiguration('letta').update('baseUrl', base.apiBase, vscode.ConfigurationTarget.Global);
    log.info(`Server changed to ${base.origin}.`);
    if (!(await keys.get(base.origin)) && !keys.isNoKey(base.origin)) {
      const setKey = vscode.l10n.t('Set API Key');
      void vscode.window.showInformationMessage(vscode.l10n.t('Now reading {0}. Keys are kept per server: set the key for this one.', base.origin), setKey).then((c) => {
        if (c === setKey) {
          void vscode.commands.executeCommand('letta.setApiKey');
        }
      });
    }
  });

  register('letta.saveTraceAs', (arg: unknown) =>
    withTrace(arg, vscode.l10n.t('Save Step Trace As…'), async (trace) => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Save trace of {0}', trace.stepId),
        defaultUri: folder ? vscode.Uri.joinPath(folder, `${trace.stepId}.json`) : undefined,
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
    const second = await pickOtherStep(first, store.cachedStepIds());
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

/** A second step for a diff: one already loaded, or a typed ID. */
async function pickOtherStep(first: string, cached: string[]): Promise<string | undefined> {
  const others = cached.filter((id) => id !== first);
  if (others.length === 0) {
    return askStepId(vscode.l10n.t('Compare with step'));
  }
  const typeOne = vscode.l10n.t('Enter a step ID…');
  const picked = await vscode.window.showQuickPick([...others, typeOne], { title: vscode.l10n.t('Compare {0} with…', shortStepId(first)) });
  return picked === typeOne ? askStepId(vscode.l10n.t('Compare with step')) : picked;
}

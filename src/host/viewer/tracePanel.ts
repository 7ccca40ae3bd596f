/**
 * One trace viewer panel: its HTML shell, the messages it is sent, and what it asks the host to do.
 * Trace text never goes into the HTML; it is posted after the webview says `ready`.
 */
import * as vscode from 'vscode';
import { webviewShellAssets } from './webviewShell';
import { copyFromPage, handlePageRequest } from './pageMessages';
import { errorMessage } from '../../core/errorMessage';
import type { LoadedTrace, TraceSource } from '../../core/lettaTypes';
import type { MemoryBudget } from '../../core/memoryBudget';
import { traceKey } from '../../core/traceSource';
import { PanelPosts } from '../../core/viewer/panelPosts';
import { RUN_IDS, shortStepId } from '../../core/stepIds';
import type { FeedbackState, HostMessage, TraceAction, WebviewMessage } from '../../shared/protocol';
import type { Step } from '../../core/lettaTypes';
import { feedbackState } from '../../core/stepFeedback';
import type { StepFeedbackService } from '../feedback/stepFeedback';
import { traceHtml } from '../../core/viewer/traceHtml';
import { panelTitle } from '../../core/viewer/panelTitle';
import { summarizeTrace } from '../../core/stepSummary';
import type { TraceStore } from '../contracts';
import type { StepContextLater } from '../../core/context/stepContext';
import { buildTraceData, isOpenableUrl } from '../../core/viewer/tracePayload';
import { firstPost } from '../../core/viewer/tracePaging';
import { describeOpenTimings, type OpenTimings } from '../../core/viewer/openTimings';
import { answerRequest, holdTrace, isTraceRequest, type HeldTrace, type TraceRequest } from '../../core/viewer/traceRequests';
import type { TraceFind } from '../../core/viewer/traceFind';
import { findModule } from './findBundle';
import { curlCommand } from '../../core/curlCommand';
import { normalizeBaseUrl } from '../../core/baseUrl';
import { readSettings } from '../settings';

export interface TracePanelDeps {
  log: vscode.LogOutputChannel;
  store: TraceStore;
  /** The context window and cost of a step, counted off the extension host's thread. */
  context: (trace: LoadedTrace) => Promise<StepContextLater>;
  /** The one memory budget: the pieces waiting for the webview count there. */
  budget: MemoryBudget;
  /** Sends a thumb from the header; undefined when it failed (the user was told). */
  feedback: Pick<StepFeedbackService, 'set'>;
}

const ACTION_COMMANDS: Partial<Record<TraceAction, string>> = {
  openDocuments: 'letta.openTraceDocuments',
  save: 'letta.saveTraceAs',
  compare: 'letta.compareWith',
  copyMarkdown: 'letta.copyStepMarkdown',
  feedbackTags: 'letta.feedbackTags',
};

/** The context window is counted this long after a trace is shown when its page has not painted it by then. */
const COUNT_FALLBACK_MS = 3000;

/** Numbers the panels, for their entries in the memory budget. */
let panelCount = 0;

/** One open panel and the trace it shows. */
export class TracePanel implements vscode.Disposable {
  private shown: LoadedTrace | undefined;
  /** The `context` message of the shown trace, once counted; `contextOf` is the trace it was counted for. */
  private context: HostMessage | undefined;
  private contextOf: LoadedTrace | undefined;
  /** The context window and cost of `contextOf`, once counted (for Copy as Markdown). */
  private later: StepContextLater | undefined;
  /** The step's feedback as the server last confirmed it, when it changed while shown. */
  private feedbackMessage: HostMessage | undefined;
  private confirmed: FeedbackState | undefined;
  /** What was posted is let go once the webview has it; a webview that loads again gets it rebuilt. */
  private readonly posts: PanelPosts;
  /** The whole of what the page may ask for, kept here: only what the screen needs is posted. */
  private held: HeldTrace | undefined;
  /** The first post of the shown trace (bounded in size, so kept to resend on a reload). */
  private first: HostMessage | undefined;
  /** When the panel was created and when the shown trace was posted, for the timing log. */
  private readonly createdAt = Date.now();
  private postedAt = 0;
  private readyAt: number | undefined;
  /** The first trace shown here, timed phase by phase until its first paint (only when logging at debug). */
  private timing: (Omit<OpenTimings, 'sentAt' | 'paintedAt' | 'pageMs'> & { sentAt?: number }) | undefined;
  private timed = false;
  /** The trace whose context window waits for its first paint, and the fallback timer. */
  private countWaiting: LoadedTrace | undefined;
  private countTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether a trace (or an error) was ever shown here; an early panel is closed if not. */
  everShown = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** This panel's entries in the memory budget are named after it. */
  private readonly budgetKey: string;
  /** The page's find, run here over the whole trace, in slices between the host's other work. */
  private finder: Promise<{ find: TraceFind; isFindRequest: (m: WebviewMessage) => boolean }> | undefined;

  constructor(
    readonly stepId: string,
    /** Where the trace comes from: refresh reloads from there. */
    private source: TraceSource | undefined,
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly deps: TracePanelDeps,
    onDispose: () => void,
  ) {
    this.budgetKey = `${++panelCount}\n${source ? traceKey(stepId, source) : stepId}`;
    this.posts = new PanelPosts(deps.budget, this.budgetKey, (messages) => this.send(messages));
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.title = shortStepId(stepId);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'letta.svg');
    panel.webview.html = this.html();
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((m: WebviewMessage) => void this.receive(m)),
      panel.onDidDispose(() => {
        onDispose();
        this.dispose();
      }),
    );
  }

  /** The trace on screen (the same object as in the cache while it is there). */
  get trace(): LoadedTrace | undefined {
    return this.shown;
  }

  show(trace: LoadedTrace): void {
    this.everShown = true;
    this.hold(trace);
    this.source = trace.source;
    this.panel.title = panelTitle(trace.stepId, summarizeTrace(trace.trace, trace.step).model);
    if (this.contextOf !== trace) {
      this.contextOf = trace;
      this.context = undefined;
      this.later = undefined;
      this.feedbackMessage = undefined;
      this.confirmed = undefined;
      // Counted once the first screen is painted: its set-up (a second normalise, the texts handed to
      // the worker) takes the host's thread for most of a second on a large trace, and the first
      // post must not wait behind it. A page that never paints (hidden) gets it a little later.
      this.countAfterPaint(trace);
    }
    const started = Date.now();
    const data = buildTraceData(trace, { raw: false });
    const normalised = Date.now();
    void this.finder?.then(({ find }) => find.stop());
    this.held = holdTrace(trace, data.conversation.messages);
    const first: HostMessage = { type: 'trace', data: firstPost(data) };
    this.first = first;
    this.deps.log.debug(
      `Trace viewer: ${trace.stepId} normalised in ${normalised - started} ms, first post built in ${Date.now() - normalised} ms (${data.conversation.messages.length} messages, ${first.data.omitted?.count ?? 0} on request); panel created ${started - this.createdAt} ms before.`,
    );
    this.postedAt = Date.now();
    if (!this.timed && this.deps.log.logLevel <= vscode.LogLevel.Debug) {
      // Serialised again only to weigh it, and only when someone reads the debug log.
      this.timing = {
        createdAt: this.createdAt,
        readyAt: this.readyAt,
        shownAt: started,
        normaliseMs: normalised - started,
        firstPostMs: this.postedAt - normalised,
        firstPostBytes: Buffer.byteLength(JSON.stringify(first)),
        messages: data.conversation.messages.length,
        onRequest: first.data.omitted?.count ?? 0,
      };
    }
    this.timed = true;
    const build = () => [...(this.first ? [this.first] : []), ...(this.context ? [this.context] : []), ...(this.feedbackMessage ? [this.feedbackMessage] : [])];
    this.posts.show({ messages: build(), rebuild: build });
  }

  private countAfterPaint(trace: LoadedTrace): void {
    clearTimeout(this.countTimer);
    this.countWaiting = trace;
    this.countTimer = setTimeout(() => this.startCount(), COUNT_FALLBACK_MS);
  }

  /** Starts the count of the trace waiting for it, if any (on `painted`, or when the fallback fires). */
  private startCount(): void {
    clearTimeout(this.countTimer);
    const trace = this.countWaiting;
    this.countWaiting = undefined;
    if (trace && this.shown === trace) {
      this.countContext(trace);
    }
  }

  /** Counted in a worker: the trace shows at once, the context window and cost follow (and are rebuilt with it). */
  private countContext(trace: LoadedTrace): void {
    void this.deps.context(trace).then(
      (context) => {
        if (this.shown === trace) {
          this.later = context;
          this.context = { type: 'context', stepId: trace.stepId, context };
          this.posts.add(this.context);
        }
      },
      (e: unknown) => this.deps.log.warn(`Trace viewer: no context window for ${trace.stepId}: ${errorMessage(e)}`),
    );
  }

  /** The context window and cost of the shown trace, if counted already. */
  computedContext(): StepContextLater | undefined {
    return this.contextOf === this.shown ? this.later : undefined;
  }

  /** The server accepted new feedback on this panel's step: the header shows it (and so does a reload). */
  feedbackChanged(step: Step): void {
    this.confirmed = feedbackState(step);
    this.postFeedback(this.confirmed);
  }

  private postFeedback(state: FeedbackState): void {
    this.feedbackMessage = { type: 'feedback', stepId: this.stepId, state };
    this.posts.add(this.feedbackMessage);
  }

  showError(message: string): void {
    this.everShown = true;
    this.posts.show({ messages: [{ type: 'error', message }] });
  }

  /** Keeps the shown trace in the cache (counted in the budget) while this panel shows it. */
  private hold(trace: LoadedTrace | undefined): void {
    if (this.shown === trace) {
      return;
    }
    if (this.shown) {
      this.deps.store.release(this.shown);
    }
    this.shown = trace;
    if (trace) {
      this.deps.store.put(trace);
      this.deps.store.hold(trace);
    }
  }

  private send(messages: HostMessage[]): void {
    for (const message of messages) {
      if (message.type === 'trace' && this.timing && this.timing.sentAt === undefined) {
        this.timing.sentAt = Date.now();
      }
      void this.panel.webview.postMessage(message);
    }
  }

  private async receive(message: WebviewMessage): Promise<void> {
    switch (message?.type) {
      case 'ready':
        this.readyAt ??= Date.now();
        if (this.timing) {
          this.timing.readyAt ??= this.readyAt;
        }
        this.deps.log.debug(`Trace viewer: ${this.stepId} webview ready ${Date.now() - this.createdAt} ms after the panel was created.`);
        this.posts.onReady();
        return;
      case 'copy':
        await copyFromPage(message);
        return;
      case 'openLink':
        if (typeof message.url === 'string' && isOpenableUrl(message.url)) {
          await vscode.env.openExternal(vscode.Uri.parse(message.url, true));
        } else {
          this.deps.log.warn('The trace viewer refused to open a link that is not http or https.');
        }
        return;
      case 'action':
        await this.runAction(message.action);
        return;
      case 'feedback':
        await this.sendFeedback(message.feedback);
        return;
      case 'requestMessages':
      case 'rawNode':
      case 'rawString':
      case 'copyRaw':
        if (isTraceRequest(message)) {
          await this.answer(message);
        }
        return;
      case 'find':
      case 'findMatch':
      case 'findPrepare':
        if (this.held) {
          const { find, isFindRequest } = await this.findSession();
          if (this.held && isFindRequest(message)) {
            await find.handle(this.held, message);
          }
        }
        return;
      case 'painted':
        if (message.stepId === this.shown?.stepId) {
          // Next task: the paint's timing line first, then the count's set-up.
          setTimeout(() => this.startCount(), 0);
        }
        if (this.timing?.sentAt !== undefined) {
          this.deps.log.debug(describeOpenTimings(this.stepId, { ...this.timing, sentAt: this.timing.sentAt, paintedAt: Date.now(), pageMs: Number(message.ms) }));
          this.timing = undefined;
        } else {
          this.deps.log.debug(`Trace viewer: ${this.stepId} first screen painted ${Date.now() - this.postedAt} ms after the trace was shown (${Number(message.ms)} ms in the page).`);
        }
        return;
      default:
        this.deps.log.warn(`The trace viewer sent an unknown message: ${String((message as { type?: unknown })?.type)}`);
    }
  }

  private async sendFeedback(feedback: unknown): Promise<void> {
    if (feedback !== 'positive' && feedback !== 'negative' && feedback !== null) {
      this.deps.log.warn(`The trace viewer sent feedback that is not positive, negative or none: ${JSON.stringify(feedback)}`);
      return;
    }
    const updated = this.shown?.source.kind === 'server' ? await this.deps.feedback.set(this.stepId, feedback) : undefined;
    if (!updated) {
      // Nothing changed: the buttons show the step's feedback as it was, and can be used again.
      this.postFeedback(this.confirmed ?? feedbackState(this.shown?.step));
    }
  }

  /** The page's find, run here over the whole trace in slices between the host's other work; its code loads with the first search. */
  private findSession(): Promise<{ find: TraceFind; isFindRequest: (m: WebviewMessage) => boolean }> {
    this.finder ??= findModule().then((m) => ({
      isFindRequest: m.isFindRequest,
      find: new m.TraceFind(
        (message) => this.send([message]),
        () => new Promise<void>((resolve) => setImmediate(resolve)),
        ({ total, ms, longestSliceMs, indexed }) =>
          this.deps.log.debug(`Trace viewer: find counted ${total} matches in ${Math.round(ms)} ms${indexed ? ' from the text index' : ''} (longest slice ${Math.round(longestSliceMs)} ms).`),
        // The trace's text index counts in the one memory budget, which may drop it (the next search builds it again).
        (bytes, drop) => (bytes === undefined ? this.deps.budget.remove(`find\n${this.budgetKey}`) : this.deps.budget.add(`find\n${this.budgetKey}`, bytes, drop)),
      ),
    }));
    return this.finder;
  }

  /** Answers the page's requests for what the first post left in the host. */
  private async answer(message: TraceRequest): Promise<void> {
    if (!this.held) {
      return;
    }
    const { post, copy } = answerRequest(this.held, message);
    if (post) {
      this.send([post]);
    }
    if (copy !== undefined && message.type === 'copyRaw') {
      await vscode.env.clipboard.writeText(copy);
      vscode.window.setStatusBarMessage(vscode.l10n.t('{0} copied', String(message.label || 'Value')), 3000);
    }
  }

  private async runAction(action: TraceAction): Promise<void> {
    await handlePageRequest(this.deps.log, `Trace viewer action ${action}`, async () => {
      if (action === 'refresh') {
        this.posts.show({ messages: [{ type: 'loading' }] });
        const fresh = await this.deps.store.load(this.stepId, { refresh: true, source: this.source, retry: () => this.runAction('refresh') });
        if (fresh) {
          this.show(fresh);
        } else if (this.shown) {
          // The store already told the user why; keep showing what we had.
          this.show(this.shown);
        } else {
          this.showError(vscode.l10n.t('The trace could not be loaded. Check the notification, then refresh to try again.'));
        }
        return;
      }
      if (action === 'copyCurl') {
        const origin = this.shown?.source.kind === 'server' ? this.shown.source.origin : undefined;
        if (!origin) {
          void vscode.window.showInformationMessage(vscode.l10n.t('This trace was read from a file, so there is no server to fetch it from.'));
          return;
        }
        // The configured server's full address (a path prefix) and project, when the trace is from it.
        const settings = readSettings();
        const base = normalizeBaseUrl(settings.baseUrl);
        const current = base.ok && base.origin === origin;
        await vscode.env.clipboard.writeText(curlCommand({ baseUrl: current ? base.apiBase : origin, stepId: this.stepId, project: current ? settings.project : undefined }));
        vscode.window.setStatusBarMessage(vscode.l10n.t('cURL command copied (it reads the key from $LETTA_API_KEY)'), 4000);
        return;
      }
      if (action === 'openRun') {
        // The run of this step, from its trace or its step record; only a well-formed ID is passed on.
        const runId = [this.shown?.trace.run_id, this.shown?.step?.run_id].find((id): id is string => typeof id === 'string' && RUN_IDS.is(id));
        if (runId) {
          await vscode.commands.executeCommand('letta.openRun', runId);
        }
        return;
      }
      const command = ACTION_COMMANDS[action];
      if (command) {
        // The trace itself: the action works on this panel's source, not on whatever the server has.
        await vscode.commands.executeCommand(command, this.shown ?? { stepId: this.stepId, source: this.source });
      } else {
        this.deps.log.warn(`The trace viewer asked for an unknown action: ${String(action)}`);
      }
    });
  }

  private html(): string {
    return traceHtml({ ...webviewShellAssets(this.panel.webview, this.extensionUri, 'webview'), stepId: this.stepId });
  }

  dispose(): void {
    clearTimeout(this.countTimer);
    this.countWaiting = undefined;
    this.posts.dispose();
    void this.finder?.then(({ find }) => find.stop());
    this.held = undefined;
    this.first = undefined;
    this.hold(undefined);
    for (const d of this.subscriptions.splice(0)) {
      d.dispose();
    }
  }
}

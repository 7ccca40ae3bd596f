/**
 * What the chat tools and `@letta` fetch, as Markdown: a step's account, a run's, a list of steps,
 * a step's context window, two steps compared. Each returns text, never throws: a failure is text a
 * model can act on (failures.ts). Everything goes through the same client, cache, consent and
 * per-origin key as the rest of the extension, never prompts, and has the key scrubbed out.
 */
import * as vscode from 'vscode';
import type { StepListQuery } from '../../core/chat/stepListAccount';
import type { StepContextLater } from '../../core/context/stepContext';
import { isLettaApiError, type LettaApi } from '../../core/lettaApi';
import { AGENT_IDS, RUN_IDS, STEP_IDS, type IdKind } from '../../core/lettaIds';
import type { LoadedTrace, Step } from '../../core/lettaTypes';
import { createScrubber } from '../../core/secretScrub';
import type { ApiProvider, TraceStore } from '../contracts';
import { localized } from '../../core/localization';
import { runsModule } from '../runs/runsBundle';

export interface ChatDeps {
  api: ApiProvider;
  store: TraceStore;
  log: vscode.LogOutputChannel;
  /** The stored key of `origin`, only to scrub it out of every text (it is never put in one). */
  keyOf: (origin: string) => Thenable<string | undefined>;
  /** The context window and cost of a step (tokens counted off the host's thread). */
  stepContext: (loaded: LoadedTrace) => Promise<StepContextLater>;
}

/** A gathered text and whether it holds data (false: it says why not). */
export interface Gathered {
  ok: boolean;
  text: string;
}

interface Loaded extends Gathered {
  loaded: LoadedTrace;
}

/** Traces of a run read for its account: the first ones, so a 200-step run stays a few dozen requests. */
export const RUN_TRACES_READ = 40;
const RUN_STEPS_READ = 500;
const LIST_LIMIT_DEFAULT = 20;
const LIST_LIMIT_MAX = 100;

function abortOn(token: vscode.CancellationToken | undefined): AbortSignal | undefined {
  if (!token) {
    return undefined;
  }
  const abort = new AbortController();
  if (token.isCancellationRequested) {
    abort.abort();
  } else {
    token.onCancellationRequested(() => abort.abort());
  }
  return abort.signal;
}

/** The accounts from `dist/chat.js`, the run model from `dist/runs.js`, on first use (see esbuild.js). */
export const accounts = async () => localized(await import('../../core/chat/chatModule'));

function fail(text: string): Gathered {
  return { ok: false, text };
}

export class ChatData {
  constructor(private readonly deps: ChatDeps) {}

  /** The server's host, for invocation messages. */
  get host(): string {
    try {
      return new URL(this.deps.api.origin).host;
    } catch {
      return this.deps.api.origin;
    }
  }

  /** The trace of one step as a bounded account, with its context window and cost when they can be counted. */
  step(input: unknown, token?: vscode.CancellationToken): Promise<Gathered> {
    return this.guard('step', input, async (stepId, api) => {
      const loaded = await this.loadTrace(api, stepId, token);
      return { ok: true, text: (await accounts()).stepAccount(loaded, await this.later(loaded)) };
    }, STEP_IDS, token);
  }

  /** Where a step's tokens went. */
  context(input: unknown, token?: vscode.CancellationToken): Promise<Gathered> {
    return this.guard('step', input, async (stepId, api) => {
      const loaded = await this.loadTrace(api, stepId, token);
      const later = await this.later(loaded);
      return later ? { ok: true, text: (await accounts()).contextAccount(loaded, later) } : fail(vscode.l10n.t('The context window of {0} could not be counted: the Letta log has details.', stepId));
    }, STEP_IDS, token);
  }

  /** Two steps: what changed between their requests, and each one's account. */
  async compare(first: unknown, second: unknown, token?: vscode.CancellationToken): Promise<Gathered> {
    const a = await this.loadStep(first, token);
    if (!('loaded' in a)) {
      return a;
    }
    const b = await this.loadStep(second, token);
    if (!('loaded' in b)) {
      return b;
    }
    return this.scrubbed({ ok: true, text: (await accounts()).compareAccount(a.loaded, b.loaded) });
  }

  private loadStep(input: unknown, token?: vscode.CancellationToken): Promise<Loaded | Gathered> {
    return this.guard<Loaded>('step', input, async (stepId, api) => ({ ok: true, text: '', loaded: await this.loadTrace(api, stepId, token) }), STEP_IDS, token);
  }

  /**
   * The trace through the shared cache. The server answers `null` both for a step with no trace and
   * for an unknown step: the step's record tells them apart, so the model hears "not found" for a typo.
   */
  private async loadTrace(api: LettaApi, stepId: string, token?: vscode.CancellationToken): Promise<LoadedTrace> {
    const signal = abortOn(token);
    try {
      return await this.deps.store.loadQuietly(stepId, { signal });
    } catch (e) {
      if (isLettaApiError(e, 'no-trace')) {
        const missing = await api.getStep(stepId, { signal, maxRetries: 0 }).then(
          () => undefined,
          (stepError: unknown) => (isLettaApiError(stepError, 'not-found') ? stepError : undefined),
        );
        throw missing ?? e;
      }
      throw e;
    }
  }

  /** A run's steps in order, with tool calls, changes between steps and totals. */
  run(input: unknown, token?: vscode.CancellationToken): Promise<Gathered> {
    return this.guard('run', input, async (runId, api) => {
      const signal = abortOn(token);
      const [run, steps, usage] = await Promise.all([
        api.getRun(runId, { signal }),
        api.listRunSteps(runId, { maxSteps: RUN_STEPS_READ }, { signal }),
        api.getRunUsage(runId, { signal, maxRetries: 0 }).catch((e: unknown) => {
          this.deps.log.debug(`Run ${runId}: no usage (${String(e)}).`);
          return undefined;
        }),
      ]);
      const [{ runAccount }, { RunTracker }] = await Promise.all([accounts(), runsModule()]);
      const tracker = new RunTracker(run, steps.steps, { usage, truncated: steps.truncated });
      const wanted = steps.steps.slice(0, RUN_TRACES_READ).map((s) => s.id);
      await eachLimited(wanted, 4, async (stepId) => {
        try {
          const loaded = await this.deps.store.loadQuietly(stepId, { signal });
          tracker.setTrace(stepId, { kind: 'loaded', trace: loaded.trace });
        } catch (e) {
          if (isLettaApiError(e, 'cancelled')) {
            throw e;
          }
          tracker.setTrace(stepId, isLettaApiError(e, 'no-trace') ? { kind: 'none' } : { kind: 'error', message: isLettaApiError(e) ? e.message : String(e) });
        }
      });
      return { ok: true, text: runAccount(tracker.model(), api.origin) };
    }, RUN_IDS, token);
  }

  /** Recent steps of an agent (or a run's), with their summaries. */
  steps(input: { agentId?: unknown; runId?: unknown; feedback?: unknown; limit?: unknown }, token?: vscode.CancellationToken): Promise<Gathered> {
    return this.guard('agent', input.agentId, async (agentId, api) => {
      const rawRun = typeof input.runId === 'string' ? input.runId.trim() : input.runId === undefined || input.runId === null ? '' : JSON.stringify(input.runId);
      const runId = rawRun === '' ? undefined : RUN_IDS.parseInput(rawRun);
      if (rawRun !== '' && !runId) {
        return fail((await accounts()).malformedIdFailure(RUN_IDS, rawRun));
      }
      const feedback = input.feedback === 'positive' || input.feedback === 'negative' ? input.feedback : undefined;
      const asked = typeof input.limit === 'number' && Number.isFinite(input.limit) ? Math.floor(input.limit) : LIST_LIMIT_DEFAULT;
      const query: StepListQuery = { agentId, limit: Math.min(LIST_LIMIT_MAX, Math.max(1, asked)) };
      if (runId) {
        query.runId = runId;
      }
      if (feedback) {
        query.feedback = feedback;
      }
      const signal = abortOn(token);
      let steps: Step[];
      if (runId) {
        steps = (await api.listRunSteps(runId, { maxSteps: RUN_STEPS_READ }, { signal })).steps.filter((s) => !s.agent_id || s.agent_id === agentId);
      } else {
        steps = await api.listSteps({ agentId, limit: query.limit, order: 'desc', ...(feedback ? { feedback } : {}) }, { signal });
      }
      // A server that ignores the filter still gives only what was asked for.
      const kept = steps.filter((s) => !feedback || s.feedback === feedback).slice(0, query.limit);
      return { ok: true, text: (await accounts()).stepListAccount(kept, query, api.origin) };
    }, AGENT_IDS, token);
  }

  /** The context window and cost, or undefined when they could not be worked out (logged). */
  private async later(loaded: LoadedTrace): Promise<StepContextLater | undefined> {
    try {
      return await this.deps.stepContext(loaded);
    } catch (e) {
      this.deps.log.warn(`Chat: the context of ${loaded.stepId} could not be counted: ${String(e)}`);
      return undefined;
    }
  }

  /** Checks the ID and the server, runs `work`, and turns every failure into text; the key is scrubbed from all of it. */
  private async guard<R extends Gathered>(noun: string, input: unknown, work: (id: string, api: LettaApi) => Promise<R | Gathered>, kind: IdKind, token?: vscode.CancellationToken): Promise<R | Gathered> {
    const raw = typeof input === 'string' ? input : input === undefined || input === null ? '' : JSON.stringify(input);
    const { accessFailure, malformedIdFailure, requestFailure } = await accounts();
    const id = kind.parseInput(raw);
    if (!id) {
      return fail(malformedIdFailure(kind, raw));
    }
    let result: R | Gathered;
    try {
      const access = await this.deps.api.access();
      if (access.kind !== 'ready') {
        result = fail(accessFailure(access));
      } else {
        const api = await this.deps.api.getApi({ prompt: false });
        result = api ? await work(id, api) : fail(requestFailure(new Error(vscode.l10n.t('No usable server or API key is set.')), noun, id));
      }
    } catch (e) {
      this.deps.log.info(`Chat: ${noun} ${id}: ${isLettaApiError(e) ? e.kind : 'failed'}.`);
      result = fail(token?.isCancellationRequested ? vscode.l10n.t('Cancelled.') : requestFailure(e, noun, id));
    }
    return this.scrubbed(result);
  }

  private async scrubbed<R extends Gathered>(result: R): Promise<R> {
    const key = await this.deps.keyOf(this.deps.api.origin);
    return key ? { ...result, text: createScrubber([key])(result.text) } : result;
  }
}

/** Runs `work` on each item, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

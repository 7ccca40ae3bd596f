/**
 * The hover over a step ID or a run ID in any text: the ID, what the server says about it (once
 * known), and command links (a step: open its trace, its request or response JSON, copy it or pin
 * it; a run: open the run view, copy it). The links do not depend on the server: a hover never
 * prompts for a key.
 */
import * as vscode from 'vscode';
import { RUN_IDS, STEP_IDS, idAt } from '../../core/stepIds';
import type { TraceStore } from '../contracts';
import type { StepSummaryCache, SummaryCache, SummaryResult } from '../../core/stepSummaryCache';
import { formatRunSummary, type RunSummary, type RunSummaryCache } from '../../core/runs/runSummary';
import { formatStepSummary, stepUsage, summaryFromLoaded, type StepSummary } from '../../core/stepSummary';
import { costPart, type LazyPrices } from '../../core/context/lazyPrices';
import { statusIcon } from '../../core/stepStatus';

/** The commands a step hover links to, with the step ID as their one argument. */
export const STEP_HOVER_COMMANDS = [
  'letta.openStepTrace',
  'letta.openRequestJson',
  'letta.openResponseJson',
  'letta.copyStepId',
  'letta.pinStep',
] as const;

/** The commands a run hover links to, with the run ID as their one argument. */
export const RUN_HOVER_COMMANDS = ['letta.openRun', 'letta.copyRunId'] as const;

/** Offered (without arguments) when the server cannot be used as it is; never run by the hover itself. */
const ACCESS_FIX_COMMANDS = ['letta.setApiKey', 'letta.allowInsecureKey', 'letta.changeServer'] as const;

/** `command:` link that runs `command` with `args`, as markdown links take it. */
export function commandLink(command: string, args: readonly unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

/** The same as a Uri, as document links take it. */
export function commandUri(command: string, args: readonly unknown[]): vscode.Uri {
  return vscode.Uri.parse(commandLink(command, args));
}

function link(label: string, command: string, args: readonly unknown[], title: string): string {
  return `[${label}](${commandLink(command, args)} "${title}")`;
}

/**
 * How long a hover waits for the server before it shows what it has (the ID, the links, anything
 * cached); the answer still lands in the cache, so the next hover has it.
 */
export const HOVER_WAIT_MS = 300;

/** A summary, or `pending`: the server has not answered within `HOVER_WAIT_MS` (the request goes on). */
export type HoverLookup<S> = SummaryResult<S> | 'pending' | undefined;

/** Builds the hover's markdown: trusted for our commands only, theme icons on, no HTML. */
export function buildStepHoverMarkdown(stepId: string, result: HoverLookup<StepSummary>, cost?: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.isTrusted = { enabledCommands: [...STEP_HOVER_COMMANDS, ...ACCESS_FIX_COMMANDS] };
  md.supportHtml = false;
  // stepId matched the step-ID pattern (hex and dashes), so it is safe inside backticks.
  md.appendMarkdown(`$(debug-step-over) **${vscode.l10n.t('Letta step')}** \`${stepId}\`\n\n`);
  if (result !== 'pending' && result?.kind === 'ok') {
    appendSummaryLine(md, result.summary.status, [...formatStepSummary(result.summary), ...(cost ? [cost] : [])]);
  } else {
    appendProblem(md, result);
  }
  const args = [stepId];
  md.appendMarkdown(
    [
      link(`$(link-external) ${vscode.l10n.t('Open Trace')}`, 'letta.openStepTrace', args, vscode.l10n.t('Open the trace of this step')),
      link(`$(json) ${vscode.l10n.t('Open Request JSON')}`, 'letta.openRequestJson', args, vscode.l10n.t('The request sent to the LLM provider')),
      link(`$(json) ${vscode.l10n.t('Open Response JSON')}`, 'letta.openResponseJson', args, vscode.l10n.t('The response from the LLM provider')),
      link(`$(copy) ${vscode.l10n.t('Copy ID')}`, 'letta.copyStepId', args, vscode.l10n.t('Copy the step ID')),
      link(`$(pin) ${vscode.l10n.t('Pin')}`, 'letta.pinStep', args, vscode.l10n.t('Pin the step in the Letta sidebar')),
    ].join(' · '),
  );
  return md;
}

/** The line of a hover whose details are still on their way (HOVER_WAIT_MS passed). */
export function pendingLine(): string {
  return `$(loading~spin) ${vscode.l10n.t('Asking the server for the details: hover again in a moment.')}\n\n`;
}

/** The hover's line when the server could not be asked (the fix) or failed. */
function appendProblem(md: vscode.MarkdownString, result: HoverLookup<unknown>): void {
  if (result === 'pending') {
    md.appendMarkdown(pendingLine());
  } else if (result?.kind === 'blocked') {
    const { fix } = result;
    const icon = fix.command === 'letta.setApiKey' ? 'key' : fix.command === 'letta.allowInsecureKey' ? 'unlock' : 'server';
    // The fix's title can name the server (from the user's own setting): escaped like any other text.
    md.appendMarkdown(`$(${icon}) ${escapeMarkdown(fix.message)} [${escapeMarkdown(fix.title)}](command:${fix.command})\n\n`);
  } else if (result?.kind === 'error') {
    md.appendMarkdown(`$(warning) ${escapeMarkdown(result.message)}\n\n`);
  }
}

/** The run hover: status, steps, duration and time once known; Open Run and Copy ID. */
export function buildRunHoverMarkdown(runId: string, result: HoverLookup<RunSummary>): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.isTrusted = { enabledCommands: [...RUN_HOVER_COMMANDS, ...ACCESS_FIX_COMMANDS] };
  md.supportHtml = false;
  // runId matched the run-ID pattern (hex and dashes), so it is safe inside backticks.
  md.appendMarkdown(`$(run-all) **${vscode.l10n.t('Letta run')}** \`${runId}\`\n\n`);
  if (result !== 'pending' && result?.kind === 'ok') {
    appendSummaryLine(md, result.summary.status, formatRunSummary(result.summary));
  } else {
    appendProblem(md, result);
  }
  const args = [runId];
  md.appendMarkdown(
    [
      link(`$(run-all) ${vscode.l10n.t('Open Run')}`, 'letta.openRun', args, vscode.l10n.t('Open the run: every step, what changed between them, the totals')),
      link(`$(copy) ${vscode.l10n.t('Copy ID')}`, 'letta.copyRunId', args, vscode.l10n.t('Copy the run ID')),
    ].join(' · '),
  );
  return md;
}

/** The status icon and the summary's phrases on one line (server text, so escaped); nothing when there is none. */
function appendSummaryLine(md: vscode.MarkdownString, status: string | undefined, parts: string[]): void {
  if (parts.length > 0) {
    md.appendMarkdown(`$(${statusIcon(status)}) `);
    md.appendMarkdown(escapeMarkdown(parts.join(' · ')));
    md.appendMarkdown('\n\n');
  }
}

/**
 * Server values are untrusted text: every markdown and theme-icon (`$(…)`) character is escaped and
 * line breaks flattened. (`appendText` would do it too, but turns every space into `&nbsp;`, so the
 * line could not wrap.)
 */
export function escapeMarkdown(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>~$&:]/g, '\\$&');
}

/** Hovers over step and run IDs. Reads only the hovered line; waits for the server at most `HOVER_WAIT_MS`. */
export class StepHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly store: Pick<TraceStore, 'peek'>,
    private readonly summaries: StepSummaryCache,
    /** The price table, loaded on the first hover and never waited for: a hover before it is there shows no cost. */
    private readonly prices?: LazyPrices,
    /** Without it, a run ID's hover has its links but no details. */
    private readonly runs?: RunSummaryCache,
  ) {}

  /** Waits for `cache` at most `HOVER_WAIT_MS`, and not once the hover is no longer wanted (the request goes on either way). */
  private static async ask<S>(cache: Pick<SummaryCache<S>, 'within'>, id: string, token: vscode.CancellationToken): Promise<HoverLookup<S>> {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      return await cache.within(id, HOVER_WAIT_MS, controller.signal);
    } finally {
      subscription.dispose();
    }
  }

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const line = document.lineAt(position.line).text;
    const match = idAt([STEP_IDS, RUN_IDS], line, position.character);
    if (!match) {
      return undefined;
    }
    const range = new vscode.Range(position.line, match.start, position.line, match.start + match.kind.length);
    if (match.kind === RUN_IDS) {
      const runResult = this.runs ? await StepHoverProvider.ask(this.runs, match.id, token) : undefined;
      return token.isCancellationRequested ? undefined : new vscode.Hover(buildRunHoverMarkdown(match.id, runResult), range);
    }
    const loaded = this.store.peek(match.id);
    // Loads while the summary is fetched, so the cost is usually there by the time the summary is.
    void this.prices?.warm();
    let result: HoverLookup<StepSummary>;
    if (loaded) {
      result = { kind: 'ok', summary: summaryFromLoaded(loaded) };
    } else {
      result = await StepHoverProvider.ask(this.summaries, match.id, token);
    }
    if (token.isCancellationRequested) {
      return undefined;
    }
    let cost: string | undefined;
    if (result !== 'pending' && result?.kind === 'ok') {
      // A Step record's counts are OpenAI-style; a trace without one is read in its own format.
      const format = loaded && !stepUsage(loaded.step) ? summaryFromLoaded(loaded).format : 'openai-chat';
      cost = costPart(this.prices?.price(result.summary, format));
    }
    return new vscode.Hover(buildStepHoverMarkdown(match.id, result, cost), range);
  }
}

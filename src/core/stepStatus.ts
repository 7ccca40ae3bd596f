/**
 * The one map from a step's (or a run's) status to its codicon and its words, shared by the hover,
 * the sidebar, the filter and the viewer. Pure: icons are codicon names, labels go through l10n.
 */
import * as l10n from '@vscode/l10n';

/** The statuses a Step has (`GET /v1/steps/{id}`). */
export type StepStatus = 'success' | 'failed' | 'cancelled' | 'pending';
/** In the order the sidebar's filter offers them: the ones a developer looks for first. */
export const STEP_STATUSES: readonly StepStatus[] = ['failed', 'cancelled', 'pending', 'success'];

/** The statuses a Run has (`GET /v1/runs/{id}`), beside the step ones. */
export type RunStatus = 'created' | 'running' | 'completed' | 'failed' | 'cancelled';

interface StatusDisplay {
  /** Codicon name (`$(name)` in Markdown, `new ThemeIcon(name)` in a tree). */
  icon: string;
  /** One word for the status, for text and screen readers (never colour or icon alone). */
  label: () => string;
  /** The filter's item for steps of this status. */
  filterLabel?: () => string;
}

const DISPLAY: Record<StepStatus | RunStatus, StatusDisplay> = {
  success: { icon: 'pass', label: () => l10n.t('succeeded'), filterLabel: () => l10n.t('Successful steps') },
  completed: { icon: 'pass', label: () => l10n.t('completed') },
  failed: { icon: 'error', label: () => l10n.t('failed'), filterLabel: () => l10n.t('Failed steps') },
  cancelled: { icon: 'circle-slash', label: () => l10n.t('cancelled'), filterLabel: () => l10n.t('Cancelled steps') },
  // Waiting, not working: a pending step may never move again, so no spinner.
  pending: { icon: 'clock', label: () => l10n.t('pending'), filterLabel: () => l10n.t('Pending steps') },
  created: { icon: 'clock', label: () => l10n.t('created') },
  running: { icon: 'loading~spin', label: () => l10n.t('running') },
};

const UNKNOWN: StatusDisplay = { icon: 'circle-outline', label: () => l10n.t('unknown status') };

function display(status: string | null | undefined): StatusDisplay {
  return status && Object.prototype.hasOwnProperty.call(DISPLAY, status) ? DISPLAY[status as StepStatus | RunStatus] : UNKNOWN;
}

/** The codicon for a status; `circle-outline` for none or one this build does not know. */
export function statusIcon(status: string | null | undefined): string {
  return display(status).icon;
}

/** The status in words; an unknown status is shown as the server wrote it. */
export function statusLabel(status: string | null | undefined): string {
  const known = display(status);
  return known === UNKNOWN && status ? status : known.label();
}

/** The sidebar filter's label for steps of `status`. */
export function statusFilterLabel(status: StepStatus): string {
  return display(status).filterLabel?.() ?? statusLabel(status);
}

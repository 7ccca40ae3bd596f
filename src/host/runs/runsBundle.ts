/**
 * The run model, the load queue and the Markdown exports: `dist/runs.js`, required on first use
 * (a run view opened, a run or step copied as Markdown), never at activation (see esbuild.js).
 */
export const runsModule = () => import('../../core/runs/runsModule');

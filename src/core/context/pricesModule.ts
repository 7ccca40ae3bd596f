/**
 * The price table as its own bundle (`dist/prices.js`, see esbuild.js): ~470 KB of data that the
 * host loads with the first cost it shows (about 35 ms here), not at activation. Only the
 * bundled, offline table is used: `updatePrices` (which would fetch a newer table) is never called.
 * Pure: no `vscode` import.
 */
export { calcPrice } from '@pydantic/genai-prices';

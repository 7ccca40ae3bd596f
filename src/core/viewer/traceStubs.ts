/**
 * The shapes the host and the viewer page share for what the host kept back (issue 19): a path into
 * the raw JSON and the stand-in for a value not sent yet. No imports, so the page's bundle and its
 * type check take nothing else of the core.
 */
/** A key, an index, or "the JSON decoded from this string". */
export type PathSegment = string | number | { decoded: true };

/** The key that marks a stand-in for a value the host kept: a container not sent yet, or a long string cut. */
export const STUB_KEY = '\u0000letta-stub';
export type StubInfo = { kind: 'array' | 'object'; count: number } | { kind: 'string'; length: number; head: string };
export type Stub = { [STUB_KEY]: StubInfo };

export function stubOf(value: unknown): StubInfo | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && STUB_KEY in value) {
    return (value as Stub)[STUB_KEY];
  }
  return undefined;
}

/** A readable message from anything thrown. Pure: the host, the client and the webview all use it. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

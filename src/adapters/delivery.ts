/**
 * What a failed request says about delivery, shared by the posters: a request that never left (the
 * connection was refused, the name did not resolve) is safe to send again; one that failed after it was
 * sent (a timeout, a reset, a 5xx) may have taken effect, and the caller must look before sending again.
 */

/** Socket errors raised before a byte of the request reached the server. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * True when `error` (or an error it wraps: the Slack WebClient's `original`, a fetch `cause`) is a socket
 * error from before the request was sent. Timeouts and resets are not: the server may have acted.
 */
export function neverSent(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current !== null && typeof current === 'object' && !seen.has(current); ) {
    seen.add(current);
    const { code, original, cause } = current as { code?: unknown; original?: unknown; cause?: unknown };
    if (typeof code === 'string' && NEVER_SENT_CODES.has(code)) return true;
    current = original ?? cause;
  }
  return false;
}

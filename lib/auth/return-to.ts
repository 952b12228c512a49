/** Longer return paths fall back to `/`: they end up in cookies and Location headers. */
export const MAX_RETURN_TO_LENGTH = 2048

const BASE = 'http://gatehouse.invalid'

/** Could a browser resolve this Location against our origin to another origin? */
function leavesOrigin(path: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return true
  try {
    return new URL(path, BASE).origin !== BASE
  } catch {
    return true
  }
}

/**
 * Where to send the reader after signing in, previewing, or leaving a preview: a path on this site
 * or the fallback. The *output* is what gets validated — normalising `/..//evil.example` yields
 * `//evil.example`, which a browser reads as another host — and its length is capped.
 */
export function safeReturnTo(value: string | null | undefined, fallback = '/'): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_RETURN_TO_LENGTH) return fallback
  // Control characters are silently dropped by URL parsers (`/\t/evil.example` → `//evil.example`).
  if (/[\u0000-\u001f\u007f]/.test(value) || leavesOrigin(value)) return fallback
  let normalised: string
  try {
    const parsed = new URL(value, BASE)
    normalised = parsed.pathname + parsed.search + parsed.hash
  } catch {
    return fallback
  }
  if (normalised.length > MAX_RETURN_TO_LENGTH || leavesOrigin(normalised)) return fallback
  return normalised
}

/**
 * Where to send the reader after signing in. Only same-origin paths are accepted, so a crafted
 * link cannot turn sign-in into an open redirect.
 */
export function safeReturnTo(value: string | null | undefined, fallback = '/'): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return fallback
  try {
    const parsed = new URL(value, 'http://gatehouse.invalid')
    if (parsed.origin !== 'http://gatehouse.invalid') return fallback
    return parsed.pathname + parsed.search + parsed.hash
  } catch {
    return fallback
  }
}

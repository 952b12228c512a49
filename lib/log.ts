/**
 * The one structured logger: a JSON line per event on stdout/stderr, which Vercel's and any other log
 * drain can parse. Fields are ids, outcomes and timings — never tokens, cookies, secrets or document
 * text; an error is logged as its message (and its cause's), never as the object.
 */
type Fields = Record<string, unknown>
type Level = 'info' | 'warn' | 'error'

function write(level: Level, event: string, fields: Fields): void {
  const line = JSON.stringify({ level, event, ...fields })
  if (level === 'info') console.info(line)
  else if (level === 'warn') console.warn(line)
  else console.error(line)
}

/** An error as text: its message, and its cause's when there is one. */
export function describeError(error: unknown): { error: string; cause?: string } {
  const message = error instanceof Error ? error.message : String(error)
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined
  return cause ? { error: message, cause } : { error: message }
}

export const log = {
  info: (event: string, fields: Fields = {}) => write('info', event, fields),
  warn: (event: string, fields: Fields = {}) => write('warn', event, fields),
  error: (event: string, fields: Fields = {}) => write('error', event, fields),
  /** Something failed and was handled (the request goes on): what and why. */
  failure: (event: string, error: unknown, fields: Fields = {}) => write('warn', event, { ...fields, ...describeError(error) }),
}

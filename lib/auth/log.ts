/** One structured line per auth failure: what failed and why, never tokens or cookies. */
export function logFailure(event: string, error: unknown): void {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined
  console.warn(JSON.stringify({ event, error: error instanceof Error ? error.message : String(error), cause }))
}

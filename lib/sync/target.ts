import type { z } from 'zod'

export type TargetName = 'local' | 'descope' | 'clerk' | 'auth0' | 'okta'

/** What one delivery changed at the identity provider, returned as the response's JSON summary. */
export type SyncSummary = { applied: string[] }

/** How one target syncs one document type: fetch the exact projection, then set it at the IdP. */
export type TypeHandler<Doc, Gone> = {
  /** GROQ by `$id`, resolving references to the values the IdP needs. */
  query: string
  doc: z.ZodType<Doc>
  /** What a delete needs from the webhook's projection (the document as it was). */
  gone: z.ZodType<Gone>
  apply(doc: Doc): Promise<SyncSummary>
  remove(gone: Gone): Promise<SyncSummary>
}

export type SyncTarget = {
  name: TargetName
  /** Env var holding this target's webhook secret. */
  secretEnv: string
  // Each handler keeps its own Doc/Gone types; the pipeline only passes what their schemas parsed.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handlers: Record<string, TypeHandler<any, any>>
}

export function defineHandler<Doc, Gone>(handler: TypeHandler<Doc, Gone>): TypeHandler<Doc, Gone> {
  return handler
}

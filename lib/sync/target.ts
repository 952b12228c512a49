import type { z } from 'zod'

/**
 * What one delivery changed, returned as the response's JSON summary. `record`, when given, replaces
 * the handler's `record(doc)` as what a later delete revokes (e.g. an id the IdP assigned).
 * `revision`: the document revision a write-back to Sanity produced (not a change to apply again).
 */
export type SyncSummary<Gone = unknown> = { applied: string[]; record?: Gone; revision?: string }

/** How one target syncs one document type: fetch the exact projection, then set it at the IdP. */
export type TypeHandler<Doc, Gone> = {
  /** GROQ by `$id`, resolving references to the values the IdP needs. */
  query: string
  doc: z.ZodType<Doc>
  /**
   * What Gatehouse remembers having synced for a document (in the shared store), and all a delete
   * may act on: a delete's own payload is never trusted. Also validates that memory when read back.
   */
  gone: z.ZodType<Gone>
  record(doc: Doc): Gone
  apply(doc: Doc): Promise<SyncSummary<Gone>>
  /** Revokes what an earlier apply granted. */
  remove(gone: Gone): Promise<SyncSummary>
  /**
   * The target keeps nothing per document (the content cache): no record is read or remembered, and
   * `query` answers whether or not the document still exists (a gone one included), so every
   * delivery — create, update or delete — is one `apply` of what the query returned. Repeating it must
   * be harmless.
   */
  recordless?: boolean
  /**
   * Runs before the current state is read, with only what the signed delivery says (its id and type):
   * work that is right whatever the document's state and must not wait for Sanity. The content cache
   * expires the document's own and its type's tags here, so a narrowing publish takes effect even
   * while Sanity reads are slow or failing (the read that follows finds the referrers; when it fails,
   * the delivery is a 503 and Sanity retries it). Must be harmless to repeat.
   */
  beforeRead?(delivery: { id: string; type: string }): Promise<SyncSummary>
}

/** A target's handlers by document type, made from its settings (lib/sync/targets/registry.ts). */
export type SyncTarget = {
  // Each handler keeps its own Doc/Gone types; the pipeline only passes what their schemas parsed.
  handlers: Record<string, TypeHandler<unknown, unknown>>
}

export function defineHandler<Doc, Gone>(handler: TypeHandler<Doc, Gone>): TypeHandler<unknown, unknown> {
  return handler as unknown as TypeHandler<unknown, unknown>
}

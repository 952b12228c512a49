// The audit event's shape, and the one place an event is built from what a caller passed. Pure (no
// server-only imports), so the sinks, the reader and the tests share it.
import { z } from 'zod'
import { DIMENSIONS } from '@/lib/access/dimensions'
import { PROVIDER_NAMES } from '@/lib/auth/provider-names'
import { SLUG_PATTERN } from '@/lib/content/slug'

export const AUDIT_VIAS = ['web', 'rsc', 'md', 'llms', 'mcp', 'search'] as const
export const AUDIT_DECISIONS = ['read', 'forbidden', 'notFound', 'signIn', 'search', 'preview', 'list'] as const
export type AuditVia = (typeof AUDIT_VIAS)[number]
export type AuditDecision = (typeof AUDIT_DECISIONS)[number]

export type AuditWho = {
  /** The signed-in person (an editor, while previewing); null when signed out. */
  subject: string | null
  provider: string | null
  /** Set while an editor previews an audience: that audience, summarised (no personal data). */
  previewing?: string
}

export type AuditEvent = {
  /** ISO 8601. */
  at: string
  who: AuditWho
  what: { docId?: string; slug?: string; queryHash?: string; results?: number }
  decision: AuditDecision
  /** The access dimensions whose clause failed (forbidden), e.g. ["role", "plan"]. */
  failed?: string[]
  via: AuditVia
}

export type AuditInput = Omit<AuditEvent, 'at'>

/** Longest subject kept: IdP user ids are far shorter; anything longer is cut, never stored whole. */
export const MAX_SUBJECT_LENGTH = 256
const DOC_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/
const QUERY_HASH = /^[a-f0-9]{8,64}$/
const PREVIEWING = new Set(['signed out', 'an audience'])
const PROVIDERS = new Set<string>(PROVIDER_NAMES)
const DIMENSION_NAMES = new Set<string>(DIMENSIONS.map((d) => d.name))
const VIAS = new Set<string>(AUDIT_VIAS)
const DECISIONS = new Set<string>(AUDIT_DECISIONS)

/**
 * The event as stored: built field by field from an allow-list, never by spreading the input, so a
 * caller that passes more (a title, an excerpt, a token, an email) cannot get it recorded. Values a
 * URL supplies are checked, not trusted: a not-found slug is kept only if it is a slug (at most 96
 * characters), so a crafted path can neither bloat the trail nor smuggle text into it. Returns null
 * for an input no event can be made of (unknown decision or via).
 */
export function toEvent(input: AuditInput, at: Date): AuditEvent | null {
  if (!DECISIONS.has(input.decision) || !VIAS.has(input.via)) return null
  const who: AuditWho = {
    subject: typeof input.who.subject === 'string' && input.who.subject !== '' ? cut(input.who.subject, MAX_SUBJECT_LENGTH) : null,
    provider: typeof input.who.provider === 'string' && PROVIDERS.has(input.who.provider) ? input.who.provider : null,
  }
  if (typeof input.who.previewing === 'string' && PREVIEWING.has(input.who.previewing)) who.previewing = input.who.previewing
  const what: AuditEvent['what'] = {}
  const { docId, slug, queryHash, results } = input.what
  if (typeof docId === 'string' && DOC_ID.test(docId)) what.docId = docId
  if (typeof slug === 'string' && SLUG_PATTERN.test(slug)) what.slug = slug
  if (typeof queryHash === 'string' && QUERY_HASH.test(queryHash)) what.queryHash = queryHash
  if (typeof results === 'number' && Number.isSafeInteger(results) && results >= 0) what.results = results
  const event: AuditEvent = { at: at.toISOString(), who, what, decision: input.decision, via: input.via }
  if (Array.isArray(input.failed)) event.failed = [...new Set(input.failed.filter((name) => typeof name === 'string' && DIMENSION_NAMES.has(name)))]
  return event
}

/**
 * At most `max` UTF-16 units, well-formed: never half a surrogate pair (a lone one reaches a page as
 * U+FFFD and a link as %EF%BF%BD, so the /audit reader filter could never match the subject).
 */
function cut(text: string, max: number): string {
  const kept = text.slice(0, max)
  return (/[\uD800-\uDBFF]$/.test(kept) ? kept.slice(0, -1) : kept).toWellFormed()
}

/** A stored event, read back: checked again, since the store is shared and outlives this code. */
export const auditEventSchema = z.object({
  at: z.string().refine((value) => !Number.isNaN(Date.parse(value))),
  who: z.object({
    subject: z.string().max(MAX_SUBJECT_LENGTH).nullable(),
    provider: z.string().max(32).nullable(),
    previewing: z.string().max(32).optional(),
  }),
  what: z.object({
    docId: z.string().regex(DOC_ID).optional(),
    slug: z.string().regex(SLUG_PATTERN).optional(),
    queryHash: z.string().regex(QUERY_HASH).optional(),
    results: z.number().int().nonnegative().optional(),
  }),
  decision: z.enum(AUDIT_DECISIONS),
  failed: z.array(z.string().max(32)).max(DIMENSIONS.length).optional(),
  via: z.enum(AUDIT_VIAS),
}) satisfies z.ZodType<AuditEvent>

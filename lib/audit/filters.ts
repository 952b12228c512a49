// The /audit page's GET parameters, validated: a filter that is not well-formed is ignored and named
// (never echoed back), so a forged or oversized value can neither break the page nor widen it.
import { z } from 'zod'
import { SLUG_PATTERN } from '@/lib/content/slug'
import { AUDIT_DECISIONS, MAX_SUBJECT_LENGTH, type AuditDecision } from './event'

export type AuditFilters = { reader?: string; doc?: string; decision?: AuditDecision }
export type AuditFilterName = keyof AuditFilters | 'page'
export type AuditQuery = { filters: AuditFilters; page: number; ignored: AuditFilterName[] }

export type SearchParams = Record<string, string | string[] | undefined>

/** A subject as IdPs issue them (`alice`, `auth0|64f…`, `user_2x…`): printable, no control characters. */
const subject = z
  .string()
  .trim()
  .min(1)
  .max(MAX_SUBJECT_LENGTH)
  .regex(/^[^\p{Cc}\p{Cf}]+$/u)

const parsers = {
  reader: subject,
  doc: z.string().trim().regex(SLUG_PATTERN),
  decision: z.enum(AUDIT_DECISIONS),
  page: z
    .string()
    .regex(/^\d{1,6}$/)
    .transform(Number)
    .pipe(z.number().int().min(1)),
} as const

/**
 * The filters and page from the query string. An absent or empty parameter is no filter; a repeated
 * one, or one that does not parse, is ignored and listed in `ignored`.
 */
export function parseAuditQuery(params: SearchParams): AuditQuery {
  const filters: AuditFilters = {}
  const ignored: AuditFilterName[] = []
  let page = 1
  for (const name of Object.keys(parsers) as AuditFilterName[]) {
    const raw = params[name]
    if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) continue
    const parsed = typeof raw === 'string' ? parsers[name].safeParse(raw) : null
    if (!parsed?.success) {
      ignored.push(name)
      continue
    }
    if (name === 'page') page = parsed.data as number
    else if (name === 'decision') filters.decision = parsed.data as AuditDecision
    else filters[name] = parsed.data as string
  }
  return { filters, page, ignored }
}

/** The query string for these filters (and page), for links and the pager. */
export function auditHref(filters: AuditFilters, page = 1): string {
  const query = new URLSearchParams()
  if (filters.reader) query.set('reader', filters.reader)
  if (filters.doc) query.set('doc', filters.doc)
  if (filters.decision) query.set('decision', filters.decision)
  if (page > 1) query.set('page', String(page))
  const text = query.toString()
  return text ? `/audit?${text}` : '/audit'
}

import 'server-only'
import { getConfig } from '@/lib/config'
import { whoCanRead, type DocReaders } from '@/lib/content/who-can-read'
import { log } from '@/lib/log'
import { sharedStore } from '@/lib/store'
import { auditAccess } from './access'
import { parseAuditQuery, type AuditQuery, type SearchParams } from './filters'
import { readerHash } from './query-hash'
import { readEvents, type AuditListing } from './read'

/** Events per page of /audit. */
export const AUDIT_PAGE_SIZE = 50

export type TrailResult = { kind: 'ok'; listing: AuditListing } | { kind: 'disabled' } | { kind: 'unavailable' }
export type WhoResult = { kind: 'ok'; docs: DocReaders[] } | { kind: 'unavailable' }

export type AuditView =
  | { kind: 'signIn' }
  | { kind: 'forbidden' }
  | {
      kind: 'editor'
      query: AuditQuery
      trail: TrailResult
      /** Who can read the doc the `doc` filter names; null without one. */
      who: WhoResult | null
      retention: { maxEvents: number; maxEventsPerReader: number; retentionDays: number }
    }

/**
 * Everything /audit shows, for an editor only: the access check sits here, next to the data, so no
 * caller can read the trail or who-can-read without it. A store or Sanity that cannot be read is a
 * result the page explains, never an exception (and never an empty list that looks like "nothing").
 */
export async function loadAuditView(params: SearchParams): Promise<AuditView> {
  const access = await auditAccess()
  if (access !== 'editor') return { kind: access }
  const { audit } = getConfig()
  const query = parseAuditQuery(params)
  const [trail, who] = await Promise.all([
    readTrail(query, audit.sinks.includes('store'), audit),
    query.filters.doc === undefined ? null : readWho(query.filters.doc),
  ])
  return {
    kind: 'editor',
    query,
    trail,
    who,
    retention: { maxEvents: audit.maxEvents, maxEventsPerReader: audit.maxEventsPerReader, retentionDays: audit.retentionDays },
  }
}

async function readTrail(
  query: AuditQuery,
  kept: boolean,
  options: { maxEvents: number; maxEventsPerReader: number; retentionDays: number },
): Promise<TrailResult> {
  if (!kept) return { kind: 'disabled' }
  try {
    return { kind: 'ok', listing: await readEvents(sharedStore(), query.filters, query.page, { ...options, pageSize: AUDIT_PAGE_SIZE, readerHash }) }
  } catch (error) {
    log.failure('audit.read_failed', error)
    return { kind: 'unavailable' }
  }
}

async function readWho(slug: string): Promise<WhoResult> {
  try {
    return { kind: 'ok', docs: await whoCanRead(slug) }
  } catch (error) {
    log.failure('audit.who_can_read_failed', error)
    return { kind: 'unavailable' }
  }
}

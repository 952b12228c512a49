// Reading the trail back from the shared store, for the /audit page. Pure apart from the store it is
// given: the editor check lives in ./view.ts, next to the page's data.
import { log } from '@/lib/log'
import type { SharedStore } from '@/lib/store/types'
import { auditEventSchema, type AuditEvent } from './event'
import type { AuditFilters } from './filters'
import { AUDIT_LIST_KEY, AUDIT_SIGNED_OUT_LIST_KEY } from './sinks'

export type AuditListing = {
  /** This page of matching events, newest first. */
  events: AuditEvent[]
  /** How many retained events match the filters. */
  matched: number
  /** How many events the store holds within the retention period. */
  retained: number
  page: number
  pageCount: number
}

export type ReadOptions = { maxEvents: number; retentionDays: number; pageSize: number; now?: number }

function matches(event: AuditEvent, filters: AuditFilters): boolean {
  if (filters.reader !== undefined && event.who.subject !== filters.reader) return false
  if (filters.doc !== undefined && event.what.slug !== filters.doc) return false
  if (filters.decision !== undefined && event.decision !== filters.decision) return false
  return true
}

/**
 * The retained events matching `filters`, one page of them. The list is bounded (`maxEvents`), so
 * filtering scans at most that many; events older than the retention period are never shown, even if
 * the list has not expired yet. A malformed entry is skipped (and counted in the log), never shown raw.
 * Throws the store's StoreUnavailable: the caller says so rather than showing an empty trail.
 */
export async function readEvents(store: SharedStore, filters: AuditFilters, page: number, options: ReadOptions): Promise<AuditListing> {
  const oldest = (options.now ?? Date.now()) - options.retentionDays * 86_400_000
  // Both lists (signed-in and signed-out decisions), merged newest first.
  const lists = await Promise.all([AUDIT_LIST_KEY, AUDIT_SIGNED_OUT_LIST_KEY].map((key) => store.range(key, options.maxEvents)))
  let malformed = 0
  let retained = 0
  const matching: AuditEvent[] = []
  for (const line of lists.flat()) {
    const event = parse(line)
    if (!event) {
      malformed++
      continue
    }
    if (Date.parse(event.at) < oldest) continue
    retained++
    if (matches(event, filters)) matching.push(event)
  }
  matching.sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
  if (malformed > 0) log.warn('audit.malformed_events', { malformed })
  const pageCount = Math.max(1, Math.ceil(matching.length / options.pageSize))
  const current = Math.min(Math.max(1, page), pageCount)
  return {
    events: matching.slice((current - 1) * options.pageSize, current * options.pageSize),
    matched: matching.length,
    retained,
    page: current,
    pageCount,
  }
}

function parse(line: string): AuditEvent | null {
  try {
    const result = auditEventSchema.safeParse(JSON.parse(line))
    return result.success ? result.data : null
  } catch {
    return null
  }
}

// Reading the trail back from the shared store, for the /audit page. Pure apart from the store it is
// given: the editor check lives in ./view.ts, next to the page's data.
import { log } from '@/lib/log'
import type { SharedStore } from '@/lib/store/types'
import { auditEventSchema, type AuditEvent } from './event'
import type { AuditFilters } from './filters'
import { AUDIT_READER_INDEX_KEY, AUDIT_SIGNED_OUT_LIST_KEY, LEGACY_LIST_KEYS, READER_HASH, READER_INDEX_LENGTH, readerListKey } from './sinks'

export type AuditListing = {
  /** This page of matching events, newest first. */
  events: AuditEvent[]
  /** How many retained events match the filters. */
  matched: number
  /**
   * How many events were read within the retention period: at most `maxEvents`, shared fairly among
   * readers; with a reader filter, that reader's.
   */
  retained: number
  page: number
  pageCount: number
}

export type ReadOptions = {
  /** The most events one read merges, shared fairly among the lists (and the signed-out list's length). */
  maxEvents: number
  /** Each reader's list length: the reader filter reads that reader's whole list. */
  maxEventsPerReader: number
  retentionDays: number
  pageSize: number
  /** The keyed hash naming a reader's list (./query-hash.ts). */
  readerHash: (subject: string) => string
  now?: number
}

function matches(event: AuditEvent, filters: AuditFilters): boolean {
  if (filters.reader !== undefined && event.who.subject !== filters.reader) return false
  if (filters.doc !== undefined && event.what.slug !== filters.doc) return false
  if (filters.decision !== undefined && event.decision !== filters.decision) return false
  return true
}

/**
 * The retained events matching `filters`, one page of them. With a reader filter, that reader's own
 * list is read whole (at most `maxEventsPerReader`). Without one, the lists of the readers in the index
 * (newest first, each once) and the signed-out list are merged, reading at most `maxEvents` events in
 * all, shared max-min fairly (fairRead below): a reader with a full list gets the same share as any
 * other, so a flood from one reader (or from many signed-out requests) cannot crowd the others out of
 * the view either. Events older than the retention period are never shown, even if a list has not
 * expired yet. A malformed entry is skipped (and counted in the log), never shown raw. Throws the
 * store's StoreUnavailable: the caller says so rather than showing an empty trail.
 */
export async function readEvents(store: SharedStore, filters: AuditFilters, page: number, options: ReadOptions): Promise<AuditListing> {
  const oldest = (options.now ?? Date.now()) - options.retentionDays * 86_400_000
  const lists: ListToRead[] = LEGACY_LIST_KEYS.map((key) => ({ key, length: options.maxEvents }))
  if (filters.reader !== undefined) {
    lists.push({ key: readerListKey(options.readerHash(filters.reader)), length: options.maxEventsPerReader })
  } else {
    lists.push({ key: AUDIT_SIGNED_OUT_LIST_KEY, length: options.maxEvents })
    const index = await store.range(AUDIT_READER_INDEX_KEY, READER_INDEX_LENGTH)
    for (const hash of new Set(index.filter((entry) => READER_HASH.test(entry)))) lists.push({ key: readerListKey(hash), length: options.maxEventsPerReader })
  }
  const read =
    filters.reader !== undefined ? await Promise.all(lists.map((list) => store.range(list.key, list.length))) : await fairRead(store, lists, options.maxEvents)
  let malformed = 0
  let retained = 0
  const matching: AuditEvent[] = []
  for (const line of read.flat()) {
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

export type ListToRead = { key: string; length: number }

/**
 * The newest events of each list, at most `budget` in all, shared max-min fairly ("water-filling"):
 * every list gets an equal share; what a short list leaves over is shared again among the lists that
 * filled theirs. Each round re-reads only the lists that may hold more, and every round but the last
 * closes at least one list or ends, so a few rounds settle it. More lists than `budget` (only many
 * accounts make that): the first `budget` of them, newest in the index first, one event each to start.
 * Reads concurrently (node-redis pipelines them on its one connection).
 */
export async function fairRead(store: SharedStore, lists: ListToRead[], budget: number): Promise<string[][]> {
  const limit = Number.isFinite(budget) ? Math.max(0, Math.floor(budget)) : 0
  const chosen = lists.slice(0, limit)
  const read: string[][] = chosen.map(() => [])
  const isOpen = chosen.map(() => true)
  let open = chosen.map((_, i) => i)
  for (let round = 0; round < 8 && open.length > 0; round++) {
    let closed = 0
    read.forEach((items, i) => {
      if (!isOpen[i]) closed += items.length
    })
    const share = Math.max(1, Math.floor((limit - closed) / open.length))
    const counts = open.map((i) => Math.min(share, chosen[i]!.length))
    // No open list would get more than it already has: the shares have settled.
    if (round > 0 && open.every((i, n) => counts[n]! <= read[i]!.length)) break
    const answers = await Promise.all(open.map((i, n) => store.range(chosen[i]!.key, counts[n]!)))
    const stillOpen: number[] = []
    open.forEach((i, n) => {
      read[i] = answers[n]!
      // Full at this share and allowed more: it may hold more, if the others leave some over.
      if (answers[n]!.length >= counts[n]! && counts[n]! < chosen[i]!.length) stillOpen.push(i)
      else isOpen[i] = false
    })
    open = stillOpen
  }
  return read
}

function parse(line: string): AuditEvent | null {
  try {
    const result = auditEventSchema.safeParse(JSON.parse(line))
    return result.success ? result.data : null
  } catch {
    return null
  }
}

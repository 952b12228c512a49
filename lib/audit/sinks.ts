// Where audit events go. A sink's write is synchronous and never throws: it hands the event off and
// returns, so recording a decision never holds up, or fails, the response it describes.
import type { AuditSinkName } from '@/lib/config'
import { log } from '@/lib/log'
import type { SharedStore } from '@/lib/store/types'
import type { AuditEvent } from './event'

export type AuditSink = { readonly name: AuditSinkName; write(event: AuditEvent): void }

/**
 * How the trail is kept in the shared store, so that no reader's activity can push out another's:
 *
 * - every signed-in reader has a list of their own, `AUDIT_READER_LIST_PREFIX` + a keyed hash of the
 *   subject (never the subject or email itself), holding that reader's newest `maxEventsPerReader`
 *   events. A reader flooding the trail (a browser loop, MCP batches) only pushes out their own
 *   oldest events;
 * - signed-out requests share one list (`maxEvents`): anyone can send them, and they only push out
 *   each other. Telling anonymous clients apart would take their IP addresses, which we do not keep;
 * - an index of readers (`AUDIT_READER_INDEX_KEY`, hashes only, newest first) so /audit can find the
 *   lists to merge. A reader is added to it at most once per `INDEX_REFRESH_SECONDS` (a SET NX
 *   marker), so one reader adds at most 4 entries a day however much they send, and the index
 *   (`READER_INDEX_LENGTH`, 20,000) holds a week of some 700 readers active all day, more of
 *   occasional ones. A reader who falls off it (only many accounts can do that) still has their
 *   list, and the reader filter still finds it.
 *
 * Keys of their own: lists and values never share one. The stdout sink keeps every event regardless.
 */
export const AUDIT_READER_LIST_PREFIX = 'audit:v2:reader:'
export const AUDIT_SIGNED_OUT_LIST_KEY = 'audit:v2:signed-out'
export const AUDIT_READER_INDEX_KEY = 'audit:v2:readers'
const INDEXED_PREFIX = 'audit:v2:indexed:'
export const INDEX_REFRESH_SECONDS = 6 * 3600
export const READER_INDEX_LENGTH = 20_000
/** A reader's hash as readerHash() makes it; anything else read from the index is skipped. */
export const READER_HASH = /^[0-9a-f]{32}$/
export const readerListKey = (hash: string) => AUDIT_READER_LIST_PREFIX + hash

/**
 * The single lists of earlier versions (every signed-in reader in one list of 5,000, which one reader
 * could fill). Nothing writes them now; /audit still reads them until they expire, so an upgrade does
 * not hide the last days' events.
 */
export const LEGACY_LIST_KEYS = ['audit:events:v1', 'audit:events:v1:signed-out'] as const

/** One JSON line per event on stdout (`"event": "audit.decision"`), for Vercel's and any other log drain. */
export const stdoutSink: AuditSink = {
  name: 'stdout',
  write(event) {
    try {
      log.info('audit.decision', event)
    } catch (error) {
      log.failure('audit.stdout_failed', error)
    }
  },
}

export type StoreSinkOptions = {
  /** The store is looked up per write, so a sink made before the store is configured still finds it. */
  store: () => SharedStore
  /** The signed-out list keeps the newest this many events. */
  maxEvents: number
  /** Each signed-in reader's list keeps their newest this many events. */
  maxEventsPerReader: number
  /** The keyed hash naming a reader's list (./query-hash.ts); never the subject itself in a key. */
  readerHash: (subject: string) => string
  /** The list expires this long after its last event; older events are also never shown. */
  retentionDays: number
  /** Keeps a serverless function alive until the write settles (Next's `after`); must not throw. */
  keepAlive?: (task: Promise<void>) => void
  /** Writes in flight past this are dropped (and counted): a slow store must not grow memory. */
  maxPending?: number
  now?: () => number
}

/** How often, at most, a failing or saturated store is reported: a dead store must not flood the log. */
const REPORT_EVERY_MS = 60_000

/**
 * Appends each event to its bounded list in the shared store (LPUSH + LTRIM + EXPIRE on Redis): the
 * reader's own, or the signed-out one; a reader's first event in six hours also lists them in the
 * index. Fire and forget: the write runs in the background and its failure is logged, rate-limited, with the
 * number of events lost since the last report. Memory stays bounded even when the store hangs: at most
 * `maxPending` writes wait (each bounded by the store's own timeout), later events are dropped.
 */
export function storeSink(options: StoreSinkOptions): AuditSink & { readonly pending: number; readonly dropped: number } {
  const maxPending = options.maxPending ?? 256
  const now = options.now ?? Date.now
  const ttlSeconds = options.retentionDays * 86_400
  let pending = 0
  let dropped = 0
  let unreported = 0
  let lastReport = -Infinity

  const lost = (why: 'failed' | 'saturated', error?: unknown) => {
    dropped++
    unreported++
    if (now() - lastReport < REPORT_EVERY_MS) return
    lastReport = now()
    const fields = { lost: unreported, pending }
    unreported = 0
    if (why === 'failed') log.failure('audit.store_failed', error, fields)
    else log.warn('audit.store_saturated', { ...fields, error: `more than ${maxPending} writes in flight` })
  }

  /** Starts synchronously (a throwing store() is caught by write), then runs in the background. */
  const append = (store: SharedStore, event: AuditEvent): Promise<void> => {
    const line = JSON.stringify(event)
    if (!event.who.subject) return store.append(AUDIT_SIGNED_OUT_LIST_KEY, line, { maxLength: options.maxEvents, ttlSeconds })
    const hash = options.readerHash(event.who.subject)
    return store.append(readerListKey(hash), line, { maxLength: options.maxEventsPerReader, ttlSeconds }).then(() => index(store, hash))
  }

  /** Lists the reader in the index, at most once per INDEX_REFRESH_SECONDS on every instance (SET NX). */
  const index = async (store: SharedStore, hash: string): Promise<void> => {
    if (!(await store.set(INDEXED_PREFIX + hash, '1', { ttlSeconds: INDEX_REFRESH_SECONDS, ifAbsent: true }))) return
    try {
      await store.append(AUDIT_READER_INDEX_KEY, hash, { maxLength: READER_INDEX_LENGTH, ttlSeconds })
    } catch (error) {
      // Not listed after all: let the reader's next event try again rather than wait out the window.
      await store.delete(INDEXED_PREFIX + hash).catch(() => {})
      throw error
    }
  }

  return {
    name: 'store',
    get pending() {
      return pending
    },
    get dropped() {
      return dropped
    },
    write(event) {
      if (pending >= maxPending) return lost('saturated')
      pending++
      let task: Promise<void>
      try {
        task = append(options.store(), event)
          .catch((error: unknown) => lost('failed', error))
          .finally(() => {
            pending--
          })
      } catch (error) {
        // The store could not even be made (configuration): counted like any failed write.
        pending--
        return lost('failed', error)
      }
      try {
        options.keepAlive?.(task)
      } catch {
        // Outside a request there is nothing to keep alive; the write goes on regardless.
      }
    },
  }
}

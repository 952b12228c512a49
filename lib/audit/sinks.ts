// Where audit events go. A sink's write is synchronous and never throws: it hands the event off and
// returns, so recording a decision never holds up, or fails, the response it describes.
import type { AuditSinkName } from '@/lib/config'
import { log } from '@/lib/log'
import type { SharedStore } from '@/lib/store/types'
import type { AuditEvent } from './event'

export type AuditSink = { readonly name: AuditSinkName; write(event: AuditEvent): void }

/**
 * The shared-store lists holding the trail (newest first), keys of their own (lists and values never
 * share one): signed-in readers' decisions, and signed-out ones apart. Anyone can send signed-out
 * requests; a flood of them must not push out who read what. A signed-in flood names its sender.
 */
export const AUDIT_LIST_KEY = 'audit:events:v1'
export const AUDIT_SIGNED_OUT_LIST_KEY = 'audit:events:v1:signed-out'
export const auditListOf = (event: AuditEvent) => (event.who.subject ? AUDIT_LIST_KEY : AUDIT_SIGNED_OUT_LIST_KEY)

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
  /** The list keeps the newest this many events. */
  maxEvents: number
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
 * Appends each event to the bounded list in the shared store (LPUSH + LTRIM + EXPIRE on Redis). Fire
 * and forget: the write runs in the background and its failure is logged, rate-limited, with the
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
        task = options
          .store()
          .append(auditListOf(event), JSON.stringify(event), { maxLength: options.maxEvents, ttlSeconds })
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

import { log } from '@/lib/log'
import type { Delivery } from './delivery'
import { isDraftOrVersion } from './delivery'
import { DeliveryRejected, TargetUnavailable } from './errors'
import type { SyncTarget, TypeHandler } from './target'
import { TARGETS, type TargetContext, type TargetDefinition, type TargetName } from './targets/registry'

// The one sync pipeline both runtimes run (lib/sync/handle.ts for webhooks, lib/sync/function.ts for
// Sanity Functions): read the document's current state, apply it with set semantics, revoke what was
// synced before when it is gone or names someone else. Runtime-neutral: no store, no config, no Next.

/** Reads the document's current state from Sanity (the handler's GROQ by `$id`). */
export type ReadCurrent = (query: string, params: { id: string }) => Promise<unknown>

/**
 * What a target last synced for one document, and all a delete may revoke. The webhook runtime keeps
 * it in the shared store; a function reads it from its event (the document as it was), which Sanity
 * evaluated, so it never comes from a request anyone could sign.
 */
export type SyncedRecord = {
  previous(): Promise<unknown>
  remember(record: unknown): Promise<void>
  forget(): Promise<void>
}

export type ApplyResult = { applied: string[]; gone: boolean; record: unknown; revision?: string }

/**
 * JSON with sorted keys and without null or absent values, so two records compare equal whatever
 * order their fields were built in and whether "no value" was spelled null or left out.
 */
export function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([, field]) => field !== null && field !== undefined)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  )
}

function parseRecord(handler: TypeHandler<unknown, unknown>, value: unknown): unknown {
  if (value === null || value === undefined) return null
  const parsed = handler.gone.safeParse(value)
  return parsed.success ? parsed.data : null
}

/**
 * Applies the document's current state, never a payload: deliveries arrive late, out of order, and a
 * delete's payload is whatever its signer put in it. A document that still exists is applied as it is
 * now; one that is gone has exactly the previous record revoked. When the document now names a
 * different user than before, the previous one is revoked first.
 */
export async function applyCurrentState(
  handler: TypeHandler<unknown, unknown>,
  delivery: { id: string; type: string },
  read: ReadCurrent,
  records: SyncedRecord,
): Promise<ApplyResult> {
  const early = handler.beforeRead ? (await handler.beforeRead({ id: delivery.id, type: delivery.type })).applied : []
  let current: unknown
  try {
    current = await read(handler.query, { id: delivery.id })
  } catch (error) {
    throw new TargetUnavailable('Sanity could not be read', 30, error)
  }
  if (handler.recordless) {
    const parsed = handler.doc.safeParse(current)
    if (!parsed.success)
      throw new DeliveryRejected(422, `Malformed ${delivery.type}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`)
    return { applied: [...early, ...(await handler.apply(parsed.data)).applied], gone: false, record: null }
  }
  const previous = parseRecord(handler, await records.previous())
  if (current === null || current === undefined) {
    if (previous === null) return { applied: [], gone: true, record: null }
    const summary = await handler.remove(previous)
    await records.forget()
    return { applied: summary.applied, gone: true, record: null }
  }
  const parsed = handler.doc.safeParse(current)
  if (!parsed.success)
    throw new DeliveryRejected(422, `Malformed ${delivery.type}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`)
  const next = handler.record(parsed.data)
  const applied: string[] = []
  if (previous !== null && stable(previous) !== stable(parseRecord(handler, next) ?? next)) applied.push(...(await handler.remove(previous)).applied)
  const summary = await handler.apply(parsed.data)
  applied.push(...summary.applied)
  const record = summary.record ?? next
  await records.remember(record)
  return { applied, gone: false, record, ...(summary.revision ? { revision: summary.revision } : {}) }
}

/** How a delivery ended, in HTTP terms (the webhook's response; a function throws on 5xx so Sanity retries). */
export type Outcome = { status: number; body?: unknown; retryAfter?: number; outcome: string }

/** Makes a target's module from its parsed settings (its SDK loads only now). */
export async function createTarget(name: TargetName, settings: unknown, context: TargetContext): Promise<SyncTarget> {
  const definition = TARGETS[name] as unknown as TargetDefinition
  // The registry entry and its parsed settings belong to the same target.
  const loaded = await definition.load()
  return loaded.create(settings as never, context)
}

/** The handler for a delivery's type; null for a draft or release version, which never syncs. */
export function handlerFor(targetName: TargetName, target: SyncTarget, delivery: Pick<Delivery, 'id' | 'type'>): TypeHandler<unknown, unknown> | null {
  if (isDraftOrVersion(delivery.id)) return null
  const handler = Object.hasOwn(target.handlers, delivery.type) ? target.handlers[delivery.type] : undefined
  if (!handler) throw new DeliveryRejected(400, `The ${targetName} target does not sync "${delivery.type.slice(0, 64)}" documents`)
  return handler
}

export function outcomeOfResult(targetName: TargetName, delivery: Pick<Delivery, 'id' | 'operation'>, result: ApplyResult): Outcome {
  if (result.applied.length === 0) return { status: 204, outcome: result.gone ? 'nothing-synced' : 'no-op' }
  return { status: 200, body: { target: targetName, id: delivery.id, operation: delivery.operation, applied: result.applied }, outcome: 'applied' }
}

/** Refused (4xx: never retried), unavailable (503 + Retry-After: retried) or an internal error (500). */
export function outcomeOfError(error: unknown, targetName: string): Outcome {
  if (error instanceof DeliveryRejected) return { status: error.status, body: { error: error.message }, outcome: 'rejected' }
  if (error instanceof TargetUnavailable) return { status: 503, body: { error: error.message }, retryAfter: error.retryAfterSeconds, outcome: 'unavailable' }
  log.failure('sync.internal_error', error, { target: targetName.slice(0, 64) })
  return { status: 500, body: { error: 'Internal error' }, outcome: 'error' }
}

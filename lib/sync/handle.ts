import 'server-only'
import { SIGNATURE_HEADER_NAME } from '@sanity/webhook'
import { keyHash } from '@/lib/auth/hash'
import { getConfig } from '@/lib/config'
import { sanityClient } from '@/lib/content/client'
import { log } from '@/lib/log'
import { sharedStore } from '@/lib/store'
import { isDraftOrVersion, parseDelivery, type Delivery } from './delivery'
import { DeliveryRejected, TargetUnavailable } from './errors'
import { SYNCED_RECORD_SECONDS, syncedRecordKey } from './records'
import type { SyncTarget, TypeHandler } from './target'
import { TARGETS, type TargetDefinition, type TargetName } from './targets/registry'
import { readRawBody, verifySignature } from './verify'

type Outcome = { status: number; body?: unknown; retryAfter?: number; outcome: string }

/** Sanity retries for up to 30 minutes; a delivery is remembered well past that. */
const DELIVERY_MEMORY_SECONDS = 24 * 3600
/** Longer than Sanity's 30 s timeout: a crashed attempt frees its claim by itself. */
const IN_FLIGHT_SECONDS = 60

/** A target in use: its secret and its module made from its settings (loaded once per process). */
type ActiveTarget = { name: TargetName; secret: string; target: SyncTarget }
const loaded = new Map<TargetName, Promise<SyncTarget>>()

/** The target the route names, if it is configured (lib/config); otherwise 404, naming none of its settings. */
async function activeTarget(name: string): Promise<ActiveTarget> {
  if (!Object.hasOwn(TARGETS, name)) throw new DeliveryRejected(404, `Unknown sync target "${name.slice(0, 64)}"`)
  const targetName = name as TargetName
  const config = getConfig()
  const state = config.sync.targets[targetName]
  if (!state) {
    log.warn('sync.target_not_enabled', { target: targetName })
    throw new DeliveryRejected(404, `The ${targetName} sync target is not enabled`)
  }
  let target = loaded.get(targetName)
  if (!target) {
    const definition = TARGETS[targetName] as unknown as TargetDefinition
    // The registry entry and its parsed settings belong to the same target.
    target = definition.load().then((module) => module.create(state.settings as never, { timeoutMs: config.sync.timeoutMs }))
    loaded.set(targetName, target)
  }
  return { name: targetName, secret: state.secret, target: await target }
}

/** JSON with sorted keys, so two records compare equal whatever order their fields were built in. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  )
}

/**
 * At-least-once delivery made exactly-once in effect: the first attempt with an idempotency key (or,
 * for a replayed request, the same signature) claims it; a later one is a duplicate, one arriving
 * while the first is still running is told to retry. A failed attempt releases its claim.
 */
async function claimDelivery(
  target: ActiveTarget,
  delivery: Delivery,
  signature: string,
): Promise<{ duplicate: boolean; settle(done: boolean): Promise<void> }> {
  const store = sharedStore()
  // Per target: two webhooks sharing a secret sign the same body in the same millisecond identically.
  const keys = [
    `webhook-signature:${target.name}:${keyHash(signature)}`,
    ...(delivery.idempotencyKey ? [`webhook-delivery:${target.name}:${keyHash(delivery.idempotencyKey)}`] : []),
  ]
  try {
    for (const key of keys) {
      const state = await store.get(key)
      if (state === 'done') return { duplicate: true, settle: async () => undefined }
      if (state === 'processing') throw new TargetUnavailable('The same delivery is being applied right now', 5)
    }
    const claimed: string[] = []
    for (const key of keys) {
      if (!(await store.set(key, 'processing', { ttlSeconds: IN_FLIGHT_SECONDS, ifAbsent: true }))) {
        await Promise.all(claimed.map((k) => store.delete(k)))
        throw new TargetUnavailable('The same delivery is being applied right now', 5)
      }
      claimed.push(key)
    }
    return {
      duplicate: false,
      async settle(done) {
        await Promise.all(keys.map((key) => (done ? store.set(key, 'done', { ttlSeconds: DELIVERY_MEMORY_SECONDS }) : store.delete(key))))
      },
    }
  } catch (error) {
    if (error instanceof TargetUnavailable) throw error
    throw new TargetUnavailable('The shared store is unavailable', 5, error)
  }
}

async function lockDocument(target: ActiveTarget, id: string): Promise<() => Promise<void>> {
  const store = sharedStore()
  const key = `sync-lock:${target.name}:${id}`
  let locked: boolean
  try {
    locked = await store.set(key, '1', { ttlSeconds: IN_FLIGHT_SECONDS, ifAbsent: true })
  } catch (error) {
    throw new TargetUnavailable('The shared store is unavailable', 5, error)
  }
  if (!locked) throw new TargetUnavailable(`Another delivery for ${id} is being applied right now`, 2)
  return () => store.delete(key).catch(() => undefined)
}

async function readRecord<Gone>(key: string, handler: TypeHandler<unknown, Gone>): Promise<Gone | null> {
  const value = await sharedStore().get(key)
  if (value === null) return null
  try {
    const parsed = handler.gone.safeParse(JSON.parse(value))
    if (parsed.success) return parsed.data
  } catch {
    // fall through: an unreadable record is logged and treated as none
  }
  log.warn('sync.record_unreadable', { key })
  return null
}

/**
 * Applies the document's current state, never the payload: deliveries arrive late, out of order, and
 * a delete's payload is whatever the signer put in it. A document that still exists is applied as it
 * is now; one that is gone has exactly what Gatehouse last synced for that id revoked. When the
 * document now names a different user than before, the previous one is revoked first.
 */
async function applyCurrentState(target: ActiveTarget, handler: TypeHandler<unknown, unknown>, delivery: Delivery) {
  let current: unknown
  try {
    current = await sanityClient().fetch(handler.query, { id: delivery.id }, { cache: 'no-store' })
  } catch (error) {
    throw new TargetUnavailable('Sanity could not be read', 30, error)
  }
  const store = sharedStore()
  const recordKey = syncedRecordKey(target.name, delivery.id)
  let previous: unknown
  try {
    previous = await readRecord(recordKey, handler)
  } catch (error) {
    throw new TargetUnavailable('The shared store is unavailable', 5, error)
  }
  if (current === null || current === undefined) {
    if (previous === null) return { applied: [] as string[], gone: true }
    const summary = await handler.remove(previous)
    await store.delete(recordKey).catch((error: unknown) => {
      throw new TargetUnavailable('The shared store is unavailable', 5, error)
    })
    return { applied: summary.applied, gone: true }
  }
  const parsed = handler.doc.safeParse(current)
  if (!parsed.success)
    throw new DeliveryRejected(422, `Malformed ${delivery.type}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`)
  const next = handler.record(parsed.data)
  const applied: string[] = []
  if (previous !== null && stable(previous) !== stable(next)) applied.push(...(await handler.remove(previous)).applied)
  const summary = await handler.apply(parsed.data)
  applied.push(...summary.applied)
  await store.set(recordKey, stable(summary.record ?? next), { ttlSeconds: SYNCED_RECORD_SECONDS }).catch((error: unknown) => {
    throw new TargetUnavailable('The shared store is unavailable', 5, error)
  })
  return { applied, gone: false }
}

async function run(request: Request, target: ActiveTarget): Promise<{ delivery?: Delivery; result: Outcome }> {
  const raw = await readRawBody(request)
  const signature = request.headers.get(SIGNATURE_HEADER_NAME)
  await verifySignature(raw, signature, target.secret)
  const delivery = parseDelivery(raw, request.headers)
  if (isDraftOrVersion(delivery.id)) return { delivery, result: { status: 204, outcome: 'skipped-draft' } }
  const handler = target.target.handlers[delivery.type]
  if (!handler) throw new DeliveryRejected(400, `The ${target.name} target does not sync "${delivery.type}" documents`)

  const claim = await claimDelivery(target, delivery, signature!)
  if (claim.duplicate) return { delivery, result: { status: 200, body: { target: target.name, id: delivery.id, duplicate: true }, outcome: 'duplicate' } }
  let result
  try {
    // One delivery per document at a time: otherwise a slow update that read the document before it
    // was deleted could write its grants after the deletion's revocation.
    const unlock = await lockDocument(target, delivery.id)
    try {
      result = await applyCurrentState(target, handler, delivery)
    } finally {
      await unlock()
    }
  } catch (error) {
    await claim.settle(false).catch(() => undefined)
    throw error
  }
  await claim.settle(true).catch((error: unknown) => log.failure('sync.settle_failed', error))
  if (result.applied.length === 0) return { delivery, result: { status: 204, outcome: result.gone ? 'nothing-synced' : 'no-op' } }
  return {
    delivery,
    result: { status: 200, body: { target: target.name, id: delivery.id, operation: delivery.operation, applied: result.applied }, outcome: 'applied' },
  }
}

/** POST /api/webhooks/sanity/[target]: verify, de-duplicate, fetch, apply, respond in the way Sanity retries well. */
export async function handleSanityWebhook(request: Request, targetName: string): Promise<Response> {
  const started = performance.now()
  let delivery: Delivery | undefined
  let result: Outcome
  try {
    ;({ delivery, result } = await run(request, await activeTarget(targetName)))
  } catch (error) {
    if (error instanceof DeliveryRejected) result = { status: error.status, body: { error: error.message }, outcome: 'rejected' }
    else if (error instanceof TargetUnavailable)
      result = { status: 503, body: { error: error.message }, retryAfter: error.retryAfterSeconds, outcome: 'unavailable' }
    else {
      log.failure('sync.internal_error', error, { target: targetName.slice(0, 64) })
      result = { status: 500, body: { error: 'Internal error' }, outcome: 'error' }
    }
  }
  // One structured line per delivery; ids and outcomes only, never secrets, tokens or bodies.
  log.info('sync.delivery', {
    target: targetName.slice(0, 64),
    idempotencyKey: request.headers.get('idempotency-key')?.slice(0, 128) ?? null,
    documentId: delivery?.id ?? request.headers.get('sanity-document-id')?.slice(0, 128) ?? null,
    operation: delivery?.operation ?? request.headers.get('sanity-operation')?.slice(0, 16) ?? null,
    status: result.status,
    outcome: result.outcome,
    ms: Math.round(performance.now() - started),
  })
  const headers: Record<string, string> = { 'cache-control': 'no-store' }
  if (result.retryAfter) headers['retry-after'] = String(result.retryAfter)
  if (result.status === 204) return new Response(null, { status: 204, headers })
  return Response.json(result.body, { status: result.status, headers })
}

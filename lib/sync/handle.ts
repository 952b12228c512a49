import 'server-only'
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { SIGNATURE_HEADER_NAME } from '@sanity/webhook'
import { z } from 'zod'
import { keyHash } from '@/lib/auth/hash'
import { getConfig } from '@/lib/config'
import { ConfigError } from '@/lib/config/env'
import { sanityClient, sanityWriteClient } from '@/lib/content/client'
import { log } from '@/lib/log'
import { sharedStore } from '@/lib/store'
import { documentId, documentType, parseDelivery, type Delivery } from './delivery'
import { DeliveryRejected, TargetUnavailable } from './errors'
import { applyCurrentState, createTarget, handlerFor, outcomeOfError, outcomeOfResult, type Outcome, type ReadCurrent } from './pipeline'
import { storedRecord } from './records'
import type { SyncTarget } from './target'
import { secretEnvOf, settingsEnvOf, TARGETS, webhookFilterOf, type TargetDefinition, type TargetName } from './targets/registry'
import { readRawBody, verifySignature } from './verify'

/** Sanity retries for up to 30 minutes; a delivery is remembered well past that. */
const DELIVERY_MEMORY_SECONDS = 24 * 3600
/**
 * How long a claim and a document's lock last: longer than a delivery can run (a handful of management
 * calls, each bounded by SYNC_TIMEOUT_MS) and than Sanity's 30 s timeout, so a lock never lapses while
 * its delivery still writes; a crashed attempt frees them by itself.
 */
const inFlightSeconds = () => Math.max(60, Math.ceil((6 * getConfig().sync.timeoutMs) / 1000))

/** A target in use: its secret and its module made from its settings (loaded once per process). */
type ActiveTarget = { name: TargetName; secret: string; target: SyncTarget }
const loaded = new Map<TargetName, Promise<SyncTarget>>()

/**
 * A secret nobody holds. A request naming an unknown or a disabled target is authenticated against
 * it, so it fails exactly as a wrong signature (or bearer) on an enabled target does: before
 * authenticating, every answer is the same 401, and nothing tells a caller which targets exist.
 */
const NOBODYS_SECRET = randomBytes(32).toString('base64url')

/**
 * The secret a request for `name` must be signed with: the target's own, or null for an unknown or
 * disabled one (logged, never answered, so an operator sees a webhook pointed at a target that is not
 * configured; the caller then authenticates against NOBODYS_SECRET).
 */
function secretFor(name: string): { name: TargetName; secret: string } | null {
  const state = Object.hasOwn(TARGETS, name) ? getConfig().sync.targets[name as TargetName] : undefined
  if (state) return { name: name as TargetName, secret: state.secret }
  log.warn('sync.target_not_enabled', { target: name.slice(0, 64) })
  return null
}

/** The module of an authenticated target, made from its settings once per process (a failure is not kept). */
async function activeTarget(name: TargetName, secret: string): Promise<ActiveTarget> {
  const config = getConfig()
  if (config.sync.runtime === 'functions' && TARGETS[name].appliesIn === 'idp') {
    // A webhook left in the dashboard after the switch fails visibly in Sanity's log instead of
    // applying a second time next to its function.
    log.warn('sync.target_runs_as_function', { target: name })
    throw new DeliveryRejected(404, `The ${name} sync target runs as a Sanity Function (SYNC_RUNTIME=functions)`)
  }
  return { name, secret, target: await targetModule(name) }
}

function targetModule(name: TargetName): Promise<SyncTarget> {
  let target = loaded.get(name)
  if (!target) {
    const config = getConfig()
    target = createTarget(name, config.sync.targets[name]!.settings, { timeoutMs: config.sync.timeoutMs, sanityWriter: sanityWriteClient })
    target.catch(() => loaded.delete(name))
    loaded.set(name, target)
  }
  return target
}

/**
 * At start-up (instrumentation.ts): builds every enabled target that applies here with its SDK, so a
 * setting the SDK refuses stops start-up naming the target's variables — never a 500 per delivery.
 */
export async function prepareSyncTargets(): Promise<void> {
  const config = getConfig()
  const problems: string[] = []
  for (const name of Object.keys(config.sync.targets) as TargetName[]) {
    if (config.sync.runtime === 'functions' && TARGETS[name].appliesIn === 'idp') continue
    try {
      await targetModule(name)
    } catch (error) {
      const variables = settingsEnvOf(TARGETS[name] as TargetDefinition)
      problems.push(
        `${secretEnvOf(name)} is set, but the ${name} target's SDK refuses its settings${variables.length ? ` (${variables.join(', ')})` : ''}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }
  if (problems.length > 0) throw new ConfigError(problems)
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
      if (!(await store.set(key, 'processing', { ttlSeconds: inFlightSeconds(), ifAbsent: true }))) {
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
    locked = await store.set(key, '1', { ttlSeconds: inFlightSeconds(), ifAbsent: true })
  } catch (error) {
    throw new TargetUnavailable('The shared store is unavailable', 5, error)
  }
  if (!locked) throw new TargetUnavailable(`Another delivery for ${id} is being applied right now`, 2)
  return () => store.delete(key).catch(() => undefined)
}

const readCurrent: ReadCurrent = (query, params) => sanityClient().fetch(query, params)

async function run(request: Request, targetName: string): Promise<{ delivery?: Delivery; result: Outcome }> {
  const raw = await readRawBody(request)
  const signature = request.headers.get(SIGNATURE_HEADER_NAME)
  // Authenticated before anything about the target is looked at or built.
  const configured = secretFor(targetName)
  await verifySignature(raw, signature, configured?.secret ?? NOBODYS_SECRET)
  // Unreachable (nobody holds that secret); says so to the type checker.
  if (!configured) throw new DeliveryRejected(401, 'Invalid signature')
  const target = await activeTarget(configured.name, configured.secret)
  const delivery = parseDelivery(raw, request.headers)
  const found = handlerFor(target.name, target.target, delivery)
  if (!found) return { delivery, result: { status: 204, outcome: 'skipped-draft' } }
  // What must not wait (the content cache's own expiry) runs before the claim, which writes to the
  // shared store: a store refusing writes fails the claim, and the expiry must be attempted (and, when
  // refused, owed) all the same. Harmless to repeat, so a duplicate delivery may run it again.
  const early = found.beforeRead ? (await found.beforeRead({ id: delivery.id, type: delivery.type })).applied : []
  const handler = { ...found, beforeRead: undefined }

  const claim = await claimDelivery(target, delivery, signature!)
  if (claim.duplicate) return { delivery, result: { status: 200, body: { target: target.name, id: delivery.id, duplicate: true }, outcome: 'duplicate' } }
  let result
  try {
    // One delivery per document at a time: otherwise a slow update that read the document before it
    // was deleted could write its grants after the deletion's revocation. A recordless target (the
    // content cache) only repeats a harmless expiry, so a second publish need not wait for a retry.
    const unlock = handler.recordless ? async () => {} : await lockDocument(target, delivery.id)
    try {
      result = await applyCurrentState(handler, delivery, readCurrent, storedRecord(target.name, delivery.id))
    } finally {
      await unlock()
    }
  } catch (error) {
    await claim.settle(false).catch(() => undefined)
    throw error
  }
  result = { ...result, applied: [...early, ...result.applied] }
  await claim.settle(true).catch((error: unknown) => log.failure('sync.settle_failed', error))
  return { delivery, result: outcomeOfResult(target.name, delivery, result) }
}

/** POST /api/webhooks/sanity/[target]: verify, de-duplicate, fetch, apply, respond in the way Sanity retries well. */
export async function handleSanityWebhook(request: Request, targetName: string): Promise<Response> {
  const started = performance.now()
  let delivery: Delivery | undefined
  let result: Outcome
  try {
    ;({ delivery, result } = await run(request, targetName))
  } catch (error) {
    result = outcomeOfError(error, targetName)
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

const RESYNC_LIMIT = { default: 50, max: 200 }
const resyncPage = z.object({
  after: documentId.or(z.literal('')).default(''),
  limit: z.coerce.number().int().min(1).max(RESYNC_LIMIT.max).default(RESYNC_LIMIT.default),
})
const resyncDocs = z.array(z.object({ _id: documentId, _type: documentType }))

/** The target's own secret as a bearer token: it already lets its holder have any document re-applied. */
function authorize(request: Request, secret: string): void {
  const presented = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? ''
  const digest = (value: string) => createHash('sha256').update(value).digest()
  if (!presented || !timingSafeEqual(digest(presented), digest(secret)))
    throw new DeliveryRejected(401, "Missing or wrong bearer token (the target's webhook secret)")
}

type ResyncSummary = { applied: number; unchanged: number; failed: { id: string; status: number; error: string }[] }

/**
 * POST /api/sync/resync/[target]?after=<id>&limit=<n>: applies the current state of every document the
 * target syncs, a page at a time in _id order, exactly as a delivery for each would (the same lock,
 * pipeline and records) — after a first deploy of the blueprint (existing documents are not
 * delivered until they change) or a switch back from the functions runtime (stale records). A
 * document that does not validate is listed and skipped; an unavailable IdP stops the page with 503
 * and `next` to resume from. Answers `{applied, unchanged, failed, next}`; `next: null` when done.
 */
export async function resyncTarget(request: Request, targetName: string): Promise<Response> {
  const started = performance.now()
  const summary: ResyncSummary = { applied: 0, unchanged: 0, failed: [] }
  let result: Outcome
  try {
    const configured = secretFor(targetName)
    authorize(request, configured?.secret ?? NOBODYS_SECRET)
    if (!configured) throw new DeliveryRejected(401, "Missing or wrong bearer token (the target's webhook secret)")
    const target = await activeTarget(configured.name, configured.secret)
    const page = resyncPage.safeParse(Object.fromEntries(new URL(request.url).searchParams))
    if (!page.success) throw new DeliveryRejected(400, `Bad page: ${page.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`)
    const { after, limit } = page.data
    const definition = TARGETS[target.name] as TargetDefinition
    // The limit is a validated integer; the filter is the registry's; `after` is a parameter.
    const query = `*[(${webhookFilterOf(definition)}) && _id > $after] | order(_id asc)[0...${limit}]{_id, _type}`
    let docs: z.output<typeof resyncDocs>
    try {
      docs = resyncDocs.parse(await sanityClient().fetch(query, { after }))
    } catch (error) {
      throw new TargetUnavailable('Sanity could not be read', 30, error)
    }
    let resumeAfter = after
    result = { status: 200, outcome: 'resynced' }
    for (const doc of docs) {
      const delivery = { id: doc._id, type: doc._type }
      try {
        const handler = handlerFor(target.name, target.target, delivery)
        if (handler) {
          const unlock = await lockDocument(target, doc._id)
          try {
            const applied = await applyCurrentState(handler, delivery, readCurrent, storedRecord(target.name, doc._id))
            if (applied.applied.length > 0) summary.applied++
            else summary.unchanged++
          } finally {
            await unlock()
          }
        }
      } catch (error) {
        if (error instanceof DeliveryRejected) summary.failed.push({ id: doc._id, status: error.status, error: error.message })
        else if (error instanceof TargetUnavailable) {
          result = { status: 503, retryAfter: error.retryAfterSeconds, outcome: 'unavailable', body: { error: error.message } }
          break
        } else throw error
      }
      resumeAfter = doc._id
    }
    const next = result.status === 503 ? resumeAfter : docs.length === limit ? docs.at(-1)!._id : null
    result = { ...result, body: { target: target.name, ...summary, ...(result.body as object | undefined), next } }
  } catch (error) {
    result = outcomeOfError(error, targetName)
  }
  log.info('sync.resync', {
    target: targetName.slice(0, 64),
    status: result.status,
    ...summary,
    failed: summary.failed.length,
    ms: Math.round(performance.now() - started),
  })
  const headers: Record<string, string> = { 'cache-control': 'no-store' }
  if (result.retryAfter) headers['retry-after'] = String(result.retryAfter)
  return Response.json(result.body, { status: result.status, headers })
}

import 'server-only'
import { SIGNATURE_HEADER_NAME } from '@sanity/webhook'
import { getConfig } from '@/lib/config'
import { localDefaults } from '@/lib/config/defaults'
import { sanityClient } from '@/lib/content/client'
import { isDraftOrVersion, parseDelivery, type Delivery } from './delivery'
import { DeliveryRejected, TargetUnavailable } from './errors'
import type { SyncTarget } from './target'
import { assertLocalTargetAllowed } from './targets/local'
import { syncTargets } from './targets'
import { readRawBody, verifySignature } from './verify'

type Outcome = { status: number; body?: unknown; retryAfter?: number; outcome: string }

function secretFor(target: SyncTarget): string | undefined {
  const configured = process.env[target.secretEnv]?.trim()
  if (configured) return configured
  // The embedded defaults' public dev secret, never outside local mode.
  return target.name === 'local' && getConfig().auth.provider === 'local' ? localDefaults.webhookSecret : undefined
}

async function run(request: Request, target: SyncTarget): Promise<{ delivery?: Delivery; result: Outcome }> {
  const secret = secretFor(target)
  if (!secret) return { result: { status: 500, body: { error: `${target.secretEnv} is not set` }, outcome: 'misconfigured' } }
  if (target.name === 'local') assertLocalTargetAllowed()

  const raw = await readRawBody(request)
  await verifySignature(raw, request.headers.get(SIGNATURE_HEADER_NAME), secret)
  const delivery = parseDelivery(raw, request.headers)
  if (isDraftOrVersion(delivery.id)) return { delivery, result: { status: 204, outcome: 'skipped-draft' } }
  const handler = target.handlers[delivery.type]
  if (!handler) throw new DeliveryRejected(400, `The ${target.name} target does not sync "${delivery.type}" documents`)

  // The current document, not the payload: deliveries can arrive late and out of order.
  let current: unknown = null
  if (delivery.operation !== 'delete') {
    try {
      current = await sanityClient().fetch(handler.query, { id: delivery.id }, { cache: 'no-store' })
    } catch (error) {
      throw new TargetUnavailable('Sanity could not be read', 30, error)
    }
  }
  let summary
  if (current) {
    const doc = handler.doc.safeParse(current)
    if (!doc.success) throw new DeliveryRejected(422, `Malformed ${delivery.type}: ${doc.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`)
    summary = await handler.apply(doc.data)
  } else {
    // Deleted (or gone by the time we read it): revoke what the document had granted.
    const gone = handler.gone.safeParse(delivery.payload)
    if (!gone.success) throw new DeliveryRejected(422, `The delete payload lacks what is needed to revoke access`)
    summary = await handler.remove(gone.data)
  }
  if (summary.applied.length === 0) return { delivery, result: { status: 204, outcome: 'no-op' } }
  return { delivery, result: { status: 200, body: { target: target.name, id: delivery.id, operation: delivery.operation, ...summary }, outcome: 'applied' } }
}

/** POST /api/webhooks/sanity/[target]: verify, fetch, apply, respond in the way Sanity retries well. */
export async function handleSanityWebhook(request: Request, targetName: string): Promise<Response> {
  const started = performance.now()
  const target = Object.hasOwn(syncTargets, targetName) ? syncTargets[targetName as keyof typeof syncTargets] : undefined
  let delivery: Delivery | undefined
  let result: Outcome
  try {
    if (!target) throw new DeliveryRejected(404, `Unknown sync target "${targetName}"`)
    ;({ delivery, result } = await run(request, target))
  } catch (error) {
    if (error instanceof DeliveryRejected) result = { status: error.status, body: { error: error.message }, outcome: 'rejected' }
    else if (error instanceof TargetUnavailable) result = { status: 503, body: { error: error.message }, retryAfter: error.retryAfterSeconds, outcome: 'unavailable' }
    else {
      console.error(error)
      result = { status: 500, body: { error: 'Internal error' }, outcome: 'error' }
    }
  }
  // One structured line per delivery; ids and outcomes only, never secrets, tokens or bodies.
  console.info(
    JSON.stringify({
      event: 'sync.delivery',
      target: targetName,
      idempotencyKey: request.headers.get('idempotency-key'),
      documentId: delivery?.id ?? request.headers.get('sanity-document-id'),
      operation: delivery?.operation ?? request.headers.get('sanity-operation'),
      status: result.status,
      outcome: result.outcome,
      ms: Math.round(performance.now() - started),
    }),
  )
  const headers: Record<string, string> = { 'cache-control': 'no-store' }
  if (result.retryAfter) headers['retry-after'] = String(result.retryAfter)
  if (result.status === 204) return new Response(null, { status: 204, headers })
  return Response.json(result.body, { status: result.status, headers })
}

import { createHash } from 'node:crypto'
import { createClient, type SanityClient } from '@sanity/client'
import { documentEventHandler, type DocumentEvent, type FunctionContext } from '@sanity/functions'
import { encodeSignatureHeader, SIGNATURE_HEADER_NAME } from '@sanity/webhook'
import { z } from 'zod'
import { ConfigError } from '@/lib/config/env'
import { functionConfig, type FunctionConfig } from '@/lib/config/sync'
import { log } from '@/lib/log'
import { SYNC_OPERATIONS } from '@/sanity/webhooks'
import { documentId, documentType } from './delivery'
import { DeliveryRejected, TargetUnavailable } from './errors'
import {
  applyCurrentState,
  createTarget,
  stable,
  handlerFor,
  outcomeOfError,
  outcomeOfResult,
  type ApplyResult,
  type Outcome,
  type ReadCurrent,
  type SyncedRecord,
} from './pipeline'
import type { SyncTarget } from './target'
import { TARGETS } from './targets/registry'

// The Sanity Functions runtime (SYNC_RUNTIME=functions): a thin shell over the same pipeline as the
// webhook route (lib/sync/pipeline.ts). Sanity invokes it with the event its blueprint declares
// (sanity/webhooks.ts → functionProjectionOf); it cannot reach the app's shared store, so it is safe
// under retries by construction instead: set semantics, the previous record from the event itself,
// and a document changed while it was applied is applied again until its revision holds still.
// A target whose effect lives in the app (access) has its event sent to the app's route, signed.

/** The event data: the projection of functionProjectionOf, evaluated by Sanity. */
const eventSchema = z.object({
  _id: documentId,
  _type: documentType,
  _rev: z.string().max(64).nullish(),
  operation: z.enum(SYNC_OPERATIONS, { message: 'unknown operation' }),
  before: z.record(z.string(), z.unknown()).nullish(),
})
export type SyncFunctionEvent = z.input<typeof eventSchema>
type SyncEvent = z.output<typeof eventSchema>

export type SyncFunctionEnvelope = { context: Pick<FunctionContext, 'clientOptions'>; event: DocumentEvent<unknown> }

/** The app's answers about the event itself (malformed, too large, a document that does not validate). */
const REFUSALS = new Set([400, 413, 422])

/** Applies once more while the document keeps changing under it; beyond that the handler's retry takes over. */
const MAX_PASSES = 3
const SANITY_HOSTS = /(^|\.)api\.sanity\.(io|work)$/

function clientFor(context: SyncFunctionEnvelope['context'], config: FunctionConfig): SanityClient {
  const { apiHost, projectId, dataset, token } = context.clientOptions ?? {}
  if (!projectId || !dataset) throw new ConfigError([`The invocation names no ${projectId ? 'dataset' : 'project'} (context.clientOptions)`])
  // Sanity's own API takes the project as a hostname; any other host (the local lake) takes paths.
  const custom = apiHost !== undefined && !SANITY_HOSTS.test(new URL(apiHost).hostname)
  return createClient({
    projectId,
    dataset,
    token,
    apiVersion: config.apiVersion,
    useCdn: false,
    perspective: 'published',
    ...(apiHost ? { apiHost: apiHost.replace(/\/+$/, '') } : {}),
    ...(custom ? { useProjectHostname: false } : {}),
  })
}

/** The record a delete revokes, from the event (the document as it was), updated by each pass. */
function eventRecord(before: SyncEvent['before']): SyncedRecord & { current(): unknown } {
  let record: unknown = before ?? null
  return {
    previous: async () => record,
    remember: async (next) => void (record = next),
    forget: async () => void (record = null),
    current: () => record,
  }
}

/**
 * A warm function instance keeps its target (SDK clients, a management token) between invocations, as
 * the app's server does; keyed by everything it was made from, hashed (secrets stay out of the key).
 */
const targets = new Map<string, Promise<{ target: SyncTarget; client: SanityClient }>>()

function targetFor(envelope: SyncFunctionEnvelope, config: FunctionConfig) {
  const key = createHash('sha256')
    .update(stable([config, envelope.context.clientOptions]))
    .digest('base64url')
  let entry = targets.get(key)
  if (!entry) {
    const client = clientFor(envelope.context, config)
    entry = createTarget(config.target, config.settings, { timeoutMs: config.timeoutMs, sanityWriter: () => client }).then((target) => ({ target, client }))
    entry.catch(() => targets.delete(key))
    targets.set(key, entry)
  }
  return entry
}

async function applyAtTheIdp(envelope: SyncFunctionEnvelope, config: FunctionConfig, event: SyncEvent): Promise<Outcome> {
  const { target, client } = await targetFor(envelope, config)
  const delivery = { id: event._id, type: event._type, operation: event.operation }
  const handler = handlerFor(config.target, target, delivery)
  if (!handler) return { status: 204, outcome: 'skipped-draft' }
  const read: ReadCurrent = (query, params) => client.fetch(query, params)
  const revision = (): Promise<string | null> =>
    client.fetch<string | null>('*[_id == $id][0]._rev', { id: event._id }).catch((error: unknown) => {
      throw new TargetUnavailable('Sanity could not be read', 30, error)
    })
  const records = eventRecord(event.before)
  let result: ApplyResult | undefined
  try {
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const before = await revision()
      result = await applyCurrentState(handler, delivery, read, records)
      // Unchanged across the pass (but for the pass's own write-back): what was applied is the document
      // as it is now, or its deletion.
      const after = await revision()
      if (after === before || (result.revision !== undefined && after === result.revision)) return outcomeOfResult(config.target, delivery, result)
      log.info('sync.function_reapply', { target: config.target, documentId: event._id, pass: pass + 1 })
    }
    throw new TargetUnavailable(`${event._id} kept changing while it was applied`, 5)
  } catch (error) {
    // A run that granted something and then could not confirm it is current takes it back: a repeat
    // starts again from the event's `before`, which would never revoke this grant. Deny by default —
    // the repeat (or the next publish) grants again what the document still grants.
    if (result && !result.gone && records.current() !== null) {
      await handler.remove(records.current()).then(
        () => log.warn('sync.function_grant_withdrawn', { target: config.target, documentId: event._id }),
        (failure: unknown) => log.failure('sync.function_withdraw_failed', failure, { target: config.target, documentId: event._id }),
      )
    }
    throw error
  }
}

/** The access target's effect lives in the app's store: hand the event to its route, signed as Sanity signs webhooks. */
async function sendToTheApp(config: FunctionConfig, event: SyncEvent): Promise<Outcome> {
  const app = config.app!
  const body = JSON.stringify({ _id: event._id, _type: event._type })
  let response: Response
  try {
    response = await fetch(app.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER_NAME]: await encodeSignatureHeader(body, Date.now(), app.secret),
        'sanity-operation': event.operation,
        'sanity-document-id': event._id,
        // The same event retried is the same delivery to the app (its de-duplication applies it once).
        ...(event._rev ? { 'idempotency-key': `function:${event._id}:${event._rev}:${event.operation}` } : {}),
      },
      body,
      signal: AbortSignal.timeout(config.timeoutMs),
      redirect: 'error',
    })
  } catch (error) {
    throw new TargetUnavailable('The app could not be reached', 30, error)
  }
  const answer = (await response.json().catch(() => null)) as { duplicate?: boolean } | null
  // Only a verdict on the event itself is final. 401/403 (a rotated secret, a clock off by minutes),
  // 404 (the app mid-deploy, the target not enabled), 408/409/429 and 5xx are the app's state, not
  // the event's: the invocation fails, so the change (perhaps a revocation) is not dropped.
  if (REFUSALS.has(response.status)) throw new DeliveryRejected(response.status, `The app refused the event (HTTP ${response.status})`)
  if (!response.ok)
    throw new TargetUnavailable(
      `The app answered ${response.status}${response.status === 401 ? ' (check SANITY_WEBHOOK_SECRET_ACCESS and the clock)' : ''}`,
      Number(response.headers.get('retry-after')) || 30,
    )
  return { status: response.status, outcome: answer?.duplicate ? 'duplicate-at-app' : 'sent-to-app' }
}

/**
 * One invocation: its outcome in the webhook's terms (tests compare both runtimes on it). Never
 * throws: the handler below turns a 5xx outcome into a failed invocation.
 */
export async function runSyncFunction(envelope: SyncFunctionEnvelope, env: Record<string, string | undefined> = process.env): Promise<Outcome> {
  const started = performance.now()
  let outcome: Outcome
  let target = 'unknown'
  let event: SyncEvent | undefined
  try {
    const config = functionConfig(env)
    target = config.target
    const parsed = eventSchema.safeParse(envelope.event?.data)
    if (!parsed.success) throw new DeliveryRejected(400, `Malformed event: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`)
    event = parsed.data
    outcome = TARGETS[config.target].appliesIn === 'app' ? await sendToTheApp(config, event) : await applyAtTheIdp(envelope, config, event)
  } catch (error) {
    // A function's env is the deployer's to fix: say which variables, as its logs are theirs alone.
    outcome = error instanceof ConfigError ? { status: 500, body: { error: error.message }, outcome: 'misconfigured' } : outcomeOfError(error, target)
  }
  // The same structured line as a webhook delivery: ids and outcomes only.
  log.info('sync.delivery', {
    runtime: 'function',
    target,
    documentId: event?._id ?? null,
    operation: event?.operation ?? null,
    status: outcome.status,
    outcome: outcome.outcome,
    ...(outcome.status >= 400 ? { error: (outcome.body as { error?: string } | undefined)?.error ?? null } : {}),
    ms: Math.round(performance.now() - started),
  })
  return outcome
}

/** Thrown so Sanity records the invocation as failed; applying again is safe. */
export class SyncFunctionFailed extends Error {
  readonly outcome: Outcome
  constructor(outcome: Outcome) {
    super(`Sync failed (${outcome.status} ${outcome.outcome}): ${(outcome.body as { error?: string } | undefined)?.error ?? ''}`)
    this.name = 'SyncFunctionFailed'
    this.outcome = outcome
  }
}

/** Waits before the 2nd and 3rd attempt; the whole stays far inside the function's timeout. */
export const RETRY_DELAYS_MS = [2_000, 10_000]

/**
 * The document function's handler (functions/gatehouse-sync). A refused event (4xx: malformed, a
 * document that does not validate) completes with its reason logged, as a refused webhook does. A
 * failure that may pass (5xx: the IdP, Sanity or the app unavailable) is tried again here, after the
 * delays, without counting on Sanity to invoke it again; then it fails the invocation (its log says
 * why). A misconfigured function fails at once.
 */
export function createSyncFunctionHandler({ retryDelaysMs = RETRY_DELAYS_MS }: { retryDelaysMs?: number[] } = {}) {
  return documentEventHandler(async (envelope) => {
    for (let attempt = 0; ; attempt++) {
      const outcome = await runSyncFunction(envelope)
      if (outcome.status < 500) return
      if (outcome.outcome === 'misconfigured' || attempt >= retryDelaysMs.length) throw new SyncFunctionFailed(outcome)
      await new Promise((resolve) => setTimeout(resolve, retryDelaysMs[attempt]))
    }
  })
}

export const syncFunctionHandler = createSyncFunctionHandler()

// Runs a sync target in-process against a real local lake (seeded), with the env a target needs, in
// either runtime: SYNC_TEST_RUNTIME=webhook (the route handler, signed requests) or functions (the
// Sanity Function's handler, invoked with the event Sanity would send: the blueprint's filter and
// projection evaluated by groq-js in delta mode on the document before and after the change, as the
// Sanity CLI's `functions test` and the local lake do). vitest.config.ts runs the sync contract tests
// in both.
// Each test file gets its own module registry, so its env is read fresh.
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeSignatureHeader } from '@sanity/webhook'
import { functionEventOf } from '@/dev/lake/functions'
import { functionEnvOf } from '@/lib/config/sync'
import type { TargetName } from '@/lib/sync/targets/registry'
import { startLake, type Lake } from '@/dev/lake/server'
import type { SanityDocument } from '@/dev/lake/store'
import { functionEventDefinitions } from '@/sanity/webhooks'
import { loadSeed, seedFile } from '../access-matrix'

export type SyncRuntime = 'webhook' | 'functions'
export const RUNTIME: SyncRuntime = process.env.SYNC_TEST_RUNTIME === 'functions' ? 'functions' : 'webhook'
/** Skips what only the webhook runtime has (signatures, de-duplication, the lock): `it.skipIf(inFunctionsRuntime)`. */
export const inFunctionsRuntime = RUNTIME === 'functions'

export const WEBHOOK_SECRET = 'test-webhook-secret'
const READ = 'read-token'
const WRITE = 'write-token'

export type DeliverOptions = {
  operation?: string
  secret?: string
  timestamp?: number
  signature?: string | null
  rawBody?: string
  target?: string
  /** Default: a fresh key per call, as Sanity sends for each new delivery. */
  idempotencyKey?: string | null
}

export type SyncEnv = {
  runtime: SyncRuntime
  lake: Lake
  /** The env a function of this target gets (functions runtime). */
  functionEnv(target?: string): Record<string, string | undefined>
  deliver(payload: unknown, options?: DeliverOptions): Promise<Response>
  mutate(mutations: unknown[]): Promise<void>
  /** Deletes a document from the lake (what publishing a deletion in the Studio does). */
  remove(id: string): Promise<void>
  /** Puts a seed document back as it was in the seed. */
  restore(id: string): Promise<void>
  restartLake(): Promise<void>
  close(): Promise<void>
}

export async function startSyncEnv(target: string, env: Record<string, string>, { runtime = RUNTIME }: { runtime?: SyncRuntime } = {}): Promise<SyncEnv> {
  const dir = await mkdtemp(join(tmpdir(), `sync-${target}-`))
  const lakeOptions = { dataFile: join(dir, 'lake.ndjson'), seedFile, tokens: { [READ]: 'read' as const, [WRITE]: 'write' as const } }
  let lake = await startLake(lakeOptions)
  Object.assign(process.env, {
    LOCAL_LAKE_URL: lake.url,
    SANITY_API_READ_TOKEN: READ,
    SANITY_API_WRITE_TOKEN: WRITE,
    [`SANITY_WEBHOOK_SECRET_${target.toUpperCase()}`]: WEBHOOK_SECRET,
    SYNC_TIMEOUT_MS: '300',
    ...env,
  })
  if (runtime === 'functions') process.env.SYNC_RUNTIME = 'functions'
  const { handleSanityWebhook } = await import('@/lib/sync/handle')
  const { runSyncFunction } = await import('@/lib/sync/function')

  // The app's webhook route over HTTP: a function of a target that applies in the app calls it.
  const app: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://app').pathname.split('/').pop() ?? '')
    const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])))
    const response = await handleSanityWebhook(new Request(`http://app${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }), name)
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
  })
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
  const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`

  // Functions: each document's state before the changes not yet delivered (what Sanity's before() sees).
  const pendingBefore = new Map<string, SanityDocument | null>()
  const snapshot = (id: string) => {
    if (!pendingBefore.has(id)) pendingBefore.set(id, structuredClone(lake.store.get(id) ?? null))
  }
  const idsOf = (mutations: unknown[]) =>
    mutations.flatMap((m) => Object.values(m as Record<string, { id?: string; _id?: string }>).map((body) => body.id ?? body._id ?? ''))

  async function invokeFunction(payload: unknown, options: DeliverOptions): Promise<Response> {
    const name = options.target ?? target
    const definition = functionEventDefinitions.find((f) => f.target === name)
    if (!definition) return Response.json({ error: `no function for ${name}` }, { status: 404 })
    const id = typeof payload === 'object' && payload !== null && '_id' in payload ? String(payload._id) : ''
    let data: unknown
    try {
      const after = lake.store.get(id) ?? null
      const before = pendingBefore.has(id) ? pendingBefore.get(id)! : options.operation === 'create' ? null : after
      pendingBefore.delete(id)
      // The event Sanity would send, evaluated as the lake does when it runs functions (dev/lake/functions.ts).
      data = await functionEventOf(definition, { id, before, after })
      if (data === undefined) return new Response(null, { status: 204, headers: { 'x-not-invoked': 'no such document, or outside the filter' } })
    } catch {
      // The lake is down (a fault test): Sanity had evaluated the event before; the function reads Sanity itself.
      data = { _id: id, _type: (payload as { _type?: string })._type, operation: options.operation ?? 'update', before: null }
    }
    const outcome = await runSyncFunction(
      { context: { clientOptions: { apiHost: lake.url, projectId: 'local', dataset: 'production', token: WRITE } }, event: { data } },
      syncEnv.functionEnv(name),
    )
    const headers: Record<string, string> = outcome.retryAfter ? { 'retry-after': String(outcome.retryAfter) } : {}
    if (outcome.status === 204) return new Response(null, { status: 204, headers })
    return Response.json(outcome.body ?? {}, { status: outcome.status, headers })
  }

  const syncEnv: SyncEnv = {
    runtime,
    get lake() {
      return lake
    },
    functionEnv(name = target) {
      // Exactly what the blueprint gives a function (lib/config/sync.ts), from this test's settings.
      return functionEnvOf(name as TargetName, { ...process.env, APP_BASE_URL: appUrl })
    },
    async deliver(payload, options = {}) {
      if (runtime === 'functions') return invokeFunction(payload, options)
      const body = options.rawBody ?? JSON.stringify(payload)
      const signature =
        options.signature === null
          ? undefined
          : (options.signature ?? (await encodeSignatureHeader(body, options.timestamp ?? Date.now(), options.secret ?? WEBHOOK_SECRET)))
      const id = typeof payload === 'object' && payload !== null && '_id' in payload ? String(payload._id) : undefined
      const request = new Request(`http://localhost/api/webhooks/sanity/${options.target ?? target}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'sanity-webhook-signature': signature } : {}),
          'sanity-operation': options.operation ?? 'update',
          ...(id ? { 'sanity-document-id': id } : {}),
          ...(options.idempotencyKey === null ? {} : { 'idempotency-key': options.idempotencyKey ?? `idem-${Math.random().toString(36).slice(2)}` }),
        },
        body,
      })
      return handleSanityWebhook(request, options.target ?? target)
    },
    async mutate(mutations) {
      for (const id of idsOf(mutations)) snapshot(id)
      const response = await fetch(`${lake.url}/v2025-02-19/data/mutate/production`, {
        method: 'POST',
        headers: { authorization: `Bearer ${WRITE}`, 'content-type': 'application/json' },
        body: JSON.stringify({ mutations }),
      })
      if (!response.ok) throw new Error(`mutate failed: ${response.status} ${await response.text()}`)
    },
    async remove(id) {
      await syncEnv.mutate([{ delete: { id } }])
    },
    async restore(id) {
      const doc = loadSeed().find((d) => d._id === id)
      if (!doc) throw new Error(`no seed document ${id}`)
      await syncEnv.mutate([{ createOrReplace: doc }])
    },
    async restartLake() {
      const port = Number(new URL(lake.url).port)
      await lake.close()
      lake = await startLake({ ...lakeOptions, port })
    },
    async close() {
      await new Promise((resolve) => app.close(resolve))
      await lake.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
  return syncEnv
}

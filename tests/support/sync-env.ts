// Runs the webhook route handler in-process against a real local lake (seeded), with the env a
// target needs. Each test file gets its own module registry, so its env is read fresh.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeSignatureHeader } from '@sanity/webhook'
import { startLake, type Lake } from '@/dev/lake/server'
import { loadSeed, seedFile } from '../access-matrix'

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
  lake: Lake
  deliver(payload: unknown, options?: DeliverOptions): Promise<Response>
  mutate(mutations: unknown[]): Promise<void>
  /** Deletes a document from the lake (what publishing a deletion in the Studio does). */
  remove(id: string): Promise<void>
  /** Puts a seed document back as it was in the seed. */
  restore(id: string): Promise<void>
  restartLake(): Promise<void>
  close(): Promise<void>
}

export async function startSyncEnv(target: string, env: Record<string, string>): Promise<SyncEnv> {
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
  const { handleSanityWebhook } = await import('@/lib/sync/handle')

  const syncEnv: SyncEnv = {
    get lake() {
      return lake
    },
    async deliver(payload, options = {}) {
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
      await lake.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
  return syncEnv
}

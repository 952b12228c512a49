import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isValidSignature } from '@sanity/webhook'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startLake, type Lake } from '@/dev/lake/server'
import { webhookDefinitions } from '@/sanity/webhooks'
import { seedFile } from './access-matrix'
import { startRecorder, type Recorder } from './support/recorder'

// The local lake fires the repo's webhook definitions like Sanity: filter, projection, headers,
// signature, one at a time, retries on 5xx/429/network errors only.

const SECRET = 'lake-webhook-secret'
let dir: string
let lake: Lake
let app: Recorder

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake-hooks-'))
  app = await startRecorder()
  lake = await startLake({
    dataFile: join(dir, 'lake.ndjson'),
    seedFile,
    tokens: { w: 'write' },
    webhooks: { baseUrl: app.url, definitions: webhookDefinitions.map((d) => ({ ...d, secret: SECRET })), initialBackoffMs: 20, maxAttempts: 4 },
  })
})
afterAll(async () => {
  await Promise.all([lake.close(), app.close()])
  await rm(dir, { recursive: true, force: true })
})
beforeEach(() => app.reset())

async function mutate(mutations: unknown[]) {
  const response = await fetch(`${lake.url}/v2025-02-19/data/mutate/production`, {
    method: 'POST',
    headers: { authorization: 'Bearer w', 'content-type': 'application/json' },
    body: JSON.stringify({ mutations }),
  })
  expect(response.ok).toBe(true)
  await lake.webhooks!.idle()
}

describe('lake webhooks', () => {
  it('fires each matching webhook with Sanity’s headers, a valid signature and the projection', async () => {
    await mutate([{ patch: { id: 'memberProfile.dave', set: { region: 'apac' } } }])
    const paths = app.calls.map((c) => c.path).sort()
    expect(paths).toEqual(['/api/webhooks/sanity/access', '/api/webhooks/sanity/descope', '/api/webhooks/sanity/local'])
    const local = app.calls.find((c) => c.path.endsWith('/local'))!
    // Ids only: the app re-reads the document and never trusts a payload's fields.
    expect(local.body).toEqual({ _id: 'memberProfile.dave', _type: 'memberProfile' })
    expect(local.headers).toMatchObject({
      'sanity-operation': 'update',
      'sanity-document-id': 'memberProfile.dave',
      'sanity-dataset': 'production',
      'sanity-webhook-id': 'gatehouse-local',
    })
    expect(local.headers['idempotency-key']).toMatch(/^idem-/)
    expect(local.headers['sanity-transaction-id']).toEqual(expect.any(String))
    expect(await isValidSignature(JSON.stringify(local.body), String(local.headers['sanity-webhook-signature']), SECRET)).toBe(true)
  })

  it('create and delete operations; deletes are matched against the document as it was', async () => {
    await mutate([{ create: { _id: 'entitlement.new', _type: 'entitlement', clerkUserId: 'user_new' } }])
    await mutate([{ delete: { id: 'entitlement.new' } }])
    expect(app.calls.map((c) => [c.headers['sanity-operation'], c.body])).toEqual([
      ['create', { _id: 'entitlement.new', _type: 'entitlement' }],
      ['delete', { _id: 'entitlement.new', _type: 'entitlement' }],
    ])
  })

  it('drafts and non-matching documents fire nothing', async () => {
    await mutate([{ createOrReplace: { _id: 'drafts.memberProfile.dave', _type: 'memberProfile', name: 'Draft' } }])
    // An image asset: no target syncs it (every content type now fires the content webhook).
    await mutate([{ patch: { id: 'image-1305cca96f173c87b97bb97ef6b1bd78ea9f3215-960x220-png', set: { originalFilename: 'renamed.png' } } }])
    expect(app.calls).toHaveLength(0)
  })

  it('retries 5xx and 429 with the same idempotency key, not other 4xx', async () => {
    let attempts = 0
    app.on('POST', '/api/webhooks/sanity/clerk', () => (++attempts < 3 ? { status: attempts === 1 ? 503 : 429 } : { status: 200 }))
    app.on('POST', '/api/webhooks/sanity/auth0', { status: 401 })
    await mutate([{ patch: { id: 'entitlement.carol', set: { clerkOrganizationId: 'org_acme0002' } } }])
    await mutate([{ patch: { id: 'accessPolicy.acme', set: { status: 'active' } } }])
    const clerk = app.calls.filter((c) => c.path.endsWith('/clerk'))
    expect(clerk).toHaveLength(3)
    expect(new Set(clerk.map((c) => c.headers['idempotency-key'])).size).toBe(1)
    expect(app.calls.filter((c) => c.path.endsWith('/auth0'))).toHaveLength(1)
  })
})

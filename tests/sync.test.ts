import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeSignatureHeader } from '@sanity/webhook'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startLake, type Lake } from '@/dev/lake/server'
import { seedFile } from './access-matrix'
import { startRecorder, type Recorder } from './support/recorder'

// The webhook route handler end to end in-process: the real local lake as Sanity, a recorder as the
// local IdP's admin API. Every refused delivery must leave the recorder untouched.

const SECRET = 'test-webhook-secret'
const WRITE = 'write-token'
let dir: string
let lake: Lake
let idp: Recorder
let handle: (request: Request, target: string) => Promise<Response>

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-test-'))
  lake = await startLake({ dataFile: join(dir, 'lake.ndjson'), seedFile, tokens: { 'read-token': 'read', [WRITE]: 'write' } })
  idp = await startRecorder()
  Object.assign(process.env, {
    LOCAL_LAKE_URL: lake.url,
    SANITY_API_READ_TOKEN: 'read-token',
    LOCAL_IDP_URL: idp.url,
    SANITY_WEBHOOK_SECRET_LOCAL: SECRET,
    SYNC_TIMEOUT_MS: '300',
  })
  handle = (await import('@/lib/sync/handle')).handleSanityWebhook
})
afterAll(async () => {
  await Promise.all([lake.close(), idp.close()])
  await rm(dir, { recursive: true, force: true })
})
beforeEach(() => idp.reset())

type DeliverOptions = { operation?: string; secret?: string; timestamp?: number; signature?: string | null; rawBody?: string; target?: string }

async function deliver(payload: unknown, options: DeliverOptions = {}): Promise<Response> {
  const body = options.rawBody ?? JSON.stringify(payload)
  const signature =
    options.signature === null ? undefined : (options.signature ?? (await encodeSignatureHeader(body, options.timestamp ?? Date.now(), options.secret ?? SECRET)))
  const id = typeof payload === 'object' && payload !== null && '_id' in payload ? String(payload._id) : undefined
  return handle(
    new Request('http://localhost/api/webhooks/sanity/local', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'sanity-webhook-signature': signature } : {}),
        'sanity-operation': options.operation ?? 'update',
        ...(id ? { 'sanity-document-id': id } : {}),
        'idempotency-key': 'idem-test',
      },
      body,
    }),
    options.target ?? 'local',
  )
}

const dave = { _id: 'memberProfile.dave', _type: 'memberProfile', loginIds: { local: 'dave' } }
const setDaveRoles = (...keys: string[]) =>
  fetch(`${lake.url}/v2025-02-19/data/mutate/production`, {
    method: 'POST',
    headers: { authorization: `Bearer ${WRITE}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mutations: [{ patch: { id: 'memberProfile.dave', set: { roles: keys.map((k) => ({ _type: 'reference', _ref: `accessRole.${k}`, _key: k })) } } }] }),
  })

describe('local target: create, update, delete, re-delivery', () => {
  it('writes the complete grant read from Sanity, references resolved', async () => {
    const response = await deliver(dave)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ target: 'local', id: 'memberProfile.dave', operation: 'update' })
    expect(idp.calls).toMatchObject([{ method: 'PUT', path: '/admin/users/dave', body: { roles: ['beta_tester'], tenant: 'globex', plan: 'pro' } }])
    expect(idp.calls[0]!.headers.authorization).toMatch(/^Bearer /)
  })

  it('a re-delivery sets the same values again (set semantics)', async () => {
    await setDaveRoles('beta_tester', 'partner_admin')
    await deliver(dave)
    await deliver(dave)
    expect(idp.calls.map((c) => c.body)).toEqual([
      { roles: ['beta_tester', 'partner_admin'], tenant: 'globex', plan: 'pro' },
      { roles: ['beta_tester', 'partner_admin'], tenant: 'globex', plan: 'pro' },
    ])
    await setDaveRoles('beta_tester')
  })

  it('a stale delivery applies the current document, not its own payload', async () => {
    await deliver({ ...dave, roles: ['partner_admin'] })
    expect(idp.calls[0]!.body).toMatchObject({ roles: ['beta_tester'] })
  })

  it('a delete revokes what the profile granted', async () => {
    const response = await deliver(dave, { operation: 'delete' })
    expect(response.status).toBe(200)
    expect(idp.calls).toMatchObject([{ method: 'PUT', path: '/admin/users/dave', body: { roles: [], tenant: null, plan: null } }])
  })

  it('a document already gone when an update arrives is treated as a delete', async () => {
    const response = await deliver({ _id: 'memberProfile.ghost', _type: 'memberProfile', loginIds: { local: 'ghost' } })
    expect(response.status).toBe(200)
    expect(idp.calls).toMatchObject([{ path: '/admin/users/ghost', body: { roles: [], tenant: null, plan: null } }])
  })
})

describe('abuse: each gets its 4xx and no management call', () => {
  const cases: [string, () => Promise<Response>, number][] = [
    ['missing signature', () => deliver(dave, { signature: null }), 401],
    ['signature with another secret', () => deliver(dave, { secret: 'wrong' }), 401],
    ['garbage signature header', () => deliver(dave, { signature: 't=abc,v1=???' }), 401],
    ['tampered body', async () => {
      const signature = await encodeSignatureHeader(JSON.stringify(dave), Date.now(), SECRET)
      return deliver({ ...dave, loginIds: { local: 'alice' } }, { signature })
    }, 401],
    ['stale timestamp (replay)', () => deliver(dave, { timestamp: Date.now() - 6 * 60 * 1000 }), 401],
    ['timestamp from the future', () => deliver(dave, { timestamp: Date.now() + 6 * 60 * 1000 }), 401],
    ['oversized body', () => deliver({ ...dave, padding: 'x'.repeat(70 * 1024) }), 413],
    ['malformed JSON', () => deliver(null, { rawBody: '{"_id": "memberProfile.dave", ' }), 400],
    ['unknown _type', () => deliver({ _id: 'gatedPage.member-faq', _type: 'gatedPage' }), 400],
    ['GROQ injection in the id', () => deliver({ _id: 'memberProfile.dave"] || true || ["', _type: 'memberProfile' }), 400],
    ['id with a path', () => deliver({ _id: '../../admin', _type: 'memberProfile' }), 400],
    ['unknown operation', () => deliver(dave, { operation: 'purge' }), 400],
    ['unknown target', () => deliver(dave, { target: 'keycloak' }), 404],
  ]
  for (const [name, send, status] of cases) {
    it(`${name} → ${status}`, async () => {
      const response = await send()
      expect(response.status).toBe(status)
      expect((await response.json()).error).toEqual(expect.any(String))
      expect(idp.calls).toHaveLength(0)
    })
  }

  it('a draft is a no-op (204)', async () => {
    const response = await deliver({ ...dave, _id: 'drafts.memberProfile.dave' })
    expect(response.status).toBe(204)
    expect(idp.calls).toHaveLength(0)
  })

  it('a malformed document in Sanity is refused (422), nothing sent', async () => {
    await fetch(`${lake.url}/v2025-02-19/data/mutate/production`, {
      method: 'POST',
      headers: { authorization: `Bearer ${WRITE}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mutations: [{ createOrReplace: { _id: 'memberProfile.bad', _type: 'memberProfile', loginIds: { local: 'has spaces; and more' } } }] }),
    })
    const response = await deliver({ _id: 'memberProfile.bad', _type: 'memberProfile' })
    expect(response.status).toBe(422)
    expect(idp.calls).toHaveLength(0)
  })
})

describe('faults: the IdP failing gets 503 + Retry-After, and a re-delivery applies once', () => {
  for (const [name, fault] of [
    ['429', { status: 429, body: { error: 'rate limited' } }],
    ['500', { status: 500, body: { error: 'boom' } }],
    ['a hang past the timeout', { hang: true }],
  ] as const) {
    it(name, async () => {
      idp.fail(fault)
      const failed = await deliver(dave)
      expect(failed.status).toBe(503)
      expect(Number(failed.headers.get('retry-after'))).toBeGreaterThan(0)
      idp.fail(null)
      idp.reset()
      const retried = await deliver(dave)
      expect(retried.status).toBe(200)
      expect(idp.calls).toHaveLength(1)
    })
  }

  it('Sanity unreachable → 503 so Sanity retries', async () => {
    const { store } = lake
    expect(store).toBeDefined()
    await lake.close()
    const response = await deliver(dave)
    expect(response.status).toBe(503)
    expect(idp.calls).toHaveLength(0)
    lake = await startLake({ port: Number(new URL(lake.url).port), dataFile: join(dir, 'lake.ndjson'), seedFile, tokens: { 'read-token': 'read', [WRITE]: 'write' } })
  })
})

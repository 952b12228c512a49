import { encodeSignatureHeader } from '@sanity/webhook'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startRecorder, type Recorder } from './support/recorder'
import { startSyncEnv, WEBHOOK_SECRET, type DeliverOptions, type SyncEnv } from './support/sync-env'

// The webhook route handler end to end in-process: the real local lake as Sanity, a recorder as the
// local IdP's admin API. Every refused delivery must leave the recorder untouched.

let env: SyncEnv
let idp: Recorder
const deliver = (payload: unknown, options?: DeliverOptions) => env.deliver(payload, options)
const SECRET = WEBHOOK_SECRET

beforeAll(async () => {
  idp = await startRecorder()
  env = await startSyncEnv('local', { LOCAL_IDP_URL: idp.url })
})
afterAll(async () => {
  await Promise.all([env.close(), idp.close()])
})
beforeEach(() => idp.reset())

const dave = { _id: 'memberProfile.dave', _type: 'memberProfile', loginIds: { local: 'dave' } }
const setDaveRoles = (...keys: string[]) =>
  env.mutate([{ patch: { id: 'memberProfile.dave', set: { roles: keys.map((k) => ({ _type: 'reference', _ref: `accessRole.${k}`, _key: k })) } } }])

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
    await env.mutate([{ createOrReplace: { _id: 'memberProfile.bad', _type: 'memberProfile', loginIds: { local: 'has spaces; and more' } } }])
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
    await env.lake.close()
    const response = await deliver(dave)
    expect(response.status).toBe(503)
    expect(idp.calls).toHaveLength(0)
    await env.restartLake()
  })
})

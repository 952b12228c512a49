import { encodeSignatureHeader } from '@sanity/webhook'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startRecorder, type Recorder } from './support/recorder'
import { startSyncEnv, WEBHOOK_SECRET, inFunctionsRuntime, type DeliverOptions, type SyncEnv } from './support/sync-env'

// The sync end to end in-process, in each runtime (vitest.config.ts): the real local lake as Sanity, a
// recorder as the local IdP's admin API. Every refused delivery must leave the recorder untouched.

let env: SyncEnv
let idp: Recorder
const deliver = (payload: unknown, options?: DeliverOptions) => env.deliver(payload, options)
const SECRET = WEBHOOK_SECRET

beforeAll(async () => {
  idp = await startRecorder()
  env = await startSyncEnv('local', { LOCAL_IDP_URL: idp.url, SANITY_WEBHOOK_SECRET_ACCESS: WEBHOOK_SECRET })
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
    expect(idp.calls).toMatchObject([
      { method: 'PUT', path: '/admin/users/dave', body: { roles: ['beta_tester'], tenant: 'globex', plan: 'pro', region: 'us' } },
    ])
    expect(idp.calls[0]!.headers.authorization).toMatch(/^Bearer /)
  })

  it('a re-delivery sets the same values again (set semantics)', async () => {
    await setDaveRoles('beta_tester', 'partner_admin')
    await deliver(dave)
    await deliver(dave)
    expect(idp.calls.map((c) => c.body)).toEqual([
      { roles: ['beta_tester', 'partner_admin'], tenant: 'globex', plan: 'pro', region: 'us' },
      { roles: ['beta_tester', 'partner_admin'], tenant: 'globex', plan: 'pro', region: 'us' },
    ])
    await setDaveRoles('beta_tester')
  })

  it('a stale delivery applies the current document, not its own payload', async () => {
    await deliver({ ...dave, roles: ['partner_admin'] })
    expect(idp.calls[0]!.body).toMatchObject({ roles: ['beta_tester'] })
  })

  it('a delete revokes what Gatehouse had synced for that id', async () => {
    await deliver(dave)
    await env.remove('memberProfile.dave')
    idp.reset()
    try {
      const response = await deliver(dave, { operation: 'delete' })
      expect(response.status).toBe(200)
      expect(idp.calls).toMatchObject([{ method: 'PUT', path: '/admin/users/dave', body: { roles: [], tenant: null, plan: null, region: null } }])
      // Nothing is left to revoke a second time.
      idp.reset()
      expect((await deliver(dave, { operation: 'delete' })).status).toBe(204)
      expect(idp.calls).toHaveLength(0)
    } finally {
      await env.restore('memberProfile.dave')
    }
  })

  it('a document already gone when an update arrives is treated as a delete', async () => {
    await deliver(dave)
    await env.remove('memberProfile.dave')
    idp.reset()
    try {
      expect((await deliver(dave, { operation: 'update' })).status).toBe(200)
      expect(idp.calls).toMatchObject([{ path: '/admin/users/dave', body: { roles: [], tenant: null, plan: null, region: null } }])
    } finally {
      await env.restore('memberProfile.dave')
    }
  })

  it('a delete for a document Gatehouse never synced changes nothing', async () => {
    const response = await deliver({ _id: 'memberProfile.ghost', _type: 'memberProfile', loginIds: { local: 'ghost' } }, { operation: 'delete' })
    expect(response.status).toBe(204)
    expect(idp.calls).toHaveLength(0)
  })

  it('a delivery for a document that still exists applies it, whatever the operation says', async () => {
    const response = await deliver(dave, { operation: 'delete' })
    expect(response.status).toBe(200)
    expect(idp.calls).toMatchObject([{ path: '/admin/users/dave', body: { roles: ['beta_tester'], tenant: 'globex', plan: 'pro', region: 'us' } }])
  })

  it('a profile that now names another user revokes the previous one first', async () => {
    await deliver(dave)
    await env.mutate([{ patch: { id: 'memberProfile.dave', set: { 'loginIds.local': 'dave2' } } }])
    idp.reset()
    try {
      expect((await deliver(dave)).status).toBe(200)
      expect(idp.calls.map((c) => [c.path, c.body])).toEqual([
        ['/admin/users/dave', { roles: [], tenant: null, plan: null, region: null }],
        ['/admin/users/dave2', { roles: ['beta_tester'], tenant: 'globex', plan: 'pro', region: 'us' }],
      ])
    } finally {
      await env.restore('memberProfile.dave')
      await deliver(dave)
    }
  })
})

describe('de-duplication and hostile deliveries', () => {
  it.skipIf(inFunctionsRuntime)('a duplicate delivery (same idempotency key) is acknowledged without applying it again', async () => {
    const first = await deliver(dave, { idempotencyKey: 'idem-fixed-1' })
    expect(first.status).toBe(200)
    const again = await deliver(dave, { idempotencyKey: 'idem-fixed-1' })
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ duplicate: true })
    expect(idp.calls).toHaveLength(1)
  })

  it.skipIf(inFunctionsRuntime)('the same signed request replayed with a new idempotency key is still a duplicate', async () => {
    const body = JSON.stringify(dave)
    const signature = await encodeSignatureHeader(body, Date.now(), SECRET)
    expect((await deliver(dave, { signature, idempotencyKey: 'idem-a' })).status).toBe(200)
    const replay = await deliver(dave, { signature, idempotencyKey: 'idem-b' })
    expect(await replay.json()).toMatchObject({ duplicate: true })
    expect(idp.calls).toHaveLength(1)
  })

  it('a failed attempt is not remembered: its retry applies', async () => {
    idp.fail({ status: 500 })
    expect((await deliver(dave, { idempotencyKey: 'idem-retry-1' })).status).toBe(503)
    idp.fail(null)
    idp.reset()
    expect((await deliver(dave, { idempotencyKey: 'idem-retry-1' })).status).toBe(200)
    expect(idp.calls).toHaveLength(1)
  })

  it('a signed delete naming someone else’s login id changes nobody but the document’s own member', async () => {
    // bob still exists: his current state is applied, alice is untouched.
    const forged = { _id: 'memberProfile.bob', _type: 'memberProfile', loginIds: { local: 'alice' } }
    expect((await deliver(forged, { operation: 'delete' })).status).toBe(200)
    expect(idp.calls.map((c) => c.path)).toEqual(['/admin/users/bob'])
    // bob truly deleted without ever being synced: nothing at all.
    await env.remove('memberProfile.bob')
    idp.reset()
    try {
      expect((await deliver({ ...forged, _id: 'memberProfile.bob' }, { operation: 'delete' })).status).toBe(200)
      expect(idp.calls.map((c) => c.path)).toEqual(['/admin/users/bob'])
    } finally {
      await env.restore('memberProfile.bob')
    }
  })

  it('a signed delete for a made-up id that names alice changes nobody', async () => {
    const response = await deliver({ _id: 'memberProfile.nobody', _type: 'memberProfile', loginIds: { local: 'alice' } }, { operation: 'delete' })
    expect(response.status).toBe(204)
    expect(idp.calls).toHaveLength(0)
  })

  it.skipIf(inFunctionsRuntime)('two deliveries for the same document never run at once: the second is told to retry', async () => {
    idp.fail({ hang: true })
    const [first, second] = await Promise.all([deliver(dave), new Promise<Response>((resolve) => setTimeout(() => resolve(deliver(dave)), 50))])
    idp.fail(null)
    expect(first.status).toBe(503) // the IdP hung past SYNC_TIMEOUT_MS
    expect(second.status).toBe(503)
    expect((await second.json()).error).toMatch(/being applied right now/)
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0)
    idp.reset()
    expect((await deliver(dave)).status).toBe(200) // the lock is released afterwards
  })

  it.skipIf(inFunctionsRuntime)('the same signed body sent to two targets sharing a secret is applied by both', async () => {
    const body = JSON.stringify(dave)
    const signature = await encodeSignatureHeader(body, Date.now(), SECRET)
    expect((await deliver(dave, { signature, target: 'local' })).status).toBe(200)
    const access = await deliver(dave, { signature, target: 'access' })
    expect(access.status).toBe(200)
    expect(await access.json()).not.toMatchObject({ duplicate: true })
  })

  for (const target of ['descope', 'auth0', 'clerk', 'okta']) {
    it.skipIf(inFunctionsRuntime)(`the unconfigured ${target} target answers exactly as a wrong signature does, naming nothing`, async () => {
      // Signed with the secret of a target that is enabled: it authenticates nothing for this one.
      const unconfigured = await deliver(dave, { target })
      const wrong = await deliver(dave, { target: 'local', secret: 'wrong-secret-0123456789' })
      const unknown = await deliver(dave, { target: 'keycloak' })
      for (const response of [unconfigured, wrong, unknown]) {
        expect(response.status).toBe(401)
        expect(response.headers.get('cache-control')).toBe('no-store')
      }
      const [a, b, c] = (await Promise.all([unconfigured, wrong, unknown].map((r) => r.json()))) as { error: string }[]
      expect(a).toEqual(b)
      expect(c).toEqual(b)
      expect(a!.error).not.toMatch(/[A-Z_]{6,}/)
      expect(a!.error).not.toMatch(/enabled|unknown|descope|auth0|clerk|okta/i)
    })
  }
})

describe('abuse: each gets its 4xx and no management call', () => {
  const cases: [string, () => Promise<Response>, number][] = [
    ['missing signature', () => deliver(dave, { signature: null }), 401],
    ['signature with another secret', () => deliver(dave, { secret: 'wrong' }), 401],
    ['garbage signature header', () => deliver(dave, { signature: 't=abc,v1=???' }), 401],
    [
      'tampered body',
      async () => {
        const signature = await encodeSignatureHeader(JSON.stringify(dave), Date.now(), SECRET)
        return deliver({ ...dave, loginIds: { local: 'alice' } }, { signature })
      },
      401,
    ],
    ['stale timestamp (replay)', () => deliver(dave, { timestamp: Date.now() - 6 * 60 * 1000 }), 401],
    ['timestamp from the future', () => deliver(dave, { timestamp: Date.now() + 6 * 60 * 1000 }), 401],
    ['oversized body', () => deliver({ ...dave, padding: 'x'.repeat(70 * 1024) }), 413],
    ['malformed JSON', () => deliver(null, { rawBody: '{"_id": "memberProfile.dave", ' }), 400],
    ['unknown _type', () => deliver({ _id: 'gatedPage.member-faq', _type: 'gatedPage' }), 400],
    ['GROQ injection in the id', () => deliver({ _id: 'memberProfile.dave"] || true || ["', _type: 'memberProfile' }), 400],
    ['id with a path', () => deliver({ _id: '../../admin', _type: 'memberProfile' }), 400],
    ['unknown operation', () => deliver(dave, { operation: 'purge' }), 400],
    ['unknown target', () => deliver(dave, { target: 'keycloak' }), 401],
    ['unknown target named like an object key', () => deliver(dave, { target: '__proto__' }), 401],
    ['an encoded target name', () => deliver(dave, { target: '%6Cocal' }), 401],
  ]
  // Signatures, bodies and routes are the webhook's; a function's own abuse cases: tests/functions.test.ts.
  for (const [name, send, status] of cases) {
    it.skipIf(inFunctionsRuntime)(`${name} → ${status}`, async () => {
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

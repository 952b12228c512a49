import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Identity, Viewer } from '@/lib/auth/viewer'
import { startSyncEnv, type SyncEnv } from './support/sync-env'

// Revocation in-process: the `access` webhook target (the real route handler, the real local lake)
// and the data-access layer's view of a member whose session was issued before the change. The
// reader's next request after the webhook's acknowledgement must see the change.

let env: SyncEnv
let withCurrentAccess: (identity: Identity) => Promise<Viewer>
beforeAll(async () => {
  env = await startSyncEnv('access', {})
  ;({ withCurrentAccess } = await import('@/lib/auth/member-access'))
})
afterAll(async () => env.close())

const signedInAt = Date.now() - 60_000
// What dave's IdP token said at sign-in (it keeps saying it until the session is re-validated).
const dave: Identity = {
  subject: 'dave',
  email: 'dave@example.test',
  name: 'Dave',
  roles: ['beta_tester'],
  tenant: 'globex',
  plan: 'pro',
  region: 'us',
  provider: 'local',
  claimsIssuedAt: signedInAt,
  sessionStartedAt: signedInAt,
}
const carolOnClerk: Identity = {
  subject: 'user_carol',
  email: null,
  name: null,
  roles: ['customer_admin', 'customer_viewer', 'org:admin'],
  tenant: 'acme',
  plan: 'enterprise',
  region: 'eu',
  provider: 'clerk',
  claimsIssuedAt: signedInAt,
  sessionStartedAt: signedInAt,
}
const profile = (id: string) => ({ _id: id, _type: 'memberProfile' })
const ref = (type: string, key: string) => ({ _type: 'reference', _ref: `${type}.${key}` })

describe('a member’s access changes reach the session they already hold', () => {
  it('before any change the profile decides (it mirrors the IdP)', async () => {
    expect(await withCurrentAccess(dave)).toMatchObject({ roles: ['beta_tester'], tenant: 'globex', plan: 'pro', access: { source: 'profile' } })
  })

  it('a removed role is gone on the next request after the webhook', async () => {
    await env.mutate([{ patch: { id: 'memberProfile.dave', set: { roles: [] } } }])
    expect((await env.deliver(profile('memberProfile.dave'))).status).toBe(200)
    const viewer = await withCurrentAccess(dave)
    expect(viewer.roles).toEqual([])
    expect(viewer.access.changedAt).toBeGreaterThan(signedInAt)
  })

  it('a plan downgrade and a tenant change, for a Clerk session too (any provider’s user id)', async () => {
    await env.mutate([{ patch: { id: 'memberProfile.carol', set: { plan: ref('accessPlan', 'free'), tenant: ref('organizationProfile', 'globex') } } }])
    expect((await env.deliver(profile('memberProfile.carol'))).status).toBe(200)
    expect(await withCurrentAccess(carolOnClerk)).toMatchObject({ plan: 'free', tenant: 'globex', roles: ['customer_admin', 'customer_viewer'] })
    expect(await withCurrentAccess({ ...carolOnClerk, provider: 'local', subject: 'carol' })).toMatchObject({ plan: 'free', tenant: 'globex' })
  })

  it('a deleted profile voids the claims the session was issued with', async () => {
    await env.deliver(profile('memberProfile.dave'))
    await env.remove('memberProfile.dave')
    try {
      expect((await env.deliver(profile('memberProfile.dave'), { operation: 'delete' })).status).toBe(200)
      expect(await withCurrentAccess(dave)).toMatchObject({ roles: [], tenant: null, plan: null, access: { source: 'none', reason: 'profileRemoved' } })
      // A session signed in after the removal carries the IdP's claims again (stripped by sync for local).
      expect(await withCurrentAccess({ ...dave, claimsIssuedAt: Date.now() + 1000, sessionStartedAt: Date.now() + 1000 })).toMatchObject({
        access: { source: 'token' },
      })
      // Claims re-validated after the removal do not revive a session that began before it.
      expect(await withCurrentAccess({ ...dave, claimsIssuedAt: Date.now() + 1000 })).toMatchObject({ roles: [], access: { reason: 'profileRemoved' } })
    } finally {
      await env.restore('memberProfile.dave')
      await env.deliver(profile('memberProfile.dave'))
    }
    expect(await withCurrentAccess(dave)).toMatchObject({ roles: ['beta_tester'], access: { source: 'profile' } })
  })

  it('a member met before any webhook named them is still revoked when their profile is deleted', async () => {
    const mallory: Identity = { ...dave, subject: 'mallory', roles: [] }
    // The data-access layer reads mallory's profile itself (no webhook has recorded her yet)…
    expect(await withCurrentAccess(mallory)).toMatchObject({ access: { source: 'profile' } })
    await env.remove('memberProfile.mallory')
    try {
      // …so the deletion knows whom to revoke.
      expect((await env.deliver(profile('memberProfile.mallory'), { operation: 'delete' })).status).toBe(200)
      expect(await withCurrentAccess(mallory)).toMatchObject({ access: { reason: 'profileRemoved' } })
    } finally {
      await env.restore('memberProfile.mallory')
      await env.deliver(profile('memberProfile.mallory'))
    }
  })

  it('a forged delete naming someone else changes nobody', async () => {
    const before = await withCurrentAccess({ ...dave, subject: 'alice', roles: ['partner_admin'] })
    const forged = { _id: 'memberProfile.mallory', _type: 'memberProfile', loginIds: { local: 'alice' } }
    await env.deliver(forged, { operation: 'delete' })
    expect(await withCurrentAccess({ ...dave, subject: 'alice', roles: ['partner_admin'] })).toEqual(before)
  })

  it('a user id moved to another profile revokes the old user, not the new one', async () => {
    await env.deliver(profile('memberProfile.bob'))
    await env.mutate([{ patch: { id: 'memberProfile.bob', set: { 'loginIds.local': 'bob2' } } }])
    try {
      await env.deliver(profile('memberProfile.bob'))
      const bob: Identity = { ...dave, subject: 'bob', roles: ['customer_viewer'], claimsIssuedAt: signedInAt, sessionStartedAt: signedInAt }
      expect(await withCurrentAccess(bob)).toMatchObject({ roles: [], access: { reason: 'profileRemoved' } })
      expect(await withCurrentAccess({ ...bob, subject: 'bob2' })).toMatchObject({ roles: ['customer_viewer'], access: { source: 'profile' } })
    } finally {
      await env.restore('memberProfile.bob')
      await env.deliver(profile('memberProfile.bob'))
    }
  })
})

import { evaluate, parse } from 'groq-js'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Grants } from '@/lib/access/dimensions'
import type { MemberAccess } from '@/lib/auth/member-access'
import type { Identity } from '@/lib/auth/viewer'
import { MEMBER_GRANTS_QUERY, parseMemberGrants } from '@/lib/content/member-grants'
import { MemoryStore } from '@/lib/store/memory'
import { loadSeed } from './access-matrix'

// The member's current access: the profile query, the rule that applies it, and the store-backed
// cache with its race (a slow fill must never undo the webhook's newer write).

const store = new MemoryStore()
const sanity = vi.hoisted(() => ({ grants: vi.fn() }))
const health = vi.hoisted(() => ({ writable: true }))
const healthMonitor = vi.hoisted(() => ({ recoveries: [] as (() => Promise<void>)[] }))
vi.mock('@/lib/store', async () => ({
  sharedStore: () => store,
  StoreUnavailable: (await import('@/lib/store/types')).StoreUnavailable,
  storeWriteHealth: () => ({ writable: async () => health.writable, onRecovery: (task: () => Promise<void>) => healthMonitor.recoveries.push(task) }),
}))
vi.mock('@/lib/content/members', async (original) => ({ ...(await original<object>()), getMemberGrants: sanity.grants }))
vi.mock('@/lib/config', () => ({ getConfig: () => ({ session: { maxAgeSeconds: 3600 } }) }))

const { applyMemberAccess, publishMemberAccess, readMemberAccess, withCurrentAccess } = await import('@/lib/auth/member-access')

const identity: Identity = {
  subject: 'dave',
  email: null,
  name: 'Dave',
  roles: ['beta_tester'],
  tenant: 'globex',
  plan: 'pro',
  region: 'us',
  provider: 'local',
  claimsIssuedAt: 1_000,
  sessionStartedAt: 1_000,
}
const grants = (over: Partial<Grants> = {}): Grants => ({ roles: ['beta_tester'], tenant: 'globex', plan: 'pro', region: 'us', ...over })
const profile = (over: Partial<Grants> & { updatedAt?: number } = {}): MemberAccess => {
  const { updatedAt = 500, ...grantOverrides } = over
  return { kind: 'profile', profileId: 'memberProfile.dave', grants: grants(grantOverrides), updatedAt }
}

async function grantsFor(provider: string, subject: string) {
  const params = { provider, subject }
  return parseMemberGrants(await (await evaluate(parse(MEMBER_GRANTS_QUERY, { params }), { dataset: loadSeed(), params })).get())
}

describe('the memberProfile query', () => {
  it.each([
    ['local', 'alice'],
    ['okta', '00ualice'],
    ['auth0', 'auth0|alice'],
    ['descope', 'U-alice'],
    ['clerk', 'user_alice'],
  ])('finds alice by her %s user id %s', async (provider, subject) => {
    expect(await grantsFor(provider, subject)).toMatchObject({
      profileId: 'memberProfile.alice',
      grants: { roles: ['partner_admin'], tenant: 'acme', plan: 'pro', region: 'eu' },
    })
  })

  it.each([
    ['another provider’s id', 'local', 'user_alice'],
    ['an unknown user', 'local', 'grace'],
    ['an empty subject', 'local', ''],
    ['a GROQ fragment', 'local', '" || true || "'],
    ['an unknown provider', 'keycloak', 'alice'],
  ])('finds nothing for %s', async (_name, provider, subject) => {
    expect(await grantsFor(provider, subject)).toBeNull()
  })

  it('a reference to a deleted role grants nothing; a malformed profile grants nothing at all', () => {
    expect(parseMemberGrants({ _id: 'm', roles: ['a', null, 'a'], tenant: null, plan: null })).toMatchObject({ grants: { roles: ['a'] } })
    expect(parseMemberGrants({ _id: 'm', roles: 'admin' })).toMatchObject({ grants: { roles: [], tenant: null, plan: null, region: null } })
  })
})

describe('applying current access', () => {
  it('a profile replaces the token’s roles, tenant and plan', () => {
    const viewer = applyMemberAccess(identity, profile({ roles: [], plan: 'free' }))
    expect(viewer).toMatchObject({ roles: [], tenant: 'globex', plan: 'free', access: { source: 'profile', reason: null } })
  })
  it('says when the profile changed after the claims were issued', () => {
    expect(applyMemberAccess(identity, profile({ updatedAt: 5_000 })).access.changedAt).toBe(5_000)
    expect(applyMemberAccess(identity, profile({ updatedAt: 500 })).access.changedAt).toBeNull()
  })
  it('a removal voids the claims of sessions that began before it, even re-validated ones; later sessions keep theirs', () => {
    expect(applyMemberAccess(identity, { kind: 'removed', at: 2_000 })).toMatchObject({
      roles: [],
      tenant: null,
      plan: null,
      access: { source: 'none', reason: 'profileRemoved', changedAt: 2_000 },
    })
    expect(applyMemberAccess({ ...identity, claimsIssuedAt: 9_000 }, { kind: 'removed', at: 2_000 })).toMatchObject({
      roles: [],
      access: { reason: 'profileRemoved' },
    })
    expect(applyMemberAccess(identity, { kind: 'removed', at: 500 })).toMatchObject({ roles: ['beta_tester'], access: { source: 'token' } })
  })
  it('without a profile the token decides; unconfirmed claims or unknown access grant nothing', () => {
    expect(applyMemberAccess(identity, { kind: 'none' })).toMatchObject({ roles: ['beta_tester'], plan: 'pro', access: { source: 'token' } })
    expect(applyMemberAccess({ ...identity, unconfirmed: true }, profile())).toMatchObject({ roles: [], access: { reason: 'unconfirmed' } })
    expect(applyMemberAccess(identity, null)).toMatchObject({ roles: [], tenant: null, plan: null, access: { reason: 'unconfirmed' } })
  })
})

describe('the shared cache of members’ access', () => {
  beforeEach(async () => {
    await store.delete(`member:local:${(await import('@/lib/auth/hash')).keyHash('dave')}`)
    sanity.grants.mockReset()
  })

  it('reads Sanity once, then serves the cached entry', async () => {
    sanity.grants.mockResolvedValue({ profileId: 'memberProfile.dave', grants: grants(), updatedAt: 1 })
    expect(await readMemberAccess('local', 'dave')).toMatchObject({ kind: 'profile', grants: { roles: ['beta_tester'] } })
    expect(await readMemberAccess('local', 'dave')).toMatchObject({ kind: 'profile', grants: { roles: ['beta_tester'] } })
    expect(sanity.grants).toHaveBeenCalledTimes(1)
  })

  it('the webhook’s write wins over a slower read that started before it', async () => {
    let finishRead: (value: unknown) => void = () => undefined
    sanity.grants.mockReturnValue(new Promise((resolve) => (finishRead = resolve)))
    const slowRead = readMemberAccess('local', 'dave')
    await publishMemberAccess('local', 'dave', profile({ roles: [] }))
    finishRead({ profileId: 'memberProfile.dave', grants: grants(), updatedAt: 1 })
    expect(await slowRead).toMatchObject({ grants: { roles: [] } })
    expect(await readMemberAccess('local', 'dave')).toMatchObject({ grants: { roles: [] } })
  })

  it('a member without a profile is remembered as such (no query per request)', async () => {
    sanity.grants.mockResolvedValue(null)
    expect(await readMemberAccess('local', 'dave')).toEqual({ kind: 'none' })
    expect(await readMemberAccess('local', 'dave')).toEqual({ kind: 'none' })
    expect(sanity.grants).toHaveBeenCalledTimes(1)
  })

  describe('while the store refuses writes (a revocation may have gone unrecorded)', () => {
    beforeEach(() => {
      health.writable = false
    })
    afterEach(() => {
      health.writable = true
    })

    it('the cached entry is not trusted: Sanity decides on every request, and nothing is written', async () => {
      await publishMemberAccess('local', 'dave', profile({ roles: ['beta_tester'] }))
      // The webhook could not record that beta_tester was taken away; Sanity has it.
      sanity.grants.mockResolvedValue({ profileId: 'memberProfile.dave', grants: grants({ roles: [] }), updatedAt: 9 })
      expect(await readMemberAccess('local', 'dave')).toMatchObject({ kind: 'profile', grants: { roles: [] } })
      expect(await readMemberAccess('local', 'dave')).toMatchObject({ kind: 'profile', grants: { roles: [] } })
      expect(sanity.grants).toHaveBeenCalledTimes(2)
    })

    it('once writes succeed again, an entry written before then is read again from Sanity — the old grants never come back', async () => {
      health.writable = true
      await publishMemberAccess('local', 'dave', profile({ roles: ['beta_tester'] }))
      health.writable = false
      sanity.grants.mockResolvedValue({ profileId: 'memberProfile.dave', grants: grants({ roles: [] }), updatedAt: 9 })
      expect(await readMemberAccess('local', 'dave')).toMatchObject({ grants: { roles: [] } })
      // Writes succeed again: the recovery tasks run (the store's write health does so before it says so).
      await new Promise((resolve) => setTimeout(resolve, 5))
      health.writable = true
      for (const task of healthMonitor.recoveries) await task()
      expect(await readMemberAccess('local', 'dave')).toMatchObject({ grants: { roles: [] } })
      expect(await readMemberAccess('local', 'dave')).toMatchObject({ grants: { roles: [] } })
      // Read from Sanity once after recovery, then cached again under the new epoch.
      expect(sanity.grants).toHaveBeenCalledTimes(2)
    })

    it('after recovery, a stale entry whose profile Sanity no longer has becomes a removal', async () => {
      health.writable = true
      await publishMemberAccess('local', 'dave', profile())
      await new Promise((resolve) => setTimeout(resolve, 5))
      for (const task of healthMonitor.recoveries) await task()
      sanity.grants.mockResolvedValue(null)
      const access = await readMemberAccess('local', 'dave')
      expect(access.kind).toBe('removed')
      expect(applyMemberAccess(identity, access)).toMatchObject({ roles: [], tenant: null, access: { reason: 'profileRemoved' } })
    })

    it('a profile deleted since the entry was written, or a member the store knows nothing of, is granted nothing beyond signed in', async () => {
      sanity.grants.mockResolvedValue(null)
      await publishMemberAccess('local', 'dave', profile())
      await expect(readMemberAccess('local', 'dave')).rejects.toThrow(/refuses writes/)
      expect(await withCurrentAccess(identity)).toMatchObject({ roles: [], tenant: null, access: { reason: 'unconfirmed', changedAt: null } })
      await store.delete(`member:local:${(await import('@/lib/auth/hash')).keyHash('dave')}`)
      expect(await withCurrentAccess(identity)).toMatchObject({ roles: [], access: { reason: 'unconfirmed' } })
    })

    it('a known removal, and a known "no profile", stand', async () => {
      sanity.grants.mockResolvedValue(null)
      await publishMemberAccess('local', 'dave', { kind: 'removed', at: 42 })
      expect(await readMemberAccess('local', 'dave')).toEqual({ kind: 'removed', at: 42 })
      await publishMemberAccess('local', 'dave', { kind: 'none' })
      expect(await readMemberAccess('local', 'dave')).toEqual({ kind: 'none' })
    })
  })

  it('Sanity failing grants nothing beyond being signed in', async () => {
    sanity.grants.mockRejectedValue(new Error('lake down'))
    expect(await withCurrentAccess(identity)).toMatchObject({ roles: [], tenant: null, plan: null, access: { reason: 'unconfirmed' } })
  })
})

import 'server-only'
import { z } from 'zod'
import { NO_GRANTS, pickGrants, type Grants } from '@/lib/access/dimensions'
import { getConfig } from '@/lib/config'
import { getMemberGrants } from '@/lib/content/members'
import { sharedStore, storeWriteHealth } from '@/lib/store'
import { rememberProfileMember } from '@/lib/sync/records'
import { keyHash } from './hash'
import { log } from '@/lib/log'
import type { ProviderName } from './provider-names'
import { grantsSchema, type Identity, type Viewer } from './viewer'

/**
 * A member's current access, as every instance sees it. Sanity's memberProfile is the source of truth
 * for the members it names: their roles, tenant and plan replace whatever the IdP token said at sign-in,
 * so a removed role stops working on the next request with the session the reader already holds.
 *
 * The `access` sync target (lib/sync/targets/access.ts) writes an entry the moment a memberProfile is
 * published or deleted; a request that finds none reads the profile from Sanity once and keeps it for
 * MEMBER_ACCESS_TTL_SECONDS (so a missed webhook is corrected within that bound). The webhook always
 * overwrites; a read only fills an empty key (SET NX), so a slow read can never undo a newer change.
 * While the store refuses writes, the entry is not trusted: Sanity is read on every request.
 */
export type MemberAccess =
  | { kind: 'profile'; profileId: string; grants: Grants; updatedAt: number }
  /** No memberProfile names this user: the IdP's claims decide. */
  | { kind: 'none' }
  /** The memberProfile was deleted at `at`: claims issued before then grant nothing. */
  | { kind: 'removed'; at: number }

export const MEMBER_ACCESS_TTL_SECONDS = 300

const accessSchema: z.ZodType<MemberAccess> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('profile'), profileId: z.string(), grants: grantsSchema, updatedAt: z.number() }),
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('removed'), at: z.number() }),
])

const keyOf = (provider: ProviderName, subject: string) => `member:${provider}:${keyHash(subject)}`

function ttlOf(access: MemberAccess): number {
  // A removal must outlive every claim issued before it: at most one session lifetime.
  return access.kind === 'removed' ? getConfig().session.maxAgeSeconds : MEMBER_ACCESS_TTL_SECONDS
}

function parse(value: string | null): MemberAccess | null {
  if (value === null) return null
  try {
    const parsed = accessSchema.safeParse(JSON.parse(value))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** Written by the access sync target: overwrites whatever an instance had cached. */
export async function publishMemberAccess(provider: ProviderName, subject: string, access: MemberAccess): Promise<void> {
  await sharedStore().set(keyOf(provider, subject), JSON.stringify(access), { ttlSeconds: ttlOf(access) })
}

export async function readMemberAccess(provider: ProviderName, subject: string): Promise<MemberAccess> {
  const store = sharedStore()
  const key = keyOf(provider, subject)
  const cached = parse(await store.get(key))
  if (!(await storeWriteHealth().writable())) return readWhileUnwritable(provider, subject, cached)
  if (cached) return cached
  const grants = await getMemberGrants(provider, subject)
  const fresh: MemberAccess = grants ? { kind: 'profile', ...grants } : { kind: 'none' }
  if (grants) await rememberProfileMember(grants.profileId, provider, subject)
  if (await store.set(key, JSON.stringify(fresh), { ttlSeconds: ttlOf(fresh), ifAbsent: true })) return fresh
  // Someone (the webhook) wrote first: theirs is at least as new.
  return parse(await store.get(key)) ?? fresh
}

/**
 * While the store refuses writes (lib/store/health.ts) the access webhook cannot record a change, so
 * the entry held may predate one: Sanity decides, on every request, and nothing is written. A member
 * the entry knew by a profile that Sanity no longer has was removed since — their earlier claims
 * grant nothing (as the webhook's `removed` would have said); a known removal stands.
 */
async function readWhileUnwritable(provider: ProviderName, subject: string, cached: MemberAccess | null): Promise<MemberAccess> {
  const grants = await getMemberGrants(provider, subject)
  if (grants) return { kind: 'profile', ...grants }
  if (cached?.kind === 'removed') return cached
  if (cached?.kind === 'profile') return { kind: 'removed', at: Date.now() }
  return { kind: 'none' }
}

/**
 * The rule, as a pure function: a profile replaces the token's roles, tenant and plan; a removal voids
 * the claims of every session that began before it; with neither, the token's claims stand.
 * Unconfirmed claims grant nothing.
 */
export function applyMemberAccess(identity: Identity, access: MemberAccess | null): Viewer {
  const { subject, email, name, provider, claimsIssuedAt, sessionStartedAt, unconfirmed } = identity
  const person = { subject, email, name, provider }
  const token = pickGrants(identity)
  if (unconfirmed || access === null) return { ...person, ...NO_GRANTS, access: { source: 'none', reason: 'unconfirmed', changedAt: null } }
  switch (access.kind) {
    case 'profile':
      return {
        ...person,
        ...access.grants,
        access: { source: 'profile', reason: null, changedAt: access.updatedAt > claimsIssuedAt ? access.updatedAt : null },
      }
    case 'removed':
      if (access.at > sessionStartedAt) return { ...person, ...NO_GRANTS, access: { source: 'none', reason: 'profileRemoved', changedAt: access.at } }
      return { ...person, ...token, access: { source: 'token', reason: null, changedAt: null } }
    case 'none':
      return { ...person, ...token, access: { source: 'token', reason: null, changedAt: null } }
  }
}

/** The verified identity with its current access applied: what every access decision uses. */
export async function withCurrentAccess(identity: Identity): Promise<Viewer> {
  if (identity.unconfirmed) return applyMemberAccess(identity, null)
  try {
    return applyMemberAccess(identity, await readMemberAccess(identity.provider, identity.subject))
  } catch (error) {
    // Without the member's current access nothing beyond "signed in" is granted.
    log.failure('auth.member_access_unavailable', error)
    return applyMemberAccess(identity, null)
  }
}

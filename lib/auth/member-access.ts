import 'server-only'
import { z } from 'zod'
import { NO_GRANTS, pickGrants, type Grants } from '@/lib/access/dimensions'
import { getConfig } from '@/lib/config'
import { getMemberGrants } from '@/lib/content/members'
import { sharedStore, StoreUnavailable, storeWriteHealth } from '@/lib/store'
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
 * While the store refuses writes, the entry is not trusted: Sanity is read on every request; once it
 * takes writes again, entries written before then are read again (EPOCH_KEY).
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

/** A stored entry: the access, and when it was written (ms; 0 for entries from before it was recorded). */
type Stored = { access: MemberAccess; storedAt: number }

function parse(value: string | null): Stored | null {
  if (value === null) return null
  try {
    const json: unknown = JSON.parse(value)
    const parsed = accessSchema.safeParse(json)
    if (!parsed.success) return null
    const storedAt = (json as { storedAt?: unknown }).storedAt
    return { access: parsed.data, storedAt: typeof storedAt === 'number' && Number.isFinite(storedAt) ? storedAt : 0 }
  } catch {
    return null
  }
}

const serialize = (access: MemberAccess) => JSON.stringify({ ...access, storedAt: Date.now() })

/**
 * When the store last took writes again after refusing them (ms), in the store itself: an entry
 * written before then may predate a change the access webhook could not record meanwhile, so it is
 * read from Sanity again — on every instance, including one that never noticed the outage.
 */
const EPOCH_KEY = 'member-access-epoch'
const epochWriters = new WeakSet<object>()
/** Registers, once per store, the recovery task that writes the epoch before writes count as accepted. */
function watchRecovery(): void {
  const health = storeWriteHealth()
  if (epochWriters.has(health)) return
  epochWriters.add(health)
  health.onRecovery(async () => {
    await sharedStore().set(EPOCH_KEY, String(Date.now()), { ttlSeconds: MEMBER_ACCESS_TTL_SECONDS + 60 })
  })
}

/** Written by the access sync target: overwrites whatever an instance had cached. */
export async function publishMemberAccess(provider: ProviderName, subject: string, access: MemberAccess): Promise<void> {
  watchRecovery()
  await sharedStore().set(keyOf(provider, subject), serialize(access), { ttlSeconds: ttlOf(access) })
}

export async function readMemberAccess(provider: ProviderName, subject: string): Promise<MemberAccess> {
  watchRecovery()
  const store = sharedStore()
  const key = keyOf(provider, subject)
  const [value, epoch] = await Promise.all([store.get(key), store.get(EPOCH_KEY)])
  const cached = parse(value)
  if (!(await storeWriteHealth().writable())) return readWhileUnwritable(provider, subject, cached?.access ?? null)
  // A removal always stands (it must outlive the claims issued before it); any other entry only if it
  // was written after the store last recovered from refusing writes.
  if (cached && (cached.access.kind === 'removed' || cached.storedAt >= (Number(epoch) || 1))) return cached.access
  if (cached) await store.delete(key)
  const grants = await getMemberGrants(provider, subject)
  // A member the stale entry knew by a profile that Sanity no longer has was removed meanwhile.
  const fresh: MemberAccess = grants
    ? { kind: 'profile', ...grants }
    : cached?.access.kind === 'profile'
      ? { kind: 'removed', at: Date.now() }
      : { kind: 'none' }
  if (grants) await rememberProfileMember(grants.profileId, provider, subject)
  if (await store.set(key, serialize(fresh), { ttlSeconds: ttlOf(fresh), ifAbsent: true })) return fresh
  // Someone (the webhook) wrote first: theirs is at least as new.
  return parse(await store.get(key))?.access ?? fresh
}

/**
 * While the store refuses writes (lib/store/health.ts) the access webhook cannot record a change, so
 * the entry held may predate one: Sanity decides, on every request, and nothing is written. A profile
 * in Sanity is the member's access; a known removal, or a known "no profile", stands. A member the
 * entry knew by a profile that Sanity no longer has (removed since), or whom the store knows nothing
 * of (the entry may have expired during the outage), is granted nothing beyond "signed in" until writes
 * succeed — the same answer as when the store cannot be read, and a stable one (no notice that changes
 * on every request).
 */
async function readWhileUnwritable(provider: ProviderName, subject: string, cached: MemberAccess | null): Promise<MemberAccess> {
  const grants = await getMemberGrants(provider, subject)
  if (grants) return { kind: 'profile', ...grants }
  if (cached?.kind === 'removed' || cached?.kind === 'none') return cached
  throw new StoreUnavailable('The shared store refuses writes and holds no confirmed access for this member')
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

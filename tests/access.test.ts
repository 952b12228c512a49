import { evaluate, parse } from 'groq-js'
import { describe, expect, it } from 'vitest'
import { seededUsers } from '@/dev/idp/users'
import { applyMemberAccess } from '@/lib/auth/member-access'
import type { Viewer } from '@/lib/auth/viewer'
import { accessParams } from '@/lib/content/access'
import { MEMBER_GRANTS_QUERY, parseMemberGrants } from '@/lib/content/members'
import { decideDocAccess } from '@/lib/content/decision'
import { DOC_BY_SLUG_QUERY, DOC_INDEX_QUERY } from '@/lib/content/queries'
import { parseDoc } from '@/lib/content/schema'
import { accessMatrix, expectedOutcome, loadSeed, readers, seedMarkers, type Reader, type SeedDoc } from './access-matrix'

async function query(dataset: SeedDoc[], groq: string, params: Record<string, unknown>): Promise<unknown> {
  const value = await evaluate(parse(groq, { params }), { dataset, params })
  return value.get()
}

/**
 * Each reader as the app sees them: the local IdP's claims, then their seeded memberProfile (found by
 * the same GROQ query the app runs) applied on top, so the matrix below holds for the profiles.
 */
const viewers = Object.fromEntries(
  await Promise.all(
    readers.map(async (reader): Promise<[Reader, Viewer | null]> => {
      if (reader === 'anon') return [reader, null]
      const user = seededUsers.find((u) => u.username === reader)!
      const identity = { ...user, subject: user.username, provider: 'local' as const, claimsIssuedAt: 0, sessionStartedAt: 0 }
      const grants = parseMemberGrants(await query(loadSeed(), MEMBER_GRANTS_QUERY, { provider: 'local', subject: user.username }))
      return [reader, applyMemberAccess(identity, grants ? { kind: 'profile', ...grants } : { kind: 'none' })]
    }),
  ),
) as Record<Reader, Viewer | null>
const viewerOf = (reader: Reader) => viewers[reader]

async function outcome(dataset: SeedDoc[], slug: string, viewer: Viewer | null) {
  const result = await query(dataset, DOC_BY_SLUG_QUERY, { ...accessParams(viewer), slug })
  const doc = parseDoc(result)
  return { raw: result, doc, decision: decideDocAccess(doc, viewer !== null) }
}

describe('access rule over the seed (groq-js)', () => {
  const seed = loadSeed()

  it('every seeded reader is a member whose profile matches their IdP claims', () => {
    for (const reader of readers.filter((r) => r !== 'anon')) {
      const user = seededUsers.find((u) => u.username === reader)!
      expect(viewerOf(reader), reader).toMatchObject({
        roles: [...user.roles].sort(),
        tenant: user.tenant,
        plan: user.plan,
        region: user.region,
        access: { source: 'profile' },
      })
    }
  })
  const markers = seedMarkers()

  for (const reader of readers) {
    describe(reader, () => {
      for (const slug of Object.keys(accessMatrix)) {
        const expected = expectedOutcome(slug, reader)
        it(`${slug} → ${expected}`, async () => {
          const { doc, decision } = await outcome(seed, slug, viewerOf(reader))
          expect(decision.kind).toBe(expected)
          // The body leaves the query only when the reader may read it.
          expect(JSON.stringify(doc ?? {}).includes(markers[slug]!)).toBe(expected === 'read')
        })
      }

      it('home index lists exactly the readable docs, teasers for the rest, never hidden ones', async () => {
        const index = (await query(seed, DOC_INDEX_QUERY, accessParams(viewerOf(reader)))) as {
          readable: { slug: string }[]
          locked: { slug: string }[]
        }
        const slugs = Object.keys(accessMatrix)
        expect(index.readable.map((d) => d.slug).sort()).toEqual(slugs.filter((s) => expectedOutcome(s, reader) === 'read').sort())
        expect(index.locked.map((d) => d.slug).sort()).toEqual(slugs.filter((s) => ['forbidden', 'signIn'].includes(expectedOutcome(s, reader))).sort())
        for (const marker of Object.values(markers)) expect(JSON.stringify(index)).not.toContain(marker)
      })
    })
  }

  it('explains a refusal with the clause that failed', async () => {
    const { decision } = await outcome(seed, 'acme-runbook', viewerOf('bob'))
    expect(decision).toMatchObject({ kind: 'forbidden', missing: [{ dimension: 'tenant', required: ['acme'] }] })
    const sso = await outcome(seed, 'enterprise-sso', viewerOf('alice'))
    expect(sso.decision).toMatchObject({ kind: 'forbidden', missing: [{ dimension: 'plan', required: ['enterprise'] }] })
    const residency = await outcome(seed, 'eu-data-residency', viewerOf('bob'))
    expect(residency.decision).toMatchObject({ kind: 'forbidden', missing: [{ dimension: 'region', required: ['eu'] }] })
  })
})

describe('access rule denies by default', () => {
  const page = (fields: Record<string, unknown>): SeedDoc => ({
    _id: 'gatedPage.x',
    _type: 'gatedPage',
    title: 'X',
    slug: { current: 'x' },
    body: [{ _type: 'block', _key: 'a', children: [{ _type: 'span', text: 'SECRET' }] }],
    ...fields,
  })
  const alice = viewerOf('alice')

  it('a doc without an audience needs a signed-in reader', async () => {
    expect((await outcome([page({})], 'x', null)).decision.kind).toBe('signIn')
    expect((await outcome([page({})], 'x', alice)).decision.kind).toBe('read')
  })

  it('malformed requirements grant nothing', async () => {
    for (const fields of [{ requiredRoles: 'partner_admin' }, { plans: 'pro' }, { requiredRoles: [42] }, { tenantId: '' }]) {
      const { raw, decision } = await outcome([page(fields)], 'x', alice)
      expect(decision.kind, JSON.stringify(fields)).not.toBe('read')
      expect(JSON.stringify(raw)).not.toContain('SECRET')
    }
  })

  it('a hidden doc is invisible, not even a title, to a reader without access', async () => {
    const hidden = page({ visibility: 'hidden', requiredRoles: ['beta_tester'] })
    expect(await query([hidden], DOC_BY_SLUG_QUERY, { ...accessParams(alice), slug: 'x' })).toBeNull()
  })

  it('parameters are data, never GROQ: a crafted role or slug matches nothing', async () => {
    const seed = loadSeed()
    const crafted: Viewer = { ...alice!, roles: ['x"] || true || ["'], tenant: '" || true || "', plan: null }
    expect((await outcome(seed, 'admin-guide', crafted)).decision.kind).toBe('forbidden')
    expect(await query(seed, DOC_BY_SLUG_QUERY, { ...accessParams(alice), slug: '*] | [0' })).toBeNull()
  })
})

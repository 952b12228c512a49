import { describe, expect, it } from 'vitest'
import { seededUsers } from '@/dev/idp/users'
import type { Viewer } from '@/lib/auth/viewer'
import { accessParams } from '@/lib/content/access'
import { decideDocAccess } from '@/lib/content/decision'
import { DOC_BY_SLUG_QUERY, NAV_QUERY } from '@/lib/content/queries'
import { parseDoc } from '@/lib/content/schema'
import { accessMatrix, expectedOutcome, loadSeed, readers, seedMarkers, type SeedDoc } from './access-matrix'
import { query, viewerOf } from './support/seed-readers'

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

      it('navigation lists exactly the readable docs, teasers for the rest, never hidden ones', async () => {
        const nav = (await query(seed, NAV_QUERY, accessParams(viewerOf(reader)))) as { pages: { slug: string; readable: boolean }[] }
        const slugs = Object.keys(accessMatrix)
        expect(
          nav.pages
            .filter((d) => d.readable)
            .map((d) => d.slug)
            .sort(),
        ).toEqual(slugs.filter((s) => expectedOutcome(s, reader) === 'read').sort())
        expect(
          nav.pages
            .filter((d) => !d.readable)
            .map((d) => d.slug)
            .sort(),
        ).toEqual(slugs.filter((s) => ['forbidden', 'signIn'].includes(expectedOutcome(s, reader))).sort())
        for (const marker of Object.values(markers)) expect(JSON.stringify(nav)).not.toContain(marker)
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

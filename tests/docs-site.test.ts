// The docs site's queries over the seed, per reader: navigation, doc links, section listings, the
// sitemap and images each carry exactly what the access matrix allows, and nothing of a hidden doc.
import { describe, expect, it } from 'vitest'
import { accessParams } from '@/lib/content/access'
import { buildTree, flatten } from '@/lib/content/nav-tree'
import { DOC_BY_SLUG_QUERY, NAV_QUERY, PUBLIC_DOCS_QUERY, TEASERS_QUERY } from '@/lib/content/queries'
import { navPageSchema, navSectionSchema, parseDoc } from '@/lib/content/schema'
import { accessMatrix, expectedOutcome, expectedSection, loadSeed, readers, sectionMatrix, type Reader, type SeedDoc } from './access-matrix'
import { leaksIn } from './leaks'
import { query, viewerOf } from './support/seed-readers'

const seed = loadSeed()
const slugs = Object.keys(accessMatrix)
const pages = seed.filter((doc) => doc._type === 'gatedPage')
const slugOfId = new Map(pages.map((doc) => [doc._id, (doc.slug as { current: string }).current]))
const params = (reader: Reader) => accessParams(viewerOf(reader))

type MarkDef = { _type: string; _key: string; href?: string; reference?: unknown; target?: { state: string; slug: string | null } | null }

/** Every markDefs entry of a body, callouts and table cells included. */
function markDefsOf(body: unknown): MarkDef[] {
  const found: MarkDef[] = []
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk)
    if (typeof value !== 'object' || value === null) return
    const record = value as Record<string, unknown>
    if (Array.isArray(record.markDefs)) found.push(...(record.markDefs as MarkDef[]))
    Object.values(record).forEach(walk)
  }
  walk(body)
  return found
}

/** The doc links of a seed doc as written: markDef key → target slug. */
function seededLinks(slug: string): Map<string, string> {
  const doc = pages.find((d) => (d.slug as { current: string }).current === slug)!
  return new Map(
    markDefsOf(doc.body)
      .filter((def) => def._type === 'docLink')
      .map((def) => [def._key, slugOfId.get((def.reference as { _ref: string })._ref)!]),
  )
}

describe('the seed is a documentation set', () => {
  it('has sections, nesting, every block type and links to locked and hidden docs', () => {
    expect(seed.filter((d) => d._type === 'docSection').length).toBeGreaterThanOrEqual(5)
    expect(pages.length).toBeGreaterThanOrEqual(35)
    expect(pages.filter((d) => d.parent).length).toBeGreaterThanOrEqual(4)
    const types = new Set(pages.flatMap((d) => (d.body as { _type: string }[]).map((b) => b._type)))
    expect([...types].sort()).toEqual(['block', 'callout', 'code', 'image', 'restrictedBlock', 'table'])
    const styles = new Set(pages.flatMap((d) => (d.body as { style?: string }[]).map((b) => b.style)))
    for (const style of ['h2', 'h3', 'h4', 'normal']) expect(styles).toContain(style)
    const tones = new Set(pages.flatMap((d) => (d.body as { _type: string; tone?: string }[]).filter((b) => b._type === 'callout').map((b) => b.tone)))
    expect([...tones].sort()).toEqual(['caution', 'important', 'note', 'tip', 'warning'])
    expect(slugs.sort()).toEqual(pages.map((d) => (d.slug as { current: string }).current).sort())
  })
})

for (const reader of readers) {
  describe(`docs site for ${reader}`, () => {
    it('navigation builds a tree of exactly the docs they may know of, with no hidden title', async () => {
      const nav = (await query(seed, NAV_QUERY, params(reader))) as { sections: unknown[]; pages: unknown[] }
      expect(leaksIn(JSON.stringify(nav), reader)).toEqual([])
      const tree = buildTree(
        nav.sections.map((s) => navSectionSchema.parse(s)),
        nav.pages.map((p) => navPageSchema.parse(p)),
      )
      const listed = tree.flatMap((section) => flatten(section).map((row) => row.page))
      expect(listed.map((p) => p.slug).sort()).toEqual(slugs.filter((s) => expectedOutcome(s, reader) !== 'notFound').sort())
      for (const page of listed) expect(page.readable, page.slug).toBe(expectedOutcome(page.slug, reader) === 'read')
    })

    it('doc links resolve per target: a link, a locked link, or text with nothing of the target', async () => {
      const seen = new Set<string>()
      for (const slug of slugs.filter((s) => expectedOutcome(s, reader) === 'read')) {
        const result = await query(seed, DOC_BY_SLUG_QUERY, { ...params(reader), slug })
        expect(leaksIn(JSON.stringify(result), reader), slug).toEqual([])
        const written = seededLinks(slug)
        for (const def of markDefsOf((result as { body: unknown }).body)) {
          expect(def.reference, 'the raw reference never leaves the query').toBeUndefined()
          if (def._type !== 'docLink') continue
          const target = written.get(def._key)!
          const outcome = expectedOutcome(target, reader)
          const expected =
            outcome === 'read' ? { state: 'read', slug: target } : outcome === 'notFound' ? { state: 'hidden', slug: null } : { state: 'locked', slug: target }
          expect(def.target, `${slug} → ${target}`).toEqual(expected)
          seen.add(expected.state)
        }
      }
      // The seed links to docs of every kind, so each reader meets the cases their access allows.
      if (reader === 'mallory') expect([...seen].sort()).toEqual(['hidden', 'locked', 'read'])
    })

    it('restricted sections are decided inside the query: content, a teaser without content, or nothing', async () => {
      for (const [marker, { page }] of Object.entries(sectionMatrix)) {
        const expected = expectedSection(marker, reader)
        if (expected === '-') continue
        const seeded = (pages.find((d) => d._id === `gatedPage.${page}`)!.body as { _type: string; _key: string }[]).find(
          (b) => b._type === 'restrictedBlock' && JSON.stringify(b).includes(marker),
        )!
        const result = (await query(seed, DOC_BY_SLUG_QUERY, { ...params(reader), slug: page })) as {
          body: { _type: string; _key: string; readable?: boolean }[]
        }
        const block = result.body.find((b) => b._key === seeded._key)
        expect(JSON.stringify(result).includes(marker), `${marker} for ${reader}`).toBe(expected === 'S')
        if (expected === 'H') expect(block, `${marker} is gone for ${reader}`).toBeUndefined()
        else expect(block).toMatchObject({ _type: 'restrictedBlock', readable: expected === 'S' })
        if (expected === 'T') expect(Object.keys(block!).sort()).toEqual(['_key', '_type', 'access', 'readable', 'requirements'])
      }
    })

    it('a refused or hidden doc returns no body, so none of its images or links', async () => {
      for (const slug of slugs.filter((s) => expectedOutcome(s, reader) !== 'read')) {
        const result = await query(seed, DOC_BY_SLUG_QUERY, { ...params(reader), slug })
        if (expectedOutcome(slug, reader) === 'notFound') expect(result).toBeNull()
        else expect(parseDoc(result)).toMatchObject({ body: null, updatedAt: null })
        expect(leaksIn(JSON.stringify(result), reader), slug).toEqual([])
      }
    })

    it('teasers of chosen ids still pass the rule: a hidden id asked for directly returns nothing', async () => {
      const result = (await query(seed, TEASERS_QUERY, { ...params(reader), ids: pages.map((d) => d._id) })) as { slug: string }[]
      expect(result.map((d) => d.slug).sort()).toEqual(slugs.filter((s) => expectedOutcome(s, reader) !== 'notFound').sort())
      expect(leaksIn(JSON.stringify(result), reader)).toEqual([])
    })
  })
}

describe('sitemap', () => {
  it('lists exactly the docs a signed-out reader may read, whatever parameters come along', async () => {
    const expected = slugs.filter((s) => expectedOutcome(s, 'anon') === 'read').sort()
    const plain = (await query(seed, PUBLIC_DOCS_QUERY, {})) as { slug: string }[]
    expect(plain.map((d) => d.slug).sort()).toEqual(expected)
    // The query names no parameter: a signed-in reader's values change nothing.
    const widened = (await query(seed, PUBLIC_DOCS_QUERY, params('carol'))) as { slug: string }[]
    expect(widened.map((d) => d.slug).sort()).toEqual(expected)
    expect(leaksIn(JSON.stringify(plain), 'anon')).toEqual([])
  })
})

describe('hostile content', () => {
  it('a restricted block with a malformed rule shows nothing of its content; nested ones are dropped', async () => {
    const section = { _id: 'docSection.s', _type: 'docSection', title: 'S', slug: { current: 's' } }
    const secret = (n: number) => [{ _type: 'block', _key: `s${n}`, children: [{ _type: 'span', text: `SECRET-${n}` }] }]
    const doc = {
      _id: 'gatedPage.r',
      _type: 'gatedPage',
      title: 'R',
      slug: { current: 'r' },
      audience: 'public',
      section: { _ref: 'docSection.s' },
      body: [
        { _type: 'restrictedBlock', _key: 'a', audience: 'signedIn', requiredRoles: 'partner_admin', content: secret(1) },
        { _type: 'restrictedBlock', _key: 'b', audience: 'signedIn', requiredRoles: [42], visibility: 'hidden', content: secret(2) },
        {
          _type: 'restrictedBlock',
          _key: 'c',
          audience: 'public',
          content: [{ _type: 'restrictedBlock', _key: 'd', requiredRoles: ['x'], content: secret(3) }],
        },
      ],
    }
    const result = await query([section, doc], DOC_BY_SLUG_QUERY, { ...params('alice'), slug: 'r' })
    expect(JSON.stringify(result)).not.toMatch(/SECRET/)
    expect((result as { body: { _key: string; readable: boolean }[] }).body.map((b) => [b._key, b.readable])).toEqual([
      ['a', false],
      ['c', true],
    ])
  })

  it('slugs that are not slugs never become links (API writes skip Studio validation)', () => {
    for (const slug of ['javascript:alert(1)', '../account', '//evil.example', 'a/b', 'A', ' x', '']) {
      expect(navPageSchema.safeParse({ _id: 'p', title: 'T', slug, readable: true }).success, slug).toBe(false)
      expect(navSectionSchema.safeParse({ _id: 's', title: 'T', slug }).success, slug).toBe(false)
    }
  })

  const section = { _id: 'docSection.s', _type: 'docSection', title: 'S', slug: { current: 's' } }
  const page = (id: string, fields: Record<string, unknown>): SeedDoc => ({
    _id: id,
    _type: 'gatedPage',
    title: id,
    slug: { current: id },
    audience: 'public',
    section: { _ref: 'docSection.s' },
    ...fields,
  })
  const linking = (ref: string) =>
    page('linker', {
      body: [
        {
          _type: 'block',
          _key: 'b',
          markDefs: [
            { _type: 'docLink', _key: 'l', reference: { _ref: ref } },
            { _type: 'link', _key: 'x', href: 'javascript:alert(1)', onclick: 'steal()' },
          ],
          children: [{ _type: 'span', _key: 's', text: 'see here', marks: ['l', 'x'] }],
        },
      ],
    })

  it('a doc link to something that is not a doc resolves to "missing", with nothing of it', async () => {
    const profile = { _id: 'memberProfile.zed', _type: 'memberProfile', name: 'Zed Secret', title: 'Zed Secret', slug: { current: 'zed' } }
    const result = (await query([section, profile, linking('memberProfile.zed')], DOC_BY_SLUG_QUERY, { ...accessParams(null), slug: 'linker' })) as {
      body: unknown
    }
    const defs = markDefsOf(result.body)
    expect(defs.find((d) => d._key === 'l')?.target).toEqual({ state: 'missing', slug: null })
    expect(JSON.stringify(result)).not.toContain('Zed')
  })

  it('a link to a deleted doc resolves to null; unknown annotation fields are dropped', async () => {
    const result = (await query([section, linking('gatedPage.gone')], DOC_BY_SLUG_QUERY, { ...accessParams(null), slug: 'linker' })) as { body: unknown }
    const defs = markDefsOf(result.body)
    expect(defs.find((d) => d._key === 'l')?.target ?? null).toBeNull()
    expect(defs.find((d) => d._key === 'x')).toEqual({ _type: 'link', _key: 'x', href: 'javascript:alert(1)' })
  })

  it('a hidden target of a public doc is "hidden" for a signed-out reader and its slug stays home', async () => {
    const hidden = page('secret-launch', { audience: 'signedIn', requiredRoles: ['beta_tester'], visibility: 'hidden' })
    const result = (await query([section, hidden, linking('secret-launch')], DOC_BY_SLUG_QUERY, { ...accessParams(null), slug: 'linker' })) as { body: unknown }
    expect(markDefsOf(result.body).find((d) => d._key === 'l')?.target).toEqual({ state: 'hidden', slug: null })
    expect(JSON.stringify(result)).not.toContain('secret-launch')
  })
})

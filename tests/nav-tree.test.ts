import { describe, expect, it } from 'vitest'
import {
  breadcrumbsOf,
  buildTree,
  flatten,
  HOME_LINKS,
  homeOf,
  locate,
  neighbours,
  SIDEBAR_LINKS,
  sidebarOf,
  type SidebarEntry,
  type SidebarSection,
} from '@/lib/content/nav-tree'
import type { NavPage, NavSection } from '@/lib/content/schema'

const section = (id: string, title = id): NavSection => ({ _id: id, title, slug: id, description: null })
const page = (id: string, fields: Partial<NavPage> = {}): NavPage => ({
  _id: id,
  title: `Title ${id}`,
  slug: id,
  section: 's1',
  parent: null,
  readable: true,
  ...fields,
})

const entries = (sections: SidebarSection[]) => sections.flatMap((s) => s.entries.flatMap((e): SidebarEntry[] => [e, ...e.children]))
/** Links the sidebar renders: each section's overview link plus every entry. */
const sidebarLinks = (sections: SidebarSection[]) => sections.filter((s) => s.slug).length + entries(sections).length

describe('buildTree', () => {
  it('nests children under their parent, one level, in query order', () => {
    const tree = buildTree([section('s1'), section('s2')], [page('a'), page('b', { parent: 'a' }), page('c'), page('d', { section: 's2' })])
    expect(tree.map((s) => s.id)).toEqual(['s1', 's2'])
    expect(tree[0]!.pages.map((p) => [p.slug, p.children.map((c) => c.slug)])).toEqual([
      ['a', ['b']],
      ['c', []],
    ])
    expect(flatten(tree[0]!).map((r) => [r.page.slug, r.depth])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 0],
    ])
  })

  it('a page whose parent the reader may not know of (hidden from them) is top level: the parent is not revealed', () => {
    // The navigation query never returns the hidden parent; only its id would remain on the child.
    const tree = buildTree([section('s1')], [page('child', { parent: 'hidden-parent' })])
    expect(tree[0]!.pages.map((p) => p.slug)).toEqual(['child'])
    expect(breadcrumbsOf(tree, 'child').map((b) => b.title)).toEqual(['Docs', 's1', 'Title child'])
  })

  it('deeper nesting, cross-section parents, self-parents and unknown sections degrade to safe shapes', () => {
    const tree = buildTree(
      [section('s1'), section('s2')],
      [
        page('a'),
        page('b', { parent: 'a' }),
        page('c', { parent: 'b' }),
        page('x', { section: 's2', parent: 'a' }),
        page('self', { parent: 'self' }),
        page('lost', { section: 'nope' }),
      ],
    )
    const s1 = tree.find((s) => s.id === 's1')!
    expect(s1.pages.map((p) => [p.slug, p.children.map((c) => c.slug)])).toEqual([
      ['a', ['b']],
      ['c', []],
      ['self', []],
    ])
    expect(tree.find((s) => s.id === 's2')!.pages.map((p) => p.slug)).toEqual(['x'])
    expect(tree.at(-1)).toMatchObject({ title: 'More docs', slug: null })
    expect(tree.at(-1)!.pages.map((p) => p.slug)).toEqual(['lost'])
  })

  it('sections without anything for this reader are left out, and counts split readable from locked', () => {
    const tree = buildTree([section('s1'), section('empty')], [page('a'), page('b', { readable: false })])
    expect(tree.map((s) => [s.id, s.readable, s.locked])).toEqual([['s1', 1, 1]])
  })
})

describe('neighbours, breadcrumbs', () => {
  const tree = buildTree(
    [section('s1', 'Guides')],
    [page('a'), page('b', { parent: 'a', readable: false }), page('c', { parent: 'a' }), page('d', { readable: false }), page('e')],
  )
  it('previous/next skip locked pages and stay in the section', () => {
    expect(neighbours(tree, 'a')).toMatchObject({ previous: null, next: { slug: 'c' } })
    expect(neighbours(tree, 'c')).toMatchObject({ previous: { slug: 'a' }, next: { slug: 'e' } })
    expect(neighbours(tree, 'e')).toMatchObject({ previous: { slug: 'c' }, next: null })
    expect(neighbours(tree, 'unknown')).toEqual({ previous: null, next: null })
  })
  it('breadcrumbs go Docs › section › parent › page', () => {
    expect(breadcrumbsOf(tree, 'c')).toEqual([
      { title: 'Docs', href: '/' },
      { title: 'Guides', href: '/sections/s1' },
      { title: 'Title a', href: '/docs/a' },
      { title: 'Title c', href: null },
    ])
    expect(breadcrumbsOf(tree, 'unknown')).toEqual([])
  })
})

describe('sidebar and home stay within their link budgets', () => {
  it('a small site fits whole, current page marked', () => {
    const tree = buildTree([section('s1'), section('s2')], [page('a'), page('b', { parent: 'a' }), page('c', { section: 's2' })])
    const sidebar = sidebarOf(tree, 'b')
    expect(sidebar.map((s) => s.omitted)).toEqual([0, 0])
    expect(
      entries(sidebar)
        .filter((e) => e.current)
        .map((e) => e.slug),
    ).toEqual(['b'])
    expect(sidebar.map((s) => s.current)).toEqual([true, false])
  })

  // 10,000 docs in 20 sections, a third of them locked, every tenth nested under the one before.
  const bigSections = Array.from({ length: 20 }, (_, i) => section(`sec${i}`, `Section ${i}`))
  const bigPages = Array.from({ length: 10_000 }, (_, i) =>
    page(`doc-${i}`, { section: `sec${i % 20}`, readable: i % 3 !== 0, parent: i % 10 === 9 && i >= 20 ? `doc-${i - 20}` : null }),
  )
  const big = buildTree(bigSections, bigPages)

  it.each([null, 'doc-0', 'doc-4999', 'doc-9999', 'doc-9989'])('at 10,000 docs the sidebar around %s renders at most the budget', (current) => {
    const sidebar = sidebarOf(big, current)
    expect(sidebarLinks(sidebar)).toBeLessThanOrEqual(SIDEBAR_LINKS + 1)
    if (current) {
      // The current page is always in view, in the open section.
      expect(
        entries(sidebar)
          .filter((e) => e.current)
          .map((e) => e.slug),
      ).toEqual([current])
      expect(sidebar.find((s) => s.current)!.entries.length).toBeGreaterThan(5)
    }
    // Every section says how many more pages its "all pages" link stands for.
    for (const s of sidebar) expect(s.omitted).toBeGreaterThan(s.total - 500)
  })

  it('at 10,000 docs the home page lists a few pages and teasers per section', () => {
    const home = homeOf(big)
    const links = home.reduce((n, s) => n + s.readable.length + s.lockedSample.length + (s.slug ? 1 : 0), 0)
    expect(links).toBeLessThanOrEqual(HOME_LINKS)
    expect(home.every((s) => s.readable.length >= 2 && s.lockedSample.length <= 3)).toBe(true)
    expect(home[0]!.lockedTotal + home[0]!.readableTotal).toBe(500)
  })

  it('locate finds nested pages', () => {
    expect(locate(big, 'doc-29')).toMatchObject({ parent: { slug: 'doc-9' }, page: { slug: 'doc-29' } })
  })
})

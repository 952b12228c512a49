// The page tree and what each page shows of it: sidebar, breadcrumbs, previous/next and the home
// page. Pure functions over the navigation query's result (./queries.ts NAV_QUERY), which already
// holds only what this reader may know of; nothing here decides access, it only arranges and trims.
//
// Size is bounded by link budgets, not by the number of docs: at 10,000 docs a page still renders a
// couple of hundred links at most (bench/scale.ts measures it).
import type { NavPage, NavSection } from './schema'

export type TreePage = { id: string; title: string; slug: string; readable: boolean; children: TreePage[] }
export type TreeSection = { id: string; title: string; slug: string | null; description: string | null; pages: TreePage[]; readable: number; locked: number }

/** Where pages go whose section is missing or unknown (API writes skip Studio validation). */
export const UNSORTED: Omit<TreeSection, 'pages' | 'readable' | 'locked'> = { id: '', title: 'More docs', slug: null, description: null }

/** Links the sidebar may render: section headings, entries and "all N pages" links together. */
export const SIDEBAR_LINKS = 100
/** Links the home page's own content may render (the sidebar comes on top). */
export const HOME_LINKS = 90

/** Sections in order with their pages nested one level under their parent; empty sections dropped. */
export function buildTree(sections: NavSection[], pages: NavPage[]): TreeSection[] {
  const known = new Map(pages.map((page) => [page._id, page]))
  const sectionOf = (page: NavPage) => (page.section && sections.some((s) => s._id === page.section) ? page.section : UNSORTED.id)
  // One level only: a parent must be a known top-level page of the same section, else the page is top level.
  const parentOf = (page: NavPage) => {
    const parent = page.parent ? known.get(page.parent) : undefined
    return parent && parent._id !== page._id && !(parent.parent && known.has(parent.parent)) && sectionOf(parent) === sectionOf(page) ? parent._id : null
  }
  const nodes = new Map(
    pages.map((page) => [page._id, { id: page._id, title: page.title, slug: page.slug, readable: page.readable, children: [] } as TreePage]),
  )
  const topLevel = new Map<string, TreePage[]>()
  for (const page of pages) {
    const parent = parentOf(page)
    if (parent) nodes.get(parent)!.children.push(nodes.get(page._id)!)
    else topLevel.set(sectionOf(page), [...(topLevel.get(sectionOf(page)) ?? []), nodes.get(page._id)!])
  }
  return [...sections.map((s) => ({ id: s._id, title: s.title, slug: s.slug, description: s.description })), UNSORTED].flatMap((section) => {
    const top = topLevel.get(section.id) ?? []
    if (top.length === 0) return []
    const all = top.flatMap((page) => [page, ...page.children])
    const readable = all.filter((page) => page.readable).length
    return [{ ...section, pages: top, readable, locked: all.length - readable }]
  })
}

/** A section's pages in reading order: each top-level page followed by its children. */
export function flatten(section: TreeSection): { page: TreePage; depth: 0 | 1 }[] {
  return section.pages.flatMap((page) => [{ page, depth: 0 as const }, ...page.children.map((child) => ({ page: child, depth: 1 as const }))])
}

export type Located = { section: TreeSection; parent: TreePage | null; page: TreePage }

export function locate(tree: TreeSection[], slug: string): Located | null {
  for (const section of tree) {
    for (const page of section.pages) {
      if (page.slug === slug) return { section, parent: null, page }
      const child = page.children.find((c) => c.slug === slug)
      if (child) return { section, parent: page, page: child }
    }
  }
  return null
}

/** The readable pages before and after this one in its section's reading order (locked ones skipped). */
export function neighbours(tree: TreeSection[], slug: string): { previous: TreePage | null; next: TreePage | null } {
  const located = locate(tree, slug)
  if (!located) return { previous: null, next: null }
  const order = flatten(located.section).map((row) => row.page)
  const index = order.findIndex((page) => page.slug === slug)
  const previous =
    order
      .slice(0, index)
      .reverse()
      .find((page) => page.readable) ?? null
  const next = order.slice(index + 1).find((page) => page.readable) ?? null
  return { previous, next }
}

export type SidebarEntry = { title: string; slug: string; readable: boolean; current: boolean; children: SidebarEntry[] }
export type SidebarSection = { id: string; title: string; slug: string | null; current: boolean; entries: SidebarEntry[]; total: number; omitted: number }

/**
 * Shares `budget` among sizes: each gets at most its size, none more than an equal share of what is
 * left (smallest first, so what small ones leave goes to the larger ones).
 */
function waterFill(sizes: number[], budget: number): number[] {
  const quotas = sizes.map(() => 0)
  let left = budget
  const order = sizes.map((size, i) => ({ size, i })).sort((a, b) => a.size - b.size)
  order.forEach(({ size, i }, n) => {
    const share = Math.floor(left / (order.length - n))
    quotas[i] = Math.min(size, share)
    left -= quotas[i]!
  })
  return quotas
}

/** Nests window rows back under their parents; a child whose parent fell outside gets it back as context. */
function nest(rows: { page: TreePage; depth: 0 | 1 }[], all: { page: TreePage; depth: 0 | 1 }[], current: string | null): SidebarEntry[] {
  const entry = (page: TreePage): SidebarEntry => ({
    title: page.title,
    slug: page.slug,
    readable: page.readable,
    current: page.slug === current,
    children: [],
  })
  const entries: SidebarEntry[] = []
  for (const row of rows) {
    if (row.depth === 0) {
      entries.push(entry(row.page))
      continue
    }
    const parent = all.find((candidate) => candidate.page.children.includes(row.page))?.page
    const last = entries.at(-1)
    if (parent && last?.slug === parent.slug) last.children.push(entry(row.page))
    else if (parent) entries.push({ ...entry(parent), children: [entry(row.page)] })
    else entries.push(entry(row.page))
  }
  return entries
}

/**
 * The sidebar for a page: every section, the current one (holding `current`) with a window of its
 * pages around the current page, the others with their first pages, all within `budget` links. A
 * small site fits whole; `omitted` says how many pages a section's "all pages" link stands for.
 */
export function sidebarOf(tree: TreeSection[], current: string | null, budget = SIDEBAR_LINKS): SidebarSection[] {
  const rows = tree.map(flatten)
  const sizes = rows.map((r) => r.length)
  const home = current ? tree.findIndex((_, i) => rows[i]!.some((row) => row.page.slug === current)) : -1
  // Each section costs its heading link and possibly an "all pages" link; the rest is for entries.
  let room = Math.max(0, budget - 2 * tree.length)
  const quotas = sizes.map(() => 0)
  if (home >= 0) {
    quotas[home] = Math.min(sizes[home]!, Math.max(Math.floor(room / 2), Math.min(sizes[home]!, 10)))
    room -= quotas[home]
  }
  const others = sizes.map((size, i) => (i === home ? 0 : size))
  const filled = waterFill(others, room)
  filled.forEach((quota, i) => {
    if (i !== home) quotas[i] = quota
  })
  // What the others left over goes back to the current section.
  if (home >= 0) quotas[home] = Math.min(sizes[home]!, quotas[home]! + room - filled.reduce((a, b) => a + b, 0))

  return tree.map((section, i) => {
    const all = rows[i]!
    const quota = quotas[i]!
    let start = 0
    if (i === home) {
      const at = all.findIndex((row) => row.page.slug === current)
      start = Math.max(0, Math.min(at - Math.floor(quota / 2), all.length - quota))
    }
    const window = all.slice(start, start + quota)
    return {
      id: section.id,
      title: section.title,
      slug: section.slug,
      current: i === home,
      entries: nest(window, all, i === home ? current : null),
      total: all.length,
      omitted: all.length - window.length,
    }
  })
}

export type Breadcrumb = { title: string; href: string | null }

/** Docs › Section › Parent › Page, from the tree (so a hidden parent never shows). */
export function breadcrumbsOf(tree: TreeSection[], slug: string): Breadcrumb[] {
  const located = locate(tree, slug)
  if (!located) return []
  return [
    { title: 'Docs', href: '/' },
    { title: located.section.title, href: located.section.slug ? `/sections/${located.section.slug}` : null },
    ...(located.parent ? [{ title: located.parent.title, href: `/docs/${located.parent.slug}` }] : []),
    { title: located.page.title, href: null },
  ]
}

export type HomeSection = {
  id: string
  title: string
  slug: string | null
  description: string | null
  /** The first readable pages, in reading order. */
  readable: TreePage[]
  readableTotal: number
  /** A few locked pages, to show as teasers; the rest are a count. */
  lockedSample: TreePage[]
  lockedTotal: number
}

/**
 * The home page: each section with its first readable pages and a short "locked for you" sample, the
 * per-section numbers shrinking as sections grow so the page stays within `budget` links.
 */
export function homeOf(tree: TreeSection[], budget = HOME_LINKS): HomeSection[] {
  const perSection = Math.max(2, Math.floor((budget - tree.length) / Math.max(1, tree.length)))
  const readablePerSection = Math.min(8, Math.ceil(perSection * 0.75))
  const teasersPerSection = Math.min(3, Math.max(0, perSection - readablePerSection))
  return tree.map((section) => {
    const order = flatten(section).map((row) => row.page)
    const readable = order.filter((page) => page.readable)
    const locked = order.filter((page) => !page.readable)
    return {
      id: section.id,
      title: section.title,
      slug: section.slug,
      description: section.description,
      readable: readable.slice(0, readablePerSection),
      readableTotal: readable.length,
      lockedSample: locked.slice(0, teasersPerSection),
      lockedTotal: locked.length,
    }
  })
}

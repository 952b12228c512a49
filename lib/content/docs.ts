import 'server-only'
import { headers } from 'next/headers'
import { cache } from 'react'
import { recordDecision, whoOf, type AuditVia } from '@/lib/audit'
import { getConfig } from '@/lib/config'
import { fromUpstream } from '@/lib/http/errors'
import { z } from 'zod'
import { GRANT_DIMENSIONS, type GrantDimension } from '@/lib/access/dimensions'
import { getAudience, type Audience } from '@/lib/auth/dal'
import { accessParams, type AccessParams } from './access'
import { cacheKeyOf, contentEntry, docTag, docTags, slugTag, typeTag } from './cache'
import { sanityClient } from './client'
import { decideDocAccess, type DocDecision } from './decision'
import { buildTree, flatten, type TreeSection } from './nav-tree'
import { queryAs } from './read'
import { ACCESS_OPTIONS_QUERY, DOC_BY_SLUG_QUERY, NAV_QUERY, PUBLIC_DOCS_QUERY, TEASERS_QUERY } from './queries'
import { listedDocSchema, navPageSchema, navSectionSchema, parseDoc, parseEach, type Doc, type ListedDoc } from './schema'
import { SLUG_PATTERN } from './slug'

// The content layer reads for the audience the data-access layer resolves (the signed-in reader, or
// the audience an editor previews), so no page passes a reader around. Each read has two forms: a
// `load…` that queries Sanity, and a `'use cache'` function over it keyed by the audience's access
// parameters (./cache.ts) — the one readers go through; drafts and preview-as take the `load…` form.
// zod checks what arrives (inside the cached function, so a hit skips it), because Studio validation
// never runs on API writes.

/**
 * The page tree for the current audience: sections and the pages they may know of, built per request
 * from a query that applies the access rule. Cached per request: the layout, the page and its
 * metadata share one query.
 */
export const getNav = cache(async (): Promise<{ tree: TreeSection[]; audience: Audience }> => {
  const audience = await getAudience()
  return { tree: await navOf(audience), audience }
})

/** The tree per request and audience: the sidebar and a doc's 404 check (readDoc) share one read. */
const navOf = cache((audience: Audience): Promise<TreeSection[]> => readNav(audience))

/** The page tree for a given audience (an MCP client's, llms.txt's): the same query as the sidebar's. */
export async function readNav(audience: Audience): Promise<TreeSection[]> {
  const key = cacheKeyOf(audience)
  return key ? cachedNav(key) : loadNav(accessParams(audience.reader), audience.drafts)
}

async function cachedNav(params: AccessParams): Promise<TreeSection[]> {
  'use cache'
  contentEntry(typeTag('gatedPage'), typeTag('docSection'))
  return loadNav(params, false)
}

async function loadNav(params: AccessParams, drafts: boolean): Promise<TreeSection[]> {
  const result = await queryAs<{ sections?: unknown; pages?: unknown } | null>(params, drafts, NAV_QUERY)
  return buildTree(parseEach(navSectionSchema, result?.sections, 'docSection'), parseEach(navPageSchema, result?.pages, 'gatedPage'))
}

/** Teasers (title, excerpt, requirements, what is missing) of a few docs the page chose from the tree. */
export async function getTeasers(ids: string[], audience?: Audience): Promise<Map<string, ListedDoc>> {
  if (ids.length === 0) return new Map()
  const reader = audience ?? (await getAudience())
  const key = cacheKeyOf(reader)
  // Sorted for the key: the same docs asked in another order share an entry.
  const docs = key ? await cachedTeasers(key, [...ids].sort()) : await loadTeasers(accessParams(reader.reader), reader.drafts, ids)
  return new Map(docs.map((doc) => [doc._id, doc]))
}

async function cachedTeasers(params: AccessParams, ids: string[]): Promise<ListedDoc[]> {
  'use cache'
  // Each doc asked for, found or not: the publish that makes one readable or hidden expires this.
  contentEntry(...docTags('gatedPage', ids))
  return loadTeasers(params, false, ids)
}

async function loadTeasers(params: AccessParams, drafts: boolean, ids: string[]): Promise<ListedDoc[]> {
  return parseEach(listedDocSchema, await queryAs(params, drafts, TEASERS_QUERY, { ids }), 'gatedPage')
}

/**
 * One doc and what /docs/[slug] does with it — read, sign in (307), 403 or 404 — for the current
 * audience. Its body is present only if the audience may read it. Cached per request, so the page,
 * its teaser and its metadata share one query.
 */
export const getDoc = cache(async (slug: string): Promise<{ decision: DocDecision; audience: Audience }> => {
  const audience = await getAudience()
  return { decision: await readDoc(audience, slug), audience }
})

/**
 * One doc's decision for a given audience (an MCP client's, a Markdown request's).
 *
 * The negative cache: a slug that is not in the audience's page tree is a 404 without a query of its
 * own. The tree's query (NAV_QUERY) selects pages with the very filter of DOC_BY_SLUG_QUERY (a page,
 * knowable by this audience), so a slug is in it exactly when the doc query would find a doc — and a
 * hidden doc is as absent from it as an unknown slug: both answer from the same cached entry, by the
 * same path, in the same time. The tree is cached per audience under the gatedPage type tag, which
 * the content webhook expires on every publish of a page, so a doc published later is never hidden
 * by it. Uncached reads (drafts, preview-as, caching off) skip it: there the tree is a query too.
 */
export async function readDoc(audience: Audience, slug: string): Promise<DocDecision> {
  if (!SLUG_PATTERN.test(slug)) return { kind: 'notFound' }
  const key = cacheKeyOf(audience)
  if (key && !knownSlugs(await navOf(audience)).has(slug)) return { kind: 'notFound' }
  const doc = key ? await cachedDoc(key, slug) : await loadDoc(accessParams(audience.reader), audience.drafts, slug)
  return decideDocAccess(doc, audience.reader !== null)
}

// One set per tree object: a cached tree is shared by the requests of its audience.
const slugSets = new WeakMap<TreeSection[], Set<string>>()
function knownSlugs(tree: TreeSection[]): Set<string> {
  let slugs = slugSets.get(tree)
  if (!slugs) {
    slugs = new Set(tree.flatMap((section) => flatten(section).map((row) => row.page.slug)))
    slugSets.set(tree, slugs)
  }
  return slugs
}

async function cachedDoc(params: AccessParams, slug: string): Promise<Doc | null> {
  'use cache'
  const doc = await loadDoc(params, false, slug)
  // The slug's tag (a page published with this slug now: one created, renamed to it, shown or hidden),
  // and the doc's own (its publish, or one of a doc it links to, which expires it as a referrer).
  contentEntry(slugTag(slug), ...(doc ? [docTag(doc._id)] : []))
  return doc
}

async function loadDoc(params: AccessParams, drafts: boolean, slug: string): Promise<Doc | null> {
  return parseDoc(await queryAs(params, drafts, DOC_BY_SLUG_QUERY, { slug }))
}

/**
 * One audit event for a doc decision (lib/audit): who, which doc, read/403/404/307 with the failed
 * clauses, and whether it was a page load or a client-side navigation (an RSC request).
 */
export async function auditDocDecision(slug: string, decision: DocDecision, audience: Audience, via?: AuditVia): Promise<void> {
  const doc = decision.kind === 'read' || decision.kind === 'forbidden' ? decision.doc : null
  recordDecision({
    who: whoOf(audience),
    // A 404 names the slug asked for, never whether a hidden doc is behind it.
    what: doc ? { docId: doc._id, slug: doc.slug } : { slug },
    decision: decision.kind,
    ...(decision.kind === 'forbidden' ? { failed: decision.missing.map((m) => m.dimension) } : {}),
    via: via ?? ((await headers()).get('rsc') === '1' ? 'rsc' : 'web'),
  })
}

/** Docs per section page. */
export const SECTION_PAGE_SIZE = 50

export type SectionListing = { title: string; slug: string; description: string | null; total: number; pages: ListedDoc[]; page: number; pageCount: number }

/**
 * One page (1-based) of a section's docs for the current audience: readable ones and teasers in
 * sidebar order, from the same per-request tree as the sidebar (so the two always agree), with the
 * teasers of that page fetched under the rule again. Hidden docs the audience cannot read are neither
 * listed nor counted. Null when the section has nothing for them or the page is past the end.
 */
export const getSection = cache(async (slug: string, page: number): Promise<SectionListing | null> => {
  if (!SLUG_PATTERN.test(slug) || !Number.isSafeInteger(page) || page < 1) return null
  const { tree } = await getNav()
  const section = tree.find((s) => s.slug === slug)
  if (!section?.slug) return null
  const order = flatten(section).map((row) => row.page)
  const pageCount = Math.max(1, Math.ceil(order.length / SECTION_PAGE_SIZE))
  if (page > pageCount) return null
  const shown = order.slice((page - 1) * SECTION_PAGE_SIZE, page * SECTION_PAGE_SIZE)
  const teasers = await getTeasers(shown.map((p) => p.id))
  return {
    title: section.title,
    slug: section.slug,
    description: section.description,
    total: order.length,
    pages: shown.flatMap((p) => teasers.get(p.id) ?? []),
    page,
    pageCount,
  }
})

const publicDocSchema = z.object({
  slug: z.string().regex(SLUG_PATTERN),
  updatedAt: z.string().nullable().optional(),
  section: z.string().regex(SLUG_PATTERN).nullable().optional(),
})

/**
 * Docs anyone may read signed out, for the sitemap. The query carries no reader at all (the rule's
 * signed-out values are written into it) and reads published content only, so no session or preview
 * widens it.
 */
export async function getPublicDocs(): Promise<z.infer<typeof publicDocSchema>[]> {
  return getConfig().content.cache.seconds > 0 ? cachedPublicDocs() : loadPublicDocs()
}

async function cachedPublicDocs(): Promise<z.infer<typeof publicDocSchema>[]> {
  'use cache'
  contentEntry(typeTag('gatedPage'), typeTag('docSection'))
  return loadPublicDocs()
}

async function loadPublicDocs(): Promise<z.infer<typeof publicDocSchema>[]> {
  const result = await fromUpstream('Sanity', () => sanityClient().fetch(PUBLIC_DOCS_QUERY, {}, { perspective: 'published' }))
  return parseEach(publicDocSchema, result, 'gatedPage')
}

const option = z.object({ value: z.string(), title: z.string().nullable().optional() })
export type AccessOption = z.infer<typeof option>
export type AccessOptions = Record<GrantDimension['name'], AccessOption[]>

/** The values an editor can preview as, per dimension. Read fresh (editors only; regions come from members). */
export async function getAccessOptions(): Promise<AccessOptions> {
  const result = (await fromUpstream('Sanity', () => sanityClient().fetch(ACCESS_OPTIONS_QUERY, {}, { perspective: 'published' }))) as Record<
    string,
    unknown
  > | null
  return Object.fromEntries(
    GRANT_DIMENSIONS.map((d) => [
      d.name,
      z
        .array(option)
        .catch([])
        .parse(result?.[d.name] ?? []),
    ]),
  ) as AccessOptions
}

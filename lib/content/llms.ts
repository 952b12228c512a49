import 'server-only'
import { z } from 'zod'
import { recordDecision, whoOf } from '@/lib/audit'
import type { Audience } from '@/lib/auth/dal'
import { getConfig } from '@/lib/config'
import { accessParams, type AccessParams } from './access'
import { cacheKeyOf, contentEntry, typeTag } from './cache'
import { readNav } from './docs'
import { docToMarkdown, plain } from './markdown'
import { flatten } from './nav-tree'
import { queryAs } from './read'
import { READABLE_DOCS_QUERY, READABLE_EXCERPTS_QUERY } from './queries'
import { docSchema, parseEach, type Doc } from './schema'

const excerptSchema = z.object({ _id: z.string(), excerpt: z.string().nullable().optional() })

// llms.txt (https://llmstxt.org) per reader: the docs the requesting reader may read — a signed-out
// one gets the public docs — listed by section with their excerpts; llms-full.txt is the same docs
// whole, as Markdown. Both come from the queries the site uses, never from a static export.

/** llms-full.txt stops after this many docs (and says so); /docs/<slug>.md serves any single doc. */
export const LLMS_FULL_LIMIT = 500

const who = (audience: Audience) => (audience.reader ? 'you (signed in)' : 'anyone (signed out)')

export async function llmsIndex(audience: Audience): Promise<string> {
  const baseUrl = getConfig().appBaseUrl
  // The navigation gives the order and sections; one scan gives every readable doc's excerpt (asking
  // for thousands of ids by `_id in $ids` would cost far more).
  const key = cacheKeyOf(audience)
  const [tree, rows] = await Promise.all([readNav(audience), key ? cachedExcerpts(key) : loadExcerpts(accessParams(audience.reader), audience.drafts)])
  const excerpts = new Map(rows.map((row) => [row._id, row.excerpt]))
  const sections = tree
    .map((section) => ({ section, pages: flatten(section).flatMap((row) => (row.page.readable ? [row.page] : [])) }))
    .filter((s) => s.pages.length > 0)
  const lines = [
    '# Gatehouse docs',
    '',
    `> The documentation ${who(audience)} may read. Each link is the page as Markdown; ${baseUrl}/llms-full.txt has them all.`,
  ]
  for (const { section, pages } of sections) {
    lines.push('', `## ${plain(section.title)}`, '')
    for (const page of pages) {
      const excerpt = excerpts.get(page.id)
      lines.push(`- [${plain(page.title)}](${baseUrl}/docs/${page.slug}.md)${excerpt ? `: ${plain(excerpt)}` : ''}`)
    }
  }
  const count = sections.reduce((n, s) => n + s.pages.length, 0)
  recordDecision({ who: whoOf(audience), what: { results: count }, decision: 'list', via: 'llms' })
  return `${lines.join('\n')}\n`
}

export async function llmsFull(audience: Audience): Promise<string> {
  const baseUrl = getConfig().appBaseUrl
  const key = cacheKeyOf(audience)
  const docs = key ? await cachedReadableDocs(key) : await loadReadableDocs(accessParams(audience.reader), audience.drafts)
  const shown = docs.slice(0, LLMS_FULL_LIMIT)
  recordDecision({ who: whoOf(audience), what: { results: shown.length }, decision: 'list', via: 'llms' })
  const parts = shown.map((doc) => `${docToMarkdown(doc, baseUrl)}\nSource: ${baseUrl}/docs/${doc.slug}\n`)
  if (docs.length > LLMS_FULL_LIMIT) parts.push(`(Only the first ${LLMS_FULL_LIMIT} docs are included; ${baseUrl}/llms.txt lists every doc you may read.)\n`)
  return parts.join('\n---\n\n')
}

type Excerpt = z.infer<typeof excerptSchema>

async function cachedExcerpts(params: AccessParams): Promise<Excerpt[]> {
  'use cache'
  contentEntry(typeTag('gatedPage'))
  return loadExcerpts(params, false)
}

async function loadExcerpts(params: AccessParams, drafts: boolean): Promise<Excerpt[]> {
  return parseEach(excerptSchema, await queryAs(params, drafts, READABLE_EXCERPTS_QUERY), 'gatedPage')
}

async function cachedReadableDocs(params: AccessParams): Promise<Doc[]> {
  'use cache'
  // Bodies carry the state of every doc they link to: any page publish expires this.
  contentEntry(typeTag('gatedPage'))
  return loadReadableDocs(params, false)
}

async function loadReadableDocs(params: AccessParams, drafts: boolean): Promise<Doc[]> {
  const rows = await queryAs(params, drafts, READABLE_DOCS_QUERY, { limit: LLMS_FULL_LIMIT + 1 })
  // The query only returns readable docs; `readable` is checked again before a body is written out.
  return parseEach(docSchema, rows, 'gatedPage').filter((doc) => doc.readable && doc.body)
}

import 'server-only'
import { z } from 'zod'
import { recordDecision, whoOf } from '@/lib/audit'
import type { Audience } from '@/lib/auth/dal'
import { getConfig } from '@/lib/config'
import { accessParams } from './access'
import { sanityClient } from './client'
import { readNav } from './docs'
import { docToMarkdown, plain } from './markdown'
import { flatten } from './nav-tree'
import { READABLE_DOCS_QUERY, READABLE_EXCERPTS_QUERY } from './queries'
import { docSchema, parseEach } from './schema'

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
  const [tree, rows] = await Promise.all([
    readNav(audience),
    sanityClient().fetch(READABLE_EXCERPTS_QUERY, accessParams(audience.reader), { cache: 'no-store', perspective: audience.drafts ? 'drafts' : 'published' }),
  ])
  const excerpts = new Map(parseEach(excerptSchema, rows, 'gatedPage').map((row) => [row._id, row.excerpt]))
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
  const rows = await sanityClient().fetch(
    READABLE_DOCS_QUERY,
    { ...accessParams(audience.reader), limit: LLMS_FULL_LIMIT + 1 },
    { cache: 'no-store', perspective: audience.drafts ? 'drafts' : 'published' },
  )
  // The query only returns readable docs; `readable` is checked again before a body is written out.
  const docs = parseEach(docSchema, rows, 'gatedPage').filter((doc) => doc.readable && doc.body)
  const shown = docs.slice(0, LLMS_FULL_LIMIT)
  recordDecision({ who: whoOf(audience), what: { results: shown.length }, decision: 'list', via: 'llms' })
  const parts = shown.map((doc) => `${docToMarkdown(doc, baseUrl)}\nSource: ${baseUrl}/docs/${doc.slug}\n`)
  if (docs.length > LLMS_FULL_LIMIT) parts.push(`(Only the first ${LLMS_FULL_LIMIT} docs are included; ${baseUrl}/llms.txt lists every doc you may read.)\n`)
  return parts.join('\n---\n\n')
}

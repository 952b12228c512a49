import 'server-only'
import { z } from 'zod'
import { recordDecision, whoOf, type AuditVia } from '@/lib/audit'
import { queryHash } from '@/lib/audit/query-hash'
import type { Audience } from '@/lib/auth/dal'
import { fromUpstream } from '@/lib/http/errors'
import { accessParams } from './access'
import { sanityClient } from './client'
import { describeMissing, missingRequirements } from './decision'
import { SEARCH_QUERY } from './queries'
import { listedDocSchema, logMalformed } from './schema'
import { SLUG_PATTERN } from './slug'

// Search is one server function over one GROQ query (./queries.ts SEARCH_QUERY) that applies the
// access rule: no index of gated text exists anywhere, let alone in the browser. Snippets are cut
// here from the text the query returned, which it returns only for docs the reader may read (with the
// restricted sections they may not see already left out).

export const SEARCH_LIMIT = 20
const MAX_QUERY_LENGTH = 100
const MAX_TERMS = 8

/** A piece of a snippet: `hit` marks where a search term matched. Rendered as text, never as HTML. */
export type SnippetPart = { text: string; hit: boolean }

export type SearchResult = {
  slug: string
  title: string
  excerpt: string | null
  section: { title: string; slug: string | null } | null
  readable: boolean
  /** Readable docs: the body around the first match. */
  snippet: SnippetPart[] | null
  /** Locked docs: what the reader lacks, in words. */
  missing: string[]
}

/**
 * The words of a query, normalised: letters, digits and a few joiners only (GROQ's `match` wildcards
 * and operators are not the reader's to use), at most 8 words of at most 100 characters in all. The
 * last word matches as a prefix, so results come while typing. Null when nothing searchable is left.
 */
export function searchWords(query: string): string[] | null {
  const words = query
    .normalize('NFKC')
    .slice(0, MAX_QUERY_LENGTH)
    .toLowerCase()
    // Combining marks (\p{M}) belong to the word: many scripts cannot be written without them.
    .split(/[^\p{L}\p{M}\p{N}_.-]+/u)
    .map((word) => word.replace(/^[\p{M}._-]+|[._-]+$/gu, ''))
    .filter((word) => word.length > 0)
    .slice(0, MAX_TERMS)
  return words.length > 0 ? words : null
}

const resultSchema = listedDocSchema.extend({
  section: z
    .object({ title: z.string(), slug: z.string().regex(SLUG_PATTERN).nullable().optional() })
    .nullable()
    .optional()
    .transform((v) => (v ? { title: v.title, slug: v.slug ?? null } : null)),
  text: z.string().nullable().optional(),
})

const SNIPPET_RADIUS = 90

/** The text around the first match, with every occurrence of a word marked. */
export function snippetOf(text: string, words: string[]): SnippetPart[] | null {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (!flat) return null
  const lower = flat.toLowerCase()
  const first = Math.min(...words.map((word) => lower.indexOf(word)).filter((at) => at >= 0))
  const center = Number.isFinite(first) ? first : 0
  const start = Math.max(0, center - SNIPPET_RADIUS)
  const end = Math.min(flat.length, center + SNIPPET_RADIUS * 2)
  const window = `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`
  // Longest first: where one word starts another ("event", "events"), the whole of the longer is marked.
  const alternatives = [...words].sort((a, b) => b.length - a.length).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const pattern = new RegExp(`(${alternatives.join('|')})`, 'gi')
  return window
    .split(pattern)
    .filter((part) => part !== '')
    .map((part) => ({ text: part, hit: words.some((word) => word === part.toLowerCase()) }))
}

/** Searches the docs the audience may know of. */
export async function searchDocs(audience: Audience, query: string, via: AuditVia = 'search'): Promise<SearchResult[]> {
  const words = searchWords(query)
  if (!words) return []
  const terms = words.map((word, i) => (i === words.length - 1 ? `${word}*` : word)).join(' ')
  const rows = await fromUpstream('Sanity', () =>
    sanityClient().fetch(
      SEARCH_QUERY,
      { ...accessParams(audience.reader), terms, limit: SEARCH_LIMIT },
      { perspective: audience.drafts ? 'drafts' : 'published' },
    ),
  )
  const results = (Array.isArray(rows) ? rows : []).flatMap((row): SearchResult[] => {
    const parsed = resultSchema.safeParse(row)
    if (!parsed.success) {
      logMalformed('gatedPage', row, parsed.error)
      return []
    }
    const doc = parsed.data
    return [
      {
        slug: doc.slug,
        title: doc.title,
        excerpt: doc.excerpt,
        section: doc.section,
        readable: doc.readable,
        snippet: doc.readable && doc.text ? snippetOf(doc.text, words) : null,
        missing: doc.readable ? [] : missingRequirements(doc.access, doc.requirements).map(describeMissing),
      },
    ]
  })
  recordDecision({ who: whoOf(audience), what: { queryHash: queryHash(words.join(' ')), results: results.length }, decision: 'search', via })
  return results
}

import 'server-only'
import { createHash } from 'node:crypto'
import { cacheLife, cacheTag, revalidateTag } from 'next/cache'
import type { Audience } from '@/lib/auth/dal'
import { getConfig } from '@/lib/config'
import { accessParams, type AccessParams } from './access'
import { contentTagManifest } from './cache-handler'

// The shared content cache (README, *Caching model*). Reader reads are `'use cache'` functions whose
// arguments are the reader's **access parameters** (signed in, sorted roles, tenant, plan, region) and
// what is asked (a slug, ids): the audience, never the person — every reader holding the same grants
// shares one entry, and a reader whose grants change (a revocation) asks under another key at once.
// Entries carry tags; the `content` webhook (lib/sync/targets/content.ts) expires them on publish:
//
//   gh:content          every entry
//   gh:type:<type>      entries that list documents of that type (the page tree, teasers, sitemap,
//                       llms.txt, a slug nobody may see) — any publish of the type expires them
//   gh:doc:<digest>     the entries built from that one document (its page, for every audience)
//   gh:slug:<digest>    what a slug resolves to (a page, or nothing for this audience): expired by a
//                       publish of any page that has that slug now
//
// Tags name documents by a digest of their id or slug, never an audience, a person or a token. Drafts and
// preview-as never reach a cached function: they read Sanity directly and leave nothing behind.

export const CONTENT_TAG = 'gh:content'
const digest = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22)
export const typeTag = (type: string) => `gh:type:${type}`
export const docTag = (id: string) => `gh:doc:${digest(id)}`
export const slugTag = (slug: string) => `gh:slug:${digest(slug)}`

/** At most this many tags per entry (Next allows 128); beyond it an entry is tagged by type instead. */
export const MAX_DOC_TAGS = 100

/**
 * The access parameters a read is cached under, or null when it must not touch the shared cache:
 * drafts (draft mode, or an editor's preview) and preview-as read Sanity directly and write nothing,
 * and nothing is cached without the content webhook (nothing would expire an entry).
 */
export function cacheKeyOf(audience: Audience): AccessParams | null {
  if (audience.drafts || audience.preview !== null) return null
  if (getConfig().content.cache.seconds === 0) return null
  return accessParams(audience.reader)
}

/**
 * Called first inside every cached reader function: its lifetime and tags. Fresh for
 * `CONTENT_CACHE_SECONDS` unless a publish expires it first; served once more while it is read again
 * for up to `CONTENT_STALE_SECONDS` after that — which is what keeps an audience's last good page up
 * while Sanity does not answer (a failed read never replaces an entry).
 */
export function contentEntry(...tags: string[]): void {
  const { seconds, staleSeconds } = getConfig().content.cache
  cacheLife({ stale: 0, revalidate: seconds, expire: seconds + staleSeconds })
  cacheTag(CONTENT_TAG, ...tags)
}

/** Tags for the documents an entry was built from: each one's, or its type's when there are too many. */
export function docTags(type: string, ids: readonly string[]): string[] {
  return ids.length > MAX_DOC_TAGS ? [typeTag(type)] : [...new Set(ids)].map(docTag)
}

/**
 * Expires `tags` on every instance, now — never stale-while-revalidate: a publish may narrow access.
 * The shared expiry is written first and awaited (a failure is the webhook's 503, so Sanity retries);
 * then Next's own `revalidateTag`, which also reaches this instance's handler.
 */
export async function expireContent(tags: readonly string[]): Promise<void> {
  await contentTagManifest().expire(tags)
  for (const tag of new Set(tags)) revalidateTag(tag, { expire: 0 })
}

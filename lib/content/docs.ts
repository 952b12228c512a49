import 'server-only'
import { cache } from 'react'
import type { Viewer } from '@/lib/auth/viewer'
import { accessParams } from './access'
import { sanityClient } from './client'
import { DOC_BY_SLUG_QUERY, DOC_INDEX_QUERY } from './queries'
import { docTeaserSchema, lockedTeaserSchema, parseDoc, parseEach, type Doc, type DocTeaser, type LockedTeaser } from './schema'

/** Every fetch is fresh: Gatehouse never caches gated content outside the request. */
const noStore = { cache: 'no-store' } as const

export type DocIndex = { readable: DocTeaser[]; locked: LockedTeaser[] }

/** Docs the viewer can read plus locked teasers, filtered by the access rule inside GROQ. */
export async function getDocIndex(viewer: Viewer | null): Promise<DocIndex> {
  const result = await sanityClient().fetch<{ readable: unknown; locked: unknown }>(DOC_INDEX_QUERY, accessParams(viewer), noStore)
  return {
    readable: parseEach(docTeaserSchema, result?.readable, 'gatedPage'),
    locked: parseEach(lockedTeaserSchema, result?.locked, 'gatedPage'),
  }
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,95}$/

/** One doc, its body present only if the viewer may read it. Cached per request (page + metadata). */
export const getDoc = cache(async (slug: string, viewer: Viewer | null): Promise<Doc | null> => {
  if (!SLUG.test(slug)) return null
  const result = await sanityClient().fetch<unknown>(DOC_BY_SLUG_QUERY, { ...accessParams(viewer), slug }, noStore)
  return parseDoc(result)
})

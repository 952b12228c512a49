import 'server-only'
import { cache } from 'react'
import { z } from 'zod'
import type { Viewer } from '@/lib/auth/viewer'
import { accessParams } from './access'
import { sanityClient } from './client'
import { ACCESS_OPTIONS_QUERY, DOC_BY_SLUG_QUERY, DOC_INDEX_QUERY } from './queries'
import { docTeaserSchema, lockedTeaserSchema, parseDoc, parseEach, type Doc, type DocTeaser, type LockedTeaser } from './schema'

// Result types come from Sanity TypeGen (sanity.types.ts, `npm run typegen`) through defineQuery;
// zod then checks what actually arrived, because Studio validation never runs on API writes.

/** Every fetch is fresh: Gatehouse never caches gated content outside the request. */
const fresh = (drafts: boolean) => ({ cache: 'no-store', perspective: drafts ? 'drafts' : 'published' }) as const

export type DocIndex = { readable: DocTeaser[]; locked: LockedTeaser[] }
/** `drafts`: an editor's preview, which sees unpublished changes through the same access rule. */
export type ReadOptions = { drafts?: boolean }

/** Docs the viewer can read plus locked teasers, filtered by the access rule inside GROQ. */
export async function getDocIndex(viewer: Viewer | null, { drafts = false }: ReadOptions = {}): Promise<DocIndex> {
  const result = await sanityClient().fetch(DOC_INDEX_QUERY, accessParams(viewer), fresh(drafts))
  return {
    readable: parseEach(docTeaserSchema, result?.readable, 'gatedPage'),
    locked: parseEach(lockedTeaserSchema, result?.locked, 'gatedPage'),
  }
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,95}$/

/** One doc, its body present only if the viewer may read it. Cached per request (page + metadata). */
export const getDoc = cache(async (slug: string, viewer: Viewer | null, drafts = false): Promise<Doc | null> => {
  if (!SLUG.test(slug)) return null
  const result = await sanityClient().fetch(DOC_BY_SLUG_QUERY, { ...accessParams(viewer), slug }, fresh(drafts))
  return parseDoc(result)
})

const accessOptionsSchema = z.object({
  roles: z.array(z.object({ key: z.string(), title: z.string().nullable().optional() })).catch([]),
  tenants: z.array(z.object({ tenantId: z.string(), name: z.string().nullable().optional() })).catch([]),
  plans: z.array(z.object({ slug: z.string(), title: z.string().nullable().optional() })).catch([]),
})
export type AccessOptions = z.infer<typeof accessOptionsSchema>

/** The roles, organizations and plans an editor can preview as. */
export async function getAccessOptions(): Promise<AccessOptions> {
  return accessOptionsSchema.parse(await sanityClient().fetch(ACCESS_OPTIONS_QUERY, {}, fresh(false)))
}

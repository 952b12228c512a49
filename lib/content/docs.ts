import 'server-only'
import { cache } from 'react'
import { z } from 'zod'
import { GRANT_DIMENSIONS, type GrantDimension } from '@/lib/access/dimensions'
import { getAudience, type Audience } from '@/lib/auth/dal'
import { accessParams } from './access'
import { sanityClient } from './client'
import { decideDocAccess, type DocDecision } from './decision'
import { ACCESS_OPTIONS_QUERY, DOC_BY_SLUG_QUERY, DOC_INDEX_QUERY } from './queries'
import { docTeaserSchema, lockedTeaserSchema, parseDoc, parseEach, type DocTeaser, type LockedTeaser } from './schema'

// The content layer reads for the audience the data-access layer resolves (the signed-in reader, or
// the audience an editor previews), so no page passes a reader around. zod checks what arrives,
// because Studio validation never runs on API writes.

/** Every fetch is fresh: Gatehouse never caches gated content outside the request. */
const fresh = (drafts: boolean) => ({ cache: 'no-store', perspective: drafts ? 'drafts' : 'published' }) as const

export type DocIndex = { readable: DocTeaser[]; locked: LockedTeaser[]; audience: Audience }

/** Docs the audience can read plus locked teasers, filtered by the access rule inside GROQ. */
export async function getDocIndex(): Promise<DocIndex> {
  const audience = await getAudience()
  const result = await sanityClient().fetch(DOC_INDEX_QUERY, accessParams(audience.reader), fresh(audience.drafts))
  return {
    readable: parseEach(docTeaserSchema, result?.readable, 'gatedPage'),
    locked: parseEach(lockedTeaserSchema, result?.locked, 'gatedPage'),
    audience,
  }
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,95}$/

/**
 * One doc and what /docs/[slug] does with it — read, sign in (307), 403 or 404 — for the current
 * audience. Its body is present only if the audience may read it. Cached per request, so the page,
 * its teaser and its metadata share one query.
 */
export const getDoc = cache(async (slug: string): Promise<{ decision: DocDecision; audience: Audience }> => {
  const audience = await getAudience()
  if (!SLUG.test(slug)) return { decision: { kind: 'notFound' }, audience }
  const result = await sanityClient().fetch(DOC_BY_SLUG_QUERY, { ...accessParams(audience.reader), slug }, fresh(audience.drafts))
  return { decision: decideDocAccess(parseDoc(result), audience.reader !== null), audience }
})

const option = z.object({ value: z.string(), title: z.string().nullable().optional() })
export type AccessOption = z.infer<typeof option>
export type AccessOptions = Record<GrantDimension['name'], AccessOption[]>

/** The values an editor can preview as, per dimension. */
export async function getAccessOptions(): Promise<AccessOptions> {
  const result = (await sanityClient().fetch(ACCESS_OPTIONS_QUERY, {}, fresh(false))) as Record<string, unknown> | null
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

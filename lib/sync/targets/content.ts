import { z } from 'zod'
import { CONTENT_TAG, docTag, expireContent, slugTag, typeTag } from '@/lib/content/cache'
import { TargetUnavailable } from '../errors'
import { defineHandler, type SyncTarget } from '../target'
import { TARGETS } from './registry'

// Content documents → the shared content cache (lib/content/cache.ts). A published, changed or deleted
// page, section, role, plan or organization expires, on every instance and at once:
//   - its own tag (the entries built from it: a page, for every audience),
//   - its type's tag (the lists of that type: page trees, sitemap, llms.txt),
//   - for a page, its current slug's tag (what that slug resolves to, for every audience) and the tags
//     of the pages that reference it (a link's state in their body, a parent): read from Sanity now,
//     not from the payload.
// The first two are expired before anything is read (a slow Sanity cannot delay a narrowing publish);
// the rest need the read.
// Recordless: the query answers whether or not the document still exists, and nothing per document is
// remembered — a replayed or out-of-order delivery only expires the same tags again. (A renamed page's
// old slug needs no tag of its own: the entries that resolved it to this page carry the page's tag.)

/** Beyond this many referrers a publish expires every entry instead (one page linked from everywhere). */
export const MAX_REFERRERS = 1000
const PAGE_STATE = `{
  "id": $id,
  "slug": *[_id == $id][0].slug.current,
  "referrers": *[_type == "gatedPage" && references($id)][0...${MAX_REFERRERS + 1}]._id
}`
const state = z.object({ id: z.string().min(1), slug: z.string().nullish(), referrers: z.array(z.string()).default([]) })

/** Writes the expiries; a store that cannot record them is the delivery's 503 (Sanity retries). */
async function expire(tags: string[]): Promise<void> {
  try {
    await expireContent(tags)
  } catch (error) {
    throw new TargetUnavailable('The content cache could not be expired', 5, error)
  }
}

function handlerFor(type: string) {
  return defineHandler({
    query: type === 'gatedPage' ? PAGE_STATE : `{ "id": $id }`,
    doc: state,
    gone: z.object({}),
    record: () => ({}),
    recordless: true,
    // Expiring is always safe, so the signed delivery's own id and type are expired before Sanity is
    // read: a narrowing publish stops its page (and the lists of its type) from being served even when
    // the read below is slow or fails. The read only adds what the payload cannot say.
    async beforeRead(delivery) {
      const tags = [docTag(delivery.id), typeTag(type)]
      await expire(tags)
      return { applied: [`${type} ${delivery.id}: ${tags.length} cache tags expired before reading`] }
    },
    async apply({ id, slug, referrers }) {
      // The document's own and its type's again: an entry filled between the first expiry and now may
      // have read the document before the publish was visible to every Sanity replica.
      const tags = [docTag(id), typeTag(type), ...(slug ? [slugTag(slug)] : []), ...(referrers.length > MAX_REFERRERS ? [CONTENT_TAG] : referrers.map(docTag))]
      await expire(tags)
      return { applied: [`${type} ${id}: ${tags.length} cache tags expired`] }
    },
    remove: async () => ({ applied: [] }),
  })
}

export const contentTarget: SyncTarget = {
  handlers: Object.fromEntries(TARGETS.content.types.map((type) => [type, handlerFor(type)])),
}

import 'server-only'
import { cache } from 'react'
import { getAudience } from '@/lib/auth/dal'
import { decideDocAccess } from '@/lib/content/decision'
import { getDoc } from '@/lib/content/docs'

/** The access decision for one slug (for the previewed audience, if any), shared by layout, page and metadata. */
export const loadDocDecision = cache(async (slug: string) => {
  const audience = await getAudience()
  const decision = decideDocAccess(await getDoc(slug, audience.reader, audience.drafts), audience.reader)
  return { audience, decision }
})

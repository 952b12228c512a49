import 'server-only'
import { cache } from 'react'
import { getViewer } from '@/lib/auth/dal'
import { decideDocAccess } from '@/lib/content/decision'
import { getDoc } from '@/lib/content/docs'

/** The access decision for one slug, shared by the layout, the page and its metadata. */
export const loadDocDecision = cache(async (slug: string) => {
  const viewer = await getViewer()
  return decideDocAccess(await getDoc(slug, viewer), viewer)
})

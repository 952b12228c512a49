import { defineEnableDraftMode } from 'next-sanity/draft-mode'
import { sanityClient } from '@/lib/content/client'

export const dynamic = 'force-dynamic'

/** Presentation opens previews through here; next-sanity checks the preview URL secret it stored. */
export async function GET(request: Request) {
  return defineEnableDraftMode({ client: sanityClient() }).GET(request)
}

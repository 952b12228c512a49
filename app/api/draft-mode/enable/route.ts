import { defineEnableDraftMode } from 'next-sanity/draft-mode'
import { sanityClient } from '@/lib/content/client'
import { withRouteErrors } from '@/lib/http/errors'

export const dynamic = 'force-dynamic'

/** Presentation opens previews through here; next-sanity checks the preview URL secret it stored. */
export const GET = withRouteErrors('draft-mode.enable', (request: Request) => defineEnableDraftMode({ client: sanityClient() }).GET(request))

import 'server-only'
import { cookies, draftMode } from 'next/headers'
import { cache } from 'react'
import { getConfig } from '@/lib/config'
import { authProvider } from '.'
import { withCurrentAccess } from './member-access'
import { pickGrants, type Grants } from '@/lib/access/dimensions'
import { previewCookieName, readPreview, type PreviewAudience } from './session'
import { sessionMarker } from './session-marker'
import type { Viewer } from './viewer'

/**
 * The data-access layer's view of who is asking. Every server component and route that reads gated
 * data calls this; the provider SDK re-verifies the session here, never trusting proxy.ts or a header,
 * and the member's access is what it is now, not what it was at sign-in.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const identity = await (await authProvider()).getIdentity()
  return identity ? withCurrentAccess(identity) : null
})

export type Audience = {
  /** The signed-in person, verified by the IdP. */
  viewer: Viewer | null
  isEditor: boolean
  /** Set when a verified editor previews another audience (drafts included). */
  preview: PreviewAudience | null
  /** Read drafts: while previewing, or in draft mode (entered from the Studio's Presentation tool). */
  drafts: boolean
  /** What content is fetched for: the previewed audience's grants, else the viewer's; null when signed out. */
  reader: Grants | null
}

/**
 * The audience content is read for. A preview cookie counts only for a viewer whose verified roles
 * include the editor role, or in draft mode, which only the Studio can enable (next-sanity checks
 * its preview secret); otherwise it is ignored, so forging one shows nothing more.
 */
export const getAudience = cache(async (): Promise<Audience> => {
  const viewer = await getViewer()
  const config = getConfig()
  const inDraftMode = (await draftMode()).isEnabled
  const isEditor = inDraftMode || (!!viewer && viewer.roles.includes(config.editorRole))
  const preview = isEditor ? await readPreview((await cookies()).get(previewCookieName(config.secureCookies))?.value, config.session.secret) : null
  if (!preview) return { viewer, isEditor, preview: null, drafts: inDraftMode, reader: viewer && pickGrants(viewer) }
  const reader: Grants | null = preview.anonymous ? null : pickGrants(preview)
  return { viewer, isEditor, preview, drafts: true, reader }
})

/** This request's session marker (lib/auth/session-marker.ts), for the tabs to compare. */
export const getSessionMarker = cache(async (): Promise<string> => sessionMarker(await getAudience(), getConfig().session.secret))

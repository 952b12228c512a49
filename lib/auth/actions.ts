'use server'

// The Server Actions behind the header's sign-out button and the editors' preview form. Next checks
// that every action call comes from this site (its Origin must match the host), so no hand-written
// cross-site check is needed; each action then checks who is asking itself.
import { recordDecision, whoOf } from '@/lib/audit'
import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { z } from 'zod'
import { GRANT_DIMENSIONS, type Grants } from '@/lib/access/dimensions'
import { getConfig } from '@/lib/config'
import { authProvider } from '.'
import { getAudience } from './dal'
import { safeReturnTo } from './return-to'
import { cookieOptions, PREVIEW_TTL_SECONDS, PREVIEW_VALUE, previewCookieName, sealPreview, type PreviewAudience } from './session'

/** Signs the reader out: the provider ends the session on the server and clears its cookies. */
export async function signOut(): Promise<void> {
  const result = await (await authProvider()).signOut()
  redirect('failed' in result ? '/?signOut=failed' : result.redirectTo)
}

const value = z.string().regex(PREVIEW_VALUE)
/** The preview form, one field per dimension: checkboxes for sets, a select (or none) for single values. */
function audienceFrom(data: FormData): PreviewAudience | null {
  if (data.get('anonymous') === 'on')
    return { anonymous: true, ...(Object.fromEntries(GRANT_DIMENSIONS.map((d) => [d.grant, d.kind === 'anyOf' ? [] : null])) as unknown as Grants) }
  const grants: Record<string, unknown> = {}
  for (const d of GRANT_DIMENSIONS) {
    if (d.kind === 'anyOf') {
      const values = z.array(value).max(50).safeParse(data.getAll(d.grant))
      if (!values.success) return null
      grants[d.grant] = [...new Set(values.data)].sort()
    } else {
      const given = data.get(d.grant)
      if (given === null || given === '') grants[d.grant] = null
      else if (value.safeParse(given).success) grants[d.grant] = given
      else return null
    }
  }
  return { anonymous: false, ...(grants as Grants) }
}

/** Starts (or changes) previewing as an audience. Only a verified editor may: anyone else is sent to /preview's 403. */
export async function startPreview(data: FormData): Promise<void> {
  const editor = await getAudience()
  if (!editor.isEditor) redirect('/preview')
  const audience = audienceFrom(data)
  const returnTo = safeReturnTo(data.get('returnTo')?.toString())
  if (!audience) redirect(`/preview?error=invalid&returnTo=${encodeURIComponent(returnTo)}`)
  const config = getConfig()
  ;(await cookies()).set(
    previewCookieName(config.secureCookies),
    await sealPreview(audience, config.session.secret),
    cookieOptions(config.secureCookies, PREVIEW_TTL_SECONDS),
  )
  recordDecision({ who: whoOf({ viewer: editor.viewer, preview: null }), what: {}, decision: 'preview', via: 'web' })
  redirect(returnTo)
}

/** Leaves the preview. */
export async function exitPreview(data: FormData): Promise<void> {
  ;(await cookies()).delete(previewCookieName(getConfig().secureCookies))
  redirect(safeReturnTo(data.get('returnTo')?.toString()))
}

import 'server-only'
import { NextResponse } from 'next/server'
import { z } from 'zod'
import { getConfig } from '@/lib/config'
import { getAudience } from './dal'
import { safeReturnTo } from './return-to'
import { cookieOptions, previewCookieName, PREVIEW_TTL_SECONDS, sealPreview } from './session'

// POST /api/preview (start or change) and /api/preview/exit. Only a verified editor may preview;
// everyone else gets 403 and no cookie.

const form = z.object({
  anonymous: z.literal('on').optional(),
  roles: z.array(z.string().regex(/^[a-z][a-z0-9_:-]{0,63}$/)).max(50),
  tenant: z.string().regex(/^[\w-]{0,64}$/).optional(),
  plan: z.string().regex(/^[\w-]{0,64}$/).optional(),
})

function sameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin')
  return !origin || origin === new URL(getConfig().appBaseUrl).origin
}

export async function startPreview(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return NextResponse.json({ error: 'Cross-site request refused' }, { status: 403 })
  if (!(await getAudience()).isEditor) return NextResponse.json({ error: 'Only editors can preview as another audience' }, { status: 403 })
  const data = await request.formData().catch(() => null)
  const parsed = form.safeParse({
    anonymous: data?.get('anonymous') ?? undefined,
    roles: data?.getAll('roles') ?? [],
    tenant: data?.get('tenant') ?? undefined,
    plan: data?.get('plan') ?? undefined,
  })
  if (!parsed.success) return NextResponse.json({ error: 'Invalid preview audience' }, { status: 400 })
  const { anonymous, roles, tenant, plan } = parsed.data
  const config = getConfig()
  const response = NextResponse.redirect(new URL(safeReturnTo(data?.get('returnTo')?.toString()), config.appBaseUrl), 303)
  const audience = anonymous ? { anonymous: true, roles: [], tenant: null, plan: null } : { anonymous: false, roles, tenant: tenant || null, plan: plan || null }
  response.cookies.set(previewCookieName(config.secureCookies), await sealPreview(audience, config.session.secret), cookieOptions(config.secureCookies, PREVIEW_TTL_SECONDS))
  return response
}

export async function exitPreview(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return NextResponse.json({ error: 'Cross-site request refused' }, { status: 403 })
  const config = getConfig()
  const data = await request.formData().catch(() => null)
  const response = NextResponse.redirect(new URL(safeReturnTo(data?.get('returnTo')?.toString()), config.appBaseUrl), 303)
  response.cookies.delete(previewCookieName(config.secureCookies))
  return response
}

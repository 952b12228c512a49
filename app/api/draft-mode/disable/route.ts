import { draftMode } from 'next/headers'
import { NextResponse } from 'next/server'
import { withRouteErrors } from '@/lib/http/errors'

export const dynamic = 'force-dynamic'

export const GET = withRouteErrors('draft-mode.disable', async (request: Request) => {
  ;(await draftMode()).disable()
  return NextResponse.redirect(new URL('/', request.url), 303)
})

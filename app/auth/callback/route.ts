import type { NextRequest } from 'next/server'
import { handleAuthRoute } from '@/lib/auth/routes'
import { withRouteErrors } from '@/lib/http/errors'

export const dynamic = 'force-dynamic'
export const GET = withRouteErrors('auth.callback', (request: NextRequest) => handleAuthRoute('callback', request))

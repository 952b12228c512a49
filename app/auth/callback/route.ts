import type { NextRequest } from 'next/server'
import { handleAuthRoute } from '@/lib/auth/routes'

export const dynamic = 'force-dynamic'
export const GET = (request: NextRequest) => handleAuthRoute('callback', request)

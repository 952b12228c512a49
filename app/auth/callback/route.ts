import type { NextRequest } from 'next/server'
import { handleCallback } from '@/lib/auth/routes'

export const dynamic = 'force-dynamic'
export const GET = (request: NextRequest) => handleCallback(request)

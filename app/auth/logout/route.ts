import type { NextRequest } from 'next/server'
import { handleSignOut } from '@/lib/auth/routes'

export const dynamic = 'force-dynamic'
export const POST = (request: NextRequest) => handleSignOut(request)

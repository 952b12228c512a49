import type { NextRequest } from 'next/server'
import { handleSignIn } from '@/lib/auth/routes'

export const dynamic = 'force-dynamic'
export const GET = (request: NextRequest) => handleSignIn(request)

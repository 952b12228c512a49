import 'server-only'
import { NextResponse, type NextRequest } from 'next/server'
import { getConfig } from '@/lib/config'
import { authAdapter } from '.'

// The /auth/* route handlers delegate to the configured adapter; pages only link or post to them.

export async function handleAuthRoute(name: 'login' | 'callback', request: NextRequest): Promise<Response> {
  const handler = (await authAdapter()).routes[name]
  return handler ? handler(request) : NextResponse.json({ error: 'Not used by this identity provider' }, { status: 404 })
}

export async function handleSignOut(request: NextRequest): Promise<Response> {
  const origin = request.headers.get('origin')
  if (origin && origin !== new URL(getConfig().appBaseUrl).origin) {
    return NextResponse.json({ error: 'Cross-site sign-out refused' }, { status: 403 })
  }
  return (await authAdapter()).routes.logout(request)
}

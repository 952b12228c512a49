import 'server-only'
import { NextResponse, type NextRequest } from 'next/server'
import { authProvider } from '.'

// The /auth/* route handlers delegate to the configured provider; pages only link to them.

export async function handleAuthRoute(name: 'login' | 'callback', request: NextRequest): Promise<Response> {
  const handler = (await authProvider()).routes[name]
  return handler ? handler(request) : NextResponse.json({ error: 'Not used by this identity provider' }, { status: 404 })
}

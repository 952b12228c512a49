import 'server-only'
import { cookies } from 'next/headers'
import { cache } from 'react'
import { getConfig } from '@/lib/config'
import { readSession, sessionCookieName, type Session } from './session'
import type { Viewer } from './viewer'

/**
 * The data-access layer's view of who is asking. Every server component and route that reads gated
 * data calls this; it re-verifies the session cookie itself and never trusts proxy.ts or a header.
 */
export const getSession = cache(async (): Promise<Session | null> => {
  const { session, secureCookies } = getConfig()
  const token = (await cookies()).get(sessionCookieName(secureCookies))?.value
  return readSession(token, session.secret)
})

export const getViewer = cache(async (): Promise<Viewer | null> => (await getSession())?.viewer ?? null)

import type { ReactNode } from 'react'
import { getConfig } from '@/lib/config'
import ClerkBoundary from './clerk-boundary'

/**
 * Wraps the app in the provider SDK's browser context where it needs one: Clerk keeps its
 * short-lived session token fresh from the browser. Other providers need nothing here.
 */
export function AuthBoundary({ children }: { children: ReactNode }) {
  const { auth } = getConfig()
  if (auth.provider === 'clerk') return <ClerkBoundary publishableKey={auth.publishableKey}>{children}</ClerkBoundary>
  return children
}

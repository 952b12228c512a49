import type { ReactNode } from 'react'
import { getConfig } from '@/lib/config'

/**
 * Wraps the app in the provider SDK's context where it needs one (Clerk keeps its short-lived
 * session token fresh from the browser). Loaded only when that provider is configured.
 */
export async function AuthBoundary({ children }: { children: ReactNode }) {
  const { auth } = getConfig()
  if (auth.provider === 'clerk') {
    const { ClerkProvider } = await import('@clerk/nextjs')
    return (
      <ClerkProvider publishableKey={auth.publishableKey} signInUrl="/sign-in" dynamic>
        {children}
      </ClerkProvider>
    )
  }
  return children
}

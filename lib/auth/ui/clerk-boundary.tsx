'use client'

import dynamic from 'next/dynamic'
import type { ReactNode } from 'react'

// A lazy chunk: Clerk's browser SDK loads only when Clerk is the configured provider.
const ClerkProvider = dynamic(() => import('@clerk/nextjs').then((clerk) => clerk.ClerkProvider))

export default function ClerkBoundary({ publishableKey, children }: { publishableKey: string; children: ReactNode }) {
  return (
    <ClerkProvider publishableKey={publishableKey} signInUrl="/sign-in">
      {children}
    </ClerkProvider>
  )
}

'use client'

import { SignIn } from '@clerk/nextjs'

/** Clerk's hosted sign-in component; ClerkProvider comes from the root layout's AuthBoundary. */
export default function ClerkSignIn({ returnTo }: { returnTo: string }) {
  return <SignIn routing="hash" forceRedirectUrl={returnTo} signUpForceRedirectUrl={returnTo} />
}

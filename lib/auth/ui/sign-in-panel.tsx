'use client'

import dynamic from 'next/dynamic'
import type { SignInUi } from '../provider'

// Lazy chunks, loaded only when rendered: only the configured provider's sign-in code reaches the
// browser. (Imported from a server component instead, every widget would join the page's bundle.)
const DescopeSignIn = dynamic(() => import('./descope-sign-in'))
const ClerkSignIn = dynamic(() => import('./clerk-sign-in'))

export function SignInPanel({ ui }: { ui: SignInUi }) {
  switch (ui.kind) {
    case 'redirect':
      // A plain link: sign-in is a full-page redirect to the identity provider.
      return (
        <a href={ui.href} data-testid="sign-in-link" className="block rounded-md bg-accent px-4 py-2 text-center font-medium text-accent-fg hover:opacity-90">
          {ui.label}
        </a>
      )
    case 'descope':
      return <DescopeSignIn projectId={ui.projectId} baseUrl={ui.baseUrl} flowId={ui.flowId} returnTo={ui.returnTo} />
    case 'clerk':
      return <ClerkSignIn returnTo={ui.returnTo} />
  }
}

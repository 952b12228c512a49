'use client'

import { AuthProvider, Descope } from '@descope/nextjs-sdk'
import { useRouter } from 'next/navigation'

type Props = { projectId: string; baseUrl?: string; flowId: string; returnTo: string }

/** The Descope flow. Its session lands in the DS/DSR cookies, which the server then verifies. */
export default function DescopeSignIn({ projectId, baseUrl, flowId, returnTo }: Props) {
  const router = useRouter()
  return (
    <AuthProvider projectId={projectId} baseUrl={baseUrl} sessionTokenViaCookie>
      <Descope
        flowId={flowId}
        onSuccess={() => {
          router.replace(returnTo)
          router.refresh()
        }}
      />
    </AuthProvider>
  )
}

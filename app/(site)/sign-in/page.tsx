import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { authProvider } from '@/lib/auth'
import { getViewer } from '@/lib/auth/dal'
import { safeReturnTo } from '@/lib/auth/return-to'
import { SignInPanel } from '@/lib/auth/ui/sign-in-panel'

export const metadata: Metadata = { title: 'Sign in', robots: { index: false, follow: false } }

const ERRORS: Record<string, string> = {
  expired: 'Your sign-in took too long or was started in another tab. Please try again.',
  session_ended: 'Your session has ended: you signed out, or it was ended for you. Please sign in again.',
  idp_unavailable: 'The identity provider could not be reached. Please try again in a moment.',
  access_denied: 'Sign-in was cancelled.',
  failed: 'Sign-in failed. Please try again.',
}

type Props = { searchParams: Promise<{ returnTo?: string | string[]; error?: string | string[] }> }

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams
  const returnTo = safeReturnTo(typeof params.returnTo === 'string' ? params.returnTo : null)
  if (await getViewer()) redirect(returnTo)
  const error = typeof params.error === 'string' ? (ERRORS[params.error] ?? ERRORS.failed) : null
  return (
    <section className="mx-auto max-w-sm space-y-6 rounded-lg border border-line bg-surface p-8 shadow-sm">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
        <p className="mt-1 text-sm text-muted">Use your organization&apos;s account to read the documents opened for you.</p>
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      )}
      <SignInPanel ui={(await authProvider()).signInUi(returnTo)} />
    </section>
  )
}

import Link from 'next/link'
import type { ReactNode } from 'react'
import { getAudience } from '@/lib/auth/dal'
import { AuthBoundary } from '@/lib/auth/ui/auth-boundary'
import { AccessNotice } from '../components/access-notice'
import { PreviewBanner } from '../components/preview-banner'
import { SignOutButton } from '../components/sign-out-button'

export default async function SiteLayout({ children }: { children: ReactNode }) {
  const { viewer, isEditor, preview } = await getAudience()
  return (
    <AuthBoundary>
      {preview && <PreviewBanner preview={preview} />}
      {viewer && !preview && <AccessNotice viewer={viewer} />}
      <header className="border-b border-stone-200 bg-white">
        <nav className="mx-auto flex max-w-4xl items-center justify-between gap-4 px-6 py-4" aria-label="Main">
          <Link href="/" className="text-lg font-semibold tracking-tight">
            Gatehouse
          </Link>
          <div className="flex items-center gap-4 text-sm">
            {viewer ? (
              <>
                {isEditor && !preview && (
                  <Link href="/preview" className="text-sky-700 hover:text-sky-900">
                    Preview as…
                  </Link>
                )}
                <Link href="/account" className="text-stone-700 hover:text-stone-950" data-testid="viewer-name">
                  {viewer.name ?? viewer.email ?? viewer.subject}
                </Link>
                <SignOutButton />
              </>
            ) : (
              <Link href="/sign-in" className="rounded-md bg-stone-900 px-3 py-1.5 font-medium text-white hover:bg-stone-700">
                Sign in
              </Link>
            )}
          </div>
        </nav>
      </header>
      <main className="mx-auto max-w-4xl px-6 py-10">{children}</main>
    </AuthBoundary>
  )
}

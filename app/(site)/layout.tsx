import { cookies } from 'next/headers'
import { IntentLink } from '@/app/components/intent-link'
import type { ReactNode } from 'react'
import { auditAccessOf } from '@/lib/audit/access'
import { getAudience, getSessionMarker } from '@/lib/auth/dal'
import { getConfig } from '@/lib/config'
import { AuthBoundary } from '@/lib/auth/ui/auth-boundary'
import { SessionWatch } from '@/lib/auth/ui/session-watch'
import { THEME_COOKIE, themeOf } from '@/lib/theme'
import { LockSprite } from '../components/docs/lock-icon'
import { AccessNotice } from '../components/access-notice'
import { PreviewBanner } from '../components/preview-banner'
import { SearchDialog } from '../components/search-dialog'
import { SignOutButton } from '../components/sign-out-button'
import { ThemeToggle } from '../components/theme-toggle'

export default async function SiteLayout({ children }: { children: ReactNode }) {
  const [audience, cookieStore, marker] = await Promise.all([getAudience(), cookies(), getSessionMarker()])
  const { viewer, isEditor, preview } = audience
  const auditor = auditAccessOf(audience, getConfig().editorRole) === 'editor'
  return (
    <AuthBoundary>
      <LockSprite />
      <SessionWatch marker={marker} />
      <a href="#main-content" className="sr-only z-50 rounded-md bg-accent px-3 py-2 text-accent-fg focus:not-sr-only focus:fixed focus:top-2 focus:left-2">
        Skip to content
      </a>
      {preview && <PreviewBanner preview={preview} />}
      {viewer && !preview && <AccessNotice viewer={viewer} />}
      <header className="sticky top-0 z-20 border-b border-line bg-surface/95 backdrop-blur">
        <nav className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-4 py-3 sm:px-6" aria-label="Main">
          <IntentLink href="/" className="text-lg font-semibold tracking-tight">
            Gatehouse <span className="font-normal text-muted">Docs</span>
          </IntentLink>
          <div className="flex items-center gap-2 text-sm sm:gap-3">
            <SearchDialog />
            <ThemeToggle initial={themeOf(cookieStore.get(THEME_COOKIE)?.value)} />
            {viewer ? (
              <>
                {isEditor && !preview && (
                  <IntentLink href="/preview" className="text-accent hover:underline">
                    Preview as…
                  </IntentLink>
                )}
                {auditor && (
                  <IntentLink href="/audit" className="text-accent hover:underline">
                    Audit
                  </IntentLink>
                )}
                <IntentLink href="/account" className="text-muted hover:text-fg" data-testid="viewer-name">
                  {viewer.name ?? viewer.email ?? viewer.subject}
                </IntentLink>
                <SignOutButton />
              </>
            ) : (
              <IntentLink href="/sign-in" className="rounded-md bg-accent px-3 py-1.5 font-medium text-accent-fg hover:opacity-90">
                Sign in
              </IntentLink>
            )}
          </div>
        </nav>
      </header>
      <main id="main-content" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-8 outline-none sm:px-6">
        {children}
      </main>
    </AuthBoundary>
  )
}

import type { Metadata } from 'next'
import { cookies } from 'next/headers'
import type { ReactNode } from 'react'
import { getConfig } from '@/lib/config'
import { THEME_COOKIE, themeOf } from '@/lib/theme'
import './globals.css'

export async function generateMetadata(): Promise<Metadata> {
  return {
    // Absolute URLs for canonical links, OpenGraph and the sitemap come from the configured origin.
    metadataBase: new URL(getConfig().appBaseUrl),
    title: { default: 'Gatehouse', template: '%s · Gatehouse' },
    description: 'Documentation that only the right readers can open.',
    openGraph: { siteName: 'Gatehouse', type: 'website' },
  }
}

/** The document shell shared by the site and the Studio; each group adds its own chrome. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = themeOf((await cookies()).get(THEME_COOKIE)?.value)
  return (
    <html lang="en" className={theme}>
      <body className="min-h-screen bg-canvas font-sans text-fg antialiased">{children}</body>
    </html>
  )
}

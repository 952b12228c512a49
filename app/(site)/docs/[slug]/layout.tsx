import type { ReactNode } from 'react'
import { DocsShell } from '@/app/components/docs/docs-shell'
import { SLUG_PATTERN } from '@/lib/content/slug'

/**
 * A doc inside the docs layout (sidebar, current page highlighted) and, beside it, its locked teaser:
 * the page calls forbidden() (HTTP 403) for a refused doc, and the @teaser slot — which renders
 * nothing otherwise — shows what the reader may see of it.
 */
export default async function DocLayout({ children, teaser, params }: { children: ReactNode; teaser: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params
  // No such doc can exist: skip the navigation query (the page answers 404).
  if (!SLUG_PATTERN.test(slug)) return children
  return (
    <DocsShell current={slug}>
      {teaser}
      {children}
    </DocsShell>
  )
}

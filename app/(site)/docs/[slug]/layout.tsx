import type { ReactNode } from 'react'
import { DocsShell } from '@/app/components/docs/docs-shell'

/**
 * A doc inside the docs layout (sidebar, current page highlighted) and, beside it, its locked teaser:
 * the page calls forbidden() (HTTP 403) for a refused doc, and the @teaser slot — which renders
 * nothing otherwise — shows what the reader may see of it.
 */
export default async function DocLayout({ children, teaser, params }: { children: ReactNode; teaser: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params
  return (
    <DocsShell current={slug}>
      {teaser}
      {children}
    </DocsShell>
  )
}

import type { ReactNode } from 'react'

/**
 * A doc and, beside it, its locked teaser: the page calls forbidden() (HTTP 403) for a refused doc,
 * and the @teaser slot — which renders nothing otherwise — shows what the reader may see of it.
 */
export default function DocLayout({ children, teaser }: { children: ReactNode; teaser: ReactNode }) {
  return (
    <>
      {teaser}
      {children}
    </>
  )
}

'use client'
import Link from 'next/link'
import { useState, type ComponentProps } from 'react'
import { loadedAfresh } from '@/lib/auth/ui/session-watch'

/**
 * A link into the docs that prefetches on intent — the pointer over it, focus, a touch — never on
 * sight: a page of links would otherwise render every target it shows, each running the reader's
 * queries. Once intent shows, the whole route is prefetched and the click reuses it (Next keeps a full
 * prefetch for `staleTimes.static`, held to its 30 s minimum in next.config.ts) — unless another tab
 * has signed out (or in, or seen access change) since: then the prefetch belongs to a session that
 * ended, and the click loads the page from the server instead (lib/auth/ui/session-watch.tsx).
 */
export function IntentLink({ href, ...props }: Omit<ComponentProps<typeof Link>, 'prefetch' | 'href' | 'onNavigate'> & { href: string }) {
  const [intent, setIntent] = useState(false)
  const show = () => setIntent(true)
  return (
    <Link
      {...props}
      href={href}
      prefetch={intent}
      onPointerEnter={show}
      onFocus={show}
      onTouchStart={show}
      onNavigate={(event) => {
        if (loadedAfresh(href)) event.preventDefault()
      }}
    />
  )
}

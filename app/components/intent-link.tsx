'use client'
import Link from 'next/link'
import { useState, type ComponentProps } from 'react'

/**
 * A link into the docs that prefetches on intent — the pointer over it, focus, a touch — never on
 * sight: a page of links would otherwise render every target it shows, each running the reader's
 * queries. Once intent shows, the whole route is prefetched and the click reuses it (Next keeps a full
 * prefetch for `staleTimes.static`, held to its 30 s minimum in next.config.ts).
 */
export function IntentLink(props: Omit<ComponentProps<typeof Link>, 'prefetch'>) {
  const [intent, setIntent] = useState(false)
  const show = () => setIntent(true)
  return <Link {...props} prefetch={intent} onPointerEnter={show} onFocus={show} onTouchStart={show} />
}

import type { ReactNode } from 'react'

/** The Studio is an app of its own: the whole viewport, none of the site's chrome. */
export default function StudioLayout({ children }: { children: ReactNode }) {
  return <div className="h-screen">{children}</div>
}

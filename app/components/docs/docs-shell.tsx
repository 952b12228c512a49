import type { ReactNode } from 'react'
import { getSessionMarker } from '@/lib/auth/dal'
import { SessionWatch } from '@/lib/auth/ui/session-watch'
import { getNav } from '@/lib/content/docs'
import { SIDEBAR_LINKS, sidebarOf } from '@/lib/content/nav-tree'
import { Sidebar } from './sidebar'
import { SidebarDrawer } from './sidebar-drawer'

/**
 * The docs layout: the reader's sidebar beside the page. The tree comes from this request's
 * navigation query (never a static tree), trimmed to a link budget around `current`.
 */
export async function DocsShell({ current, children }: { current: string | null; children: ReactNode }) {
  const [{ tree }, marker] = await Promise.all([getNav(), getSessionMarker()])
  const sections = sidebarOf(tree, current, SIDEBAR_LINKS)
  const small = sections.every((section) => section.omitted === 0) && sections.reduce((n, s) => n + s.total, 0) <= 60
  return (
    <div className="lg:grid lg:grid-cols-[15rem_minmax(0,1fr)] lg:gap-10">
      {/* The site layout is not re-rendered by a move between docs; this segment is, for the session it has now. */}
      <SessionWatch marker={marker} />
      <SidebarDrawer>
        <Sidebar sections={sections} openAll={small} />
      </SidebarDrawer>
      <div className="min-w-0">{children}</div>
    </div>
  )
}

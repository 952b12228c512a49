import type { ReactNode } from 'react'
import { getNav } from '@/lib/content/docs'
import { SIDEBAR_LINKS, sidebarOf } from '@/lib/content/nav-tree'
import { Sidebar } from './sidebar'
import { SidebarDrawer } from './sidebar-drawer'

/**
 * The docs layout: the reader's sidebar beside the page. The tree comes from this request's
 * navigation query (never a static tree), trimmed to a link budget around `current`.
 */
export async function DocsShell({ current, children }: { current: string | null; children: ReactNode }) {
  const { tree } = await getNav()
  const sections = sidebarOf(tree, current, SIDEBAR_LINKS)
  const small = sections.every((section) => section.omitted === 0) && sections.reduce((n, s) => n + s.total, 0) <= 60
  return (
    <div className="lg:grid lg:grid-cols-[15rem_minmax(0,1fr)] lg:gap-10">
      <SidebarDrawer>
        <Sidebar sections={sections} openAll={small} />
      </SidebarDrawer>
      <div className="min-w-0">{children}</div>
    </div>
  )
}

'use client'
import { usePathname } from 'next/navigation'
import { useEffect, useRef, useState, type ReactNode } from 'react'

/**
 * The sidebar's container: a column on wide screens, a drawer behind a "Menu" button on narrow ones.
 * The sidebar itself is server-rendered once and passed in; closed, the drawer is invisible, so its
 * links leave the tab order. Escape or navigating closes it and focus returns to the button.
 */
export function SidebarDrawer({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const panel = useRef<HTMLDivElement>(null)
  const pathname = usePathname()

  // A link in the drawer navigated: close it.
  const [shownFor, setShownFor] = useState(pathname)
  if (shownFor !== pathname) {
    setShownFor(pathname)
    setOpen(false)
  }

  useEffect(() => {
    if (!open) return
    panel.current?.querySelector<HTMLElement>('a, summary')?.focus()
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      setOpen(false)
      button.current?.focus()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [open])

  return (
    <>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls="docs-nav"
        onClick={() => setOpen((value) => !value)}
        className="mb-4 inline-flex items-center gap-2 rounded-md border border-line bg-surface px-3 py-1.5 text-sm font-medium lg:hidden"
        data-testid="sidebar-toggle"
      >
        <svg aria-hidden viewBox="0 0 20 20" className="size-4 fill-current">
          <path d="M3 5h14v2H3zm0 4h14v2H3zm0 4h14v2H3z" />
        </svg>
        {open ? 'Close menu' : 'Menu'}
      </button>
      {open && <div className="fixed inset-0 z-30 bg-black/40 lg:hidden" aria-hidden onClick={() => setOpen(false)} />}
      <div
        id="docs-nav"
        ref={panel}
        data-open={open}
        className="fixed inset-y-0 left-0 z-40 w-72 -translate-x-full overflow-y-auto border-r border-line bg-canvas p-4 transition-transform max-lg:invisible data-[open=true]:visible data-[open=true]:translate-x-0 lg:sticky lg:top-20 lg:z-auto lg:h-[calc(100vh-6rem)] lg:w-auto lg:translate-x-0 lg:border-0 lg:bg-transparent lg:p-0"
      >
        {children}
      </div>
    </>
  )
}

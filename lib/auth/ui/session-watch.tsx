'use client'
import { useRouter } from 'next/navigation'
import { useEffect } from 'react'

// Every open tab of a browser follows the session the browser has now. Next's client router cache
// holds pages a tab prefetched (a link hovered: its full render, body included, reused for 30 s) and
// pages it visited (back/forward); they were rendered for the session of that moment. Each render
// carries a marker of that session (lib/auth/session-marker.ts); a tab that renders a new one — after
// a sign-out, a sign-in, a revocation shown to it — stores it in localStorage, and:
//  - every other tab gets the `storage` event, and refreshes (router.refresh() drops the router cache,
//    prefetches and back/forward entries included, and re-renders the page for the current session);
//  - a tab that missed the event (frozen, not yet hydrated, events lost) compares the stored marker
//    with its own before a link or search result navigates, and loads the target from the server
//    (a full navigation, never the router cache) when they differ; it also compares when it is shown
//    again (visibilitychange, pageshow from the back/forward cache) and refreshes.
// localStorage rather than a BroadcastChannel: one mechanism both tells the other tabs (the event) and
// stays for the tab that missed it (the value). Where storage is blocked, so are the session cookies.

const KEY = 'gatehouse:session'
/** The marker of this tab's latest render; null until the first one. */
let rendered: string | null = null
/** A marker another tab stored, for which this tab's refresh has not rendered yet. */
let refreshingFor: string | null = null

let lastRefresh = 0
let later: ReturnType<typeof setTimeout> | undefined
/**
 * router.refresh(), at most once every 2 s: a state that changes on every request (an IdP answering on
 * and off flips "unconfirmed") must not reload the tabs in a loop. Navigations meanwhile are guarded by
 * loadedAfresh().
 */
function refresh(router: { refresh(): void }) {
  if (later !== undefined) return
  const wait = lastRefresh + 2_000 - Date.now()
  const run = () => {
    later = undefined
    lastRefresh = Date.now()
    router.refresh()
  }
  if (wait <= 0) run()
  else later = setTimeout(run, wait)
}

function stored(): string | null {
  try {
    return localStorage.getItem(KEY)
  } catch {
    return null
  }
}

/**
 * Before a client-side navigation to `href`: when another tab has seen another session than the one
 * this tab's pages (and prefetches) were rendered for, loads `href` from the server instead — a full
 * navigation, nothing from the router cache — and returns true; otherwise false.
 */
export function loadedAfresh(href: string): boolean {
  const latest = stored()
  if (rendered === null || latest === null || latest === rendered) return false
  location.assign(href) // deliberately past the router cache
  return true
}

/** Renders nothing; placed in the site layout and in the docs shell, so a doc's render reports its marker too. */
export function SessionWatch({ marker }: { marker: string }) {
  const router = useRouter()

  useEffect(() => {
    if (marker === rendered) return
    const before = rendered
    rendered = marker
    try {
      localStorage.setItem(KEY, marker)
    } catch {}
    // This tab rendered for a new session state itself (a page after a revocation): what it holds from
    // before was rendered for the old one. Not when this render is the refresh another tab asked for.
    if (before !== null && marker !== refreshingFor) refresh(router)
    refreshingFor = null
  }, [marker, router])

  useEffect(() => {
    const check = () => {
      const latest = stored()
      if (latest === null || latest === rendered || latest === refreshingFor) return
      refreshingFor = latest
      refresh(router)
    }
    const shown = () => document.visibilityState === 'visible' && check()
    // A sign-out is announced as it is sent, not only when its tab renders again: the IdP's end-session
    // page may come first, or the tab may never return. Other tabs then refresh, and their links load
    // from the server until a render tells them which session there is now.
    const signingOut = (event: SubmitEvent) => {
      if (!(event.target instanceof Element) || !event.target.closest('[data-sign-out]')) return
      try {
        localStorage.setItem(KEY, `signing-out:${Date.now()}`)
      } catch {}
    }
    window.addEventListener('storage', check)
    window.addEventListener('pageshow', check)
    document.addEventListener('visibilitychange', shown)
    document.addEventListener('submit', signingOut)
    return () => {
      window.removeEventListener('storage', check)
      window.removeEventListener('pageshow', check)
      document.removeEventListener('visibilitychange', shown)
      document.removeEventListener('submit', signingOut)
    }
  }, [router])

  return null
}

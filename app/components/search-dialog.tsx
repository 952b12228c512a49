'use client'
import { useRouter } from 'next/navigation'
import { useEffect, useId, useRef, useState } from 'react'
import { loadedAfresh } from '@/lib/auth/ui/session-watch'
import type { SearchResult } from '@/lib/content/search'
import { Snippet } from './search-results'

/**
 * ⌘K (Ctrl+K, or "/") search, and a search button in the header at every width (an icon on phones).
 * A link to /search without JavaScript; with it, a modal dialog that asks
 * /api/search as the reader types (debounced, earlier requests cancelled), arrow keys move through the
 * results, Enter opens one, Escape closes and returns focus. Results are the server's, for this reader;
 * nothing searchable is ever shipped to the browser.
 */
export function SearchDialog() {
  const router = useRouter()
  const dialog = useRef<HTMLDialogElement>(null)
  const input = useRef<HTMLInputElement>(null)
  const [query, setQuery] = useState('')
  const [results, setResults] = useState<SearchResult[]>([])
  const [state, setState] = useState<'idle' | 'loading' | 'done' | 'failed'>('idle')
  const [active, setActive] = useState(0)
  const trigger = useRef<HTMLAnchorElement>(null)
  const listId = useId()

  const open = () => {
    dialog.current?.showModal()
    input.current?.select()
  }

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing = event.target instanceof HTMLElement && (event.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName))
      if (((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'k') || (event.key === '/' && !typing)) {
        event.preventDefault()
        open()
      }
    }
    document.addEventListener('keydown', onKey)
    // Says the shortcuts listen (after hydration; before, the trigger is a plain link to /search).
    const link = trigger.current
    link?.setAttribute('data-shortcuts', 'on')
    return () => {
      document.removeEventListener('keydown', onKey)
      link?.removeAttribute('data-shortcuts')
    }
  }, [])

  useEffect(() => {
    if (!query.trim()) return
    const controller = new AbortController()
    const timer = setTimeout(async () => {
      setState('loading')
      try {
        const response = await fetch(`/api/search?q=${encodeURIComponent(query)}`, { signal: controller.signal })
        if (!response.ok) throw new Error(String(response.status))
        const body = (await response.json()) as { results: SearchResult[] }
        setResults(body.results)
        setActive(0)
        setState('done')
      } catch (error) {
        if (!controller.signal.aborted) setState('failed')
        void error
      }
    }, 200)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [query])

  const go = (result: SearchResult | undefined) => {
    if (!result) return
    dialog.current?.close()
    const href = `/docs/${result.slug}`
    // A prefetch of it from before another tab's sign-out must not be reused (lib/auth/ui/session-watch.tsx).
    if (!loadedAfresh(href)) router.push(href)
  }

  const shown = query.trim() ? results : []
  return (
    <>
      <a
        href="/search"
        onClick={(event) => {
          event.preventDefault()
          open()
        }}
        // On phones an icon the size of a fingertip (the word stays for screen readers, ⌘K is no phone
        // gesture); from `sm` up the word and the shortcut too.
        className="inline-flex size-9 shrink-0 items-center justify-center gap-2 rounded-md border border-line text-muted hover:text-fg sm:size-auto sm:px-2.5 sm:py-1"
        data-testid="search-open"
        ref={trigger}
      >
        <svg aria-hidden viewBox="0 0 20 20" className="size-4 fill-current">
          <path d="M8.5 3a5.5 5.5 0 0 1 4.38 8.83l3.65 3.64-1.06 1.06-3.64-3.65A5.5 5.5 0 1 1 8.5 3Zm0 1.5a4 4 0 1 0 0 8 4 4 0 0 0 0-8Z" />
        </svg>
        <span className="max-sm:sr-only">Search</span>
        <kbd className="rounded border border-line px-1 text-xs max-sm:hidden">⌘K</kbd>
      </a>
      <dialog
        ref={dialog}
        aria-label="Search the docs"
        className="mx-auto mt-20 w-[min(40rem,calc(100vw-2rem))] rounded-xl border border-line bg-surface p-0 text-fg shadow-xl backdrop:bg-black/40"
        data-testid="search-dialog"
        // Escape closes it even where the browser's own close request is held back (Chrome skips it for
        // a dialog reopened without a fresh user activation); focus goes back where it was.
        onKeyDown={(event) => {
          if (event.key !== 'Escape') return
          event.preventDefault()
          dialog.current?.close()
        }}
      >
        <div className="border-b border-line p-3">
          <input
            ref={input}
            type="search"
            role="combobox"
            aria-expanded={shown.length > 0}
            aria-controls={listId}
            aria-activedescendant={shown.length > 0 ? `${listId}-${active}` : undefined}
            aria-label="Search the docs"
            placeholder="Search the docs you can read"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowDown') {
                event.preventDefault()
                setActive((i) => Math.min(i + 1, shown.length - 1))
              } else if (event.key === 'ArrowUp') {
                event.preventDefault()
                setActive((i) => Math.max(i - 1, 0))
              } else if (event.key === 'Enter') {
                event.preventDefault()
                go(shown[active])
              }
            }}
            className="w-full bg-transparent px-2 py-1 text-base outline-none"
          />
        </div>
        <ul id={listId} role="listbox" aria-label="Results" className="max-h-[60vh] overflow-y-auto p-2" data-testid="search-dialog-results">
          {shown.map((result, i) => (
            <li
              key={result.slug}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseEnter={() => setActive(i)}
              onClick={() => go(result)}
              className={`cursor-pointer rounded-lg px-3 py-2 ${i === active ? 'bg-raised' : ''}`}
              data-locked={result.readable ? undefined : 'true'}
            >
              <p className="text-sm font-medium">
                {result.title}
                {!result.readable && <span className="ml-1 text-xs text-locked">(locked)</span>}
                {result.section && <span className="ml-2 text-xs font-normal text-muted">{result.section.title}</span>}
              </p>
              {result.readable ? <Snippet parts={result.snippet} /> : <p className="mt-1 text-xs text-locked">{result.missing.join(' ')}</p>}
            </li>
          ))}
        </ul>
        <p className="border-t border-line px-4 py-2 text-xs text-muted" aria-live="polite">
          {!query.trim()
            ? 'Type to search the docs you can read.'
            : state === 'loading'
              ? 'Searching…'
              : state === 'failed'
                ? 'Search failed. Try again.'
                : shown.length === 0 && state === 'done'
                  ? 'Nothing you can read matches.'
                  : `${shown.length} result${shown.length === 1 ? '' : 's'} · ↑↓ to move · Enter to open · Esc to close`}
        </p>
      </dialog>
    </>
  )
}

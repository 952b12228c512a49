import type { Metadata } from 'next'
import { SearchResults } from '@/app/components/search-results'
import { getAudience } from '@/lib/auth/dal'
import { searchDocs, searchWords } from '@/lib/content/search'

export const metadata: Metadata = { title: 'Search', robots: { index: false, follow: false } }

type Props = { searchParams: Promise<{ q?: string | string[] }> }

/** Search without JavaScript: a GET form and the same server function as the ⌘K dialog. */
export default async function SearchPage({ searchParams }: Props) {
  const raw = (await searchParams).q
  const q = typeof raw === 'string' ? raw.slice(0, 200) : ''
  const results = searchWords(q) ? await searchDocs(await getAudience(), q) : []
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1 className="text-3xl font-semibold tracking-tight">Search</h1>
      <form action="/search" method="get" role="search" className="flex gap-2">
        <label htmlFor="search-page-input" className="sr-only">
          Search the docs
        </label>
        <input
          id="search-page-input"
          name="q"
          type="search"
          defaultValue={q}
          placeholder="Search the docs you can read"
          className="w-full rounded-md border border-line bg-surface px-3 py-2"
        />
        <button type="submit" className="rounded-md bg-accent px-4 py-2 font-medium text-accent-fg hover:opacity-90">
          Search
        </button>
      </form>
      {q && (
        <p className="text-sm text-muted" data-testid="search-count">
          {results.length === 0 ? 'Nothing you can read matches.' : `${results.length} result${results.length === 1 ? '' : 's'}`}
        </p>
      )}
      {results.length > 0 && <SearchResults results={results} />}
    </div>
  )
}

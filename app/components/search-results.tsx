import { IntentLink } from '@/app/components/intent-link'
import type { SearchResult } from '@/lib/content/search'
import { LockIcon } from './docs/lock-icon'

/** A snippet with its matches marked; the parts are text, rendered as text. */
export function Snippet({ parts }: { parts: SearchResult['snippet'] }) {
  if (!parts) return null
  return (
    <p className="mt-1 text-sm text-muted">
      {parts.map((part, i) =>
        part.hit ? (
          <mark key={i} className="rounded bg-warn-bg px-0.5 text-fg">
            {part.text}
          </mark>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </p>
  )
}

/** The /search page's results: readable docs with a snippet, locked ones with what they need. */
export function SearchResults({ results }: { results: SearchResult[] }) {
  return (
    <ul className="divide-y divide-line rounded-lg border border-line bg-surface" data-testid="search-results">
      {results.map((result) => (
        <li key={result.slug} className="p-4" data-testid="search-result" data-locked={result.readable ? undefined : 'true'}>
          {result.section && <p className="text-xs text-muted">{result.section.title}</p>}
          <IntentLink href={`/docs/${result.slug}`} className="inline-flex items-center gap-1.5 font-medium text-fg hover:underline">
            {!result.readable && <LockIcon />}
            {result.title}
            {!result.readable && <span className="sr-only"> (locked)</span>}
          </IntentLink>
          {result.readable ? <Snippet parts={result.snippet} /> : <p className="mt-1 text-sm text-locked">{result.missing.join(' ')}</p>}
        </li>
      ))}
    </ul>
  )
}

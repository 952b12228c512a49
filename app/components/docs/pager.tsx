import { IntentLink } from '@/app/components/intent-link'
import type { TreePage } from '@/lib/content/nav-tree'

/** Previous and next readable pages of the section. */
export function Pager({ previous, next }: { previous: TreePage | null; next: TreePage | null }) {
  if (!previous && !next) return null
  return (
    <nav aria-label="Previous and next pages" data-testid="pager" className="mt-12 grid gap-4 border-t border-line pt-6 sm:grid-cols-2">
      {previous ? (
        <IntentLink href={`/docs/${previous.slug}`} rel="prev" className="rounded-lg border border-line p-4 hover:border-accent">
          <span className="block text-xs text-muted">Previous</span>
          <span className="font-medium text-accent">{previous.title}</span>
        </IntentLink>
      ) : (
        <span />
      )}
      {next && (
        <IntentLink href={`/docs/${next.slug}`} rel="next" className="rounded-lg border border-line p-4 text-right hover:border-accent">
          <span className="block text-xs text-muted">Next</span>
          <span className="font-medium text-accent">{next.title}</span>
        </IntentLink>
      )}
    </nav>
  )
}

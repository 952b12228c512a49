import { IntentLink } from '@/app/components/intent-link'
import type { Breadcrumb } from '@/lib/content/nav-tree'

export function Breadcrumbs({ items }: { items: Breadcrumb[] }) {
  if (items.length === 0) return null
  return (
    <nav aria-label="Breadcrumb" data-testid="breadcrumbs" className="mb-3 text-sm text-muted">
      <ol className="flex flex-wrap items-center gap-1.5">
        {items.map((item, i) => (
          <li key={`${i}-${item.title}`} className="flex items-center gap-1.5">
            {i > 0 && <span aria-hidden>/</span>}
            {item.href && i < items.length - 1 ? (
              <IntentLink href={item.href} className="hover:text-fg hover:underline">
                {item.title}
              </IntentLink>
            ) : (
              <span aria-current={i === items.length - 1 ? 'page' : undefined}>{item.title}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  )
}

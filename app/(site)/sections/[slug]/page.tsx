import type { Metadata } from 'next'
import { IntentLink } from '@/app/components/intent-link'
import { notFound } from 'next/navigation'
import { DocsShell } from '@/app/components/docs/docs-shell'
import { LockIcon } from '@/app/components/docs/lock-icon'
import { describeMissing, missingRequirements } from '@/lib/content/decision'
import { getSection } from '@/lib/content/docs'

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ page?: string | string[] }> }

/** `?page=N`, N a plain positive number; anything else (repeated, signed, padded, huge) is not a page. */
function pageNumber(raw: string | string[] | undefined): number | null {
  if (raw === undefined) return 1
  return typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : null
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const page = pageNumber((await searchParams).page)
  const section = page ? await getSection((await params).slug, page) : null
  if (!section) return { robots: { index: false, follow: false } }
  return {
    title: page && page > 1 ? `${section.title} (page ${page})` : section.title,
    description: section.description ?? undefined,
    alternates: { canonical: `/sections/${section.slug}${page && page > 1 ? `?page=${page}` : ''}` },
  }
}

/** A section's pages — readable and locked, in sidebar order — a page at a time. */
export default async function SectionPage({ params, searchParams }: Props) {
  const { slug } = await params
  const page = pageNumber((await searchParams).page)
  const section = page ? await getSection(slug, page) : null
  if (!section) notFound()
  const href = (n: number) => `/sections/${section.slug}${n > 1 ? `?page=${n}` : ''}`
  return (
    <DocsShell current={null}>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-muted">
        <IntentLink href="/" className="hover:text-fg hover:underline">
          Docs
        </IntentLink>
      </nav>
      <h1 className="text-3xl font-semibold tracking-tight">{section.title}</h1>
      {section.description && <p className="mt-2 text-muted">{section.description}</p>}
      <p className="mt-2 text-sm text-muted" data-testid="section-count">
        {section.total === 1 ? '1 page' : `${section.total} pages`}
        {section.pageCount > 1 && ` · page ${section.page} of ${section.pageCount}`}
      </p>
      <ul className="mt-6 divide-y divide-line rounded-lg border border-line bg-surface" data-testid="section-pages">
        {section.pages.map((doc) => (
          <li key={doc._id} className="p-4">
            <IntentLink
              href={`/docs/${doc.slug}`}
              className="inline-flex items-center gap-1.5 font-medium hover:underline"
              data-locked={doc.readable ? undefined : 'true'}
            >
              {!doc.readable && <LockIcon />}
              {doc.title}
              {!doc.readable && <span className="sr-only"> (locked)</span>}
            </IntentLink>
            {doc.excerpt && <p className="mt-1 text-sm text-muted">{doc.excerpt}</p>}
            {!doc.readable && <p className="mt-1 text-xs text-locked">{missingRequirements(doc.access, doc.requirements).map(describeMissing).join(' ')}</p>}
          </li>
        ))}
      </ul>
      {section.pageCount > 1 && (
        <nav aria-label="Pages of this section" className="mt-6 flex items-center justify-between text-sm" data-testid="section-paging">
          {section.page > 1 ? (
            <IntentLink href={href(section.page - 1)} rel="prev" className="text-accent hover:underline">
              ← Previous page
            </IntentLink>
          ) : (
            <span />
          )}
          {section.page < section.pageCount && (
            <IntentLink href={href(section.page + 1)} rel="next" className="text-accent hover:underline">
              Next page →
            </IntentLink>
          )}
        </nav>
      )}
    </DocsShell>
  )
}

import { IntentLink } from '@/app/components/intent-link'
import { DocsShell } from '@/app/components/docs/docs-shell'
import { LockIcon } from '@/app/components/docs/lock-icon'
import { describeMissing, missingRequirements } from '@/lib/content/decision'
import { getNav, getTeasers } from '@/lib/content/docs'
import { HOME_LINKS, homeOf } from '@/lib/content/nav-tree'

/**
 * The docs home: each section with its first readable pages, and a short "locked for you" note with a
 * count and a few teasers — never every locked doc. Sized by a link budget, not by the dataset.
 */
export default async function HomePage() {
  const { tree, audience } = await getNav()
  const sections = homeOf(tree, HOME_LINKS)
  const teasers = await getTeasers(sections.flatMap((s) => [...s.readable, ...s.lockedSample].map((page) => page.id)))
  return (
    <DocsShell current={null}>
      <section className="mb-10">
        <h1 className="text-3xl font-semibold tracking-tight">Documentation</h1>
        <p className="mt-2 text-muted">
          {audience.reader
            ? 'Everything your roles, organization, plan and region open for you.'
            : 'Sign in to see the documents your organization has opened for you.'}
        </p>
      </section>
      {sections.length === 0 && <p className="text-muted">There is nothing here for you yet.</p>}
      <div className="space-y-10">
        {sections.map((section) => (
          <section key={section.id || 'unsorted'} aria-labelledby={`section-${section.id || 'unsorted'}`} data-testid="home-section">
            <div className="flex items-baseline justify-between gap-4">
              <h2 id={`section-${section.id || 'unsorted'}`} className="text-xl font-semibold">
                {section.title}
              </h2>
              {section.slug && (
                <IntentLink href={`/sections/${section.slug}`} className="text-sm text-accent hover:underline">
                  {section.readableTotal > section.readable.length ? `All ${section.readableTotal} you can read` : 'Section overview'}
                </IntentLink>
              )}
            </div>
            {section.description && <p className="mt-1 text-sm text-muted">{section.description}</p>}
            {section.readable.length > 0 && (
              <ul className="mt-4 grid gap-3 sm:grid-cols-2" data-testid="readable-docs">
                {section.readable.map((page) => (
                  <li key={page.id} className="rounded-lg border border-line bg-surface p-4">
                    <IntentLink href={`/docs/${page.slug}`} className="font-medium hover:underline">
                      {page.title}
                    </IntentLink>
                    {teasers.get(page.id)?.excerpt && <p className="mt-1 text-sm text-muted">{teasers.get(page.id)!.excerpt}</p>}
                  </li>
                ))}
              </ul>
            )}
            {section.lockedTotal > 0 && (
              <div className="mt-4 rounded-lg border border-dashed border-line p-4" data-testid="locked-docs">
                <p className="flex items-center gap-1.5 text-sm font-medium text-locked">
                  <LockIcon />
                  {section.lockedTotal === 1 ? '1 page here is locked for you' : `${section.lockedTotal} pages here are locked for you`}
                </p>
                <ul className="mt-2 space-y-2">
                  {section.lockedSample.map((page) => {
                    const teaser = teasers.get(page.id)
                    return (
                      <li key={page.id} className="text-sm">
                        <IntentLink href={`/docs/${page.slug}`} className="font-medium hover:underline">
                          {page.title}
                        </IntentLink>
                        {teaser && (
                          <span className="text-muted"> — {missingRequirements(teaser.access, teaser.requirements).map(describeMissing).join(' ')}</span>
                        )}
                      </li>
                    )
                  })}
                </ul>
              </div>
            )}
          </section>
        ))}
      </div>
    </DocsShell>
  )
}

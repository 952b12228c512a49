import type { Metadata } from 'next'
import { headers } from 'next/headers'
import { forbidden, notFound, redirect } from 'next/navigation'
import { Breadcrumbs } from '@/app/components/docs/breadcrumbs'
import { Pager } from '@/app/components/docs/pager'
import { PortableBody } from '@/app/components/docs/portable-body'
import { TableOfContents } from '@/app/components/docs/table-of-contents'
import { RequirementList } from '@/app/components/requirements'
import { auditDocDecision, getDoc, getNav } from '@/lib/content/docs'
import { headingsOf, tableOfContents } from '@/lib/content/headings'
import { highlightBody } from '@/lib/content/highlight'
import { docMetadata } from '@/lib/content/metadata'
import { breadcrumbsOf, neighbours } from '@/lib/content/nav-tree'
import { countNotFound } from '@/lib/ratelimit'

type Props = { params: Promise<{ slug: string }> }

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return docMetadata((await getDoc((await params).slug)).decision)
}

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' })

export default async function DocPage({ params }: Props) {
  const { slug } = await params
  const { decision, audience } = await getDoc(slug)
  await auditDocDecision(slug, decision, audience)
  switch (decision.kind) {
    case 'notFound':
      // Unknown and hidden count alike towards this address's 404 budget (proxy.ts refuses past it).
      await countNotFound(await headers())
      notFound()
    case 'signIn':
      // Previewing as a signed-out reader: say what they would get instead of redirecting the editor.
      if (audience.preview) {
        return (
          <p className="rounded-lg border border-warn-line bg-warn-bg p-5 text-warn-fg" data-testid="preview-sign-in">
            A signed-out reader is sent to sign in (HTTP 307) before this document.
          </p>
        )
      }
      redirect(`/sign-in?returnTo=${encodeURIComponent(`/docs/${slug}`)}`)
    case 'forbidden':
      forbidden()
    case 'read': {
      const { doc } = decision
      const body = doc.body ?? []
      const [{ tree }, highlighted] = await Promise.all([getNav(), highlightBody(body)])
      const headings = headingsOf(body)
      const toc = tableOfContents(headings)
      const { previous, next } = neighbours(tree, doc.slug)
      const updated = doc.updatedAt ? new Date(doc.updatedAt) : null
      return (
        <div className="xl:grid xl:grid-cols-[minmax(0,1fr)_13rem] xl:gap-10">
          <article className="min-w-0">
            <Breadcrumbs items={breadcrumbsOf(tree, doc.slug)} />
            <header className="mb-8">
              <h1 className="text-3xl font-semibold tracking-tight text-fg">{doc.title}</h1>
              {doc.excerpt && <p className="mt-2 text-lg text-muted">{doc.excerpt}</p>}
              <div className="mt-3 flex flex-wrap items-center gap-3 text-xs text-muted">
                <RequirementList requirements={doc.requirements} />
                {updated && !Number.isNaN(updated.getTime()) && (
                  <p data-testid="last-updated">
                    Last updated <time dateTime={updated.toISOString()}>{dateFormat.format(updated)}</time>
                  </p>
                )}
              </div>
            </header>
            <PortableBody body={body} headings={headings} highlighted={highlighted} editor={audience.isEditor ? { reader: audience.reader } : null} />
            <Pager previous={previous} next={next} />
          </article>
          {/* Wide screens only, like most docs sites; the headings' own anchors serve narrow ones. */}
          <div className="hidden xl:block">
            <div className="sticky top-20">
              <TableOfContents headings={toc} />
            </div>
          </div>
        </div>
      )
    }
  }
}

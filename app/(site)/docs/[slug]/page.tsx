import type { Metadata } from 'next'
import { PortableText } from 'next-sanity'
import { forbidden, notFound, redirect } from 'next/navigation'
import { RequirementList } from '@/app/components/requirements'
import { getDoc } from '@/lib/content/docs'

type Props = { params: Promise<{ slug: string }> }

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { decision } = await getDoc((await params).slug)
  // Title only: bodies never go into metadata, and refused docs describe no more than their teaser.
  if (decision.kind === 'read' || decision.kind === 'forbidden') return { title: decision.doc.title }
  return {}
}

export default async function DocPage({ params }: Props) {
  const { slug } = await params
  const { decision, audience } = await getDoc(slug)
  switch (decision.kind) {
    case 'notFound':
      notFound()
    case 'signIn':
      // Previewing as a signed-out reader: say what they would get instead of redirecting the editor.
      if (audience.preview) {
        return (
          <p className="rounded-lg border border-amber-200 bg-amber-50 p-5" data-testid="preview-sign-in">
            A signed-out reader is sent to sign in (HTTP 307) before this document.
          </p>
        )
      }
      redirect(`/sign-in?returnTo=${encodeURIComponent(`/docs/${slug}`)}`)
    case 'forbidden':
      forbidden()
    case 'read': {
      const { doc } = decision
      return (
        <article className="space-y-6">
          <header>
            <h1 className="text-3xl font-semibold tracking-tight">{doc.title}</h1>
            {doc.excerpt && <p className="mt-2 text-lg text-stone-600">{doc.excerpt}</p>}
            <div className="mt-3">
              <RequirementList requirements={doc.requirements} />
            </div>
          </header>
          <div className="prose prose-stone max-w-none" data-testid="doc-body">
            <PortableText value={doc.body ?? []} />
          </div>
        </article>
      )
    }
  }
}

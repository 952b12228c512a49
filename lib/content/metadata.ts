import type { Metadata } from 'next'
import type { DocDecision } from './decision'

// What a doc tells crawlers and link previews: its title and excerpt (the teaser, which anyone shown
// the teaser already sees), never its body or images. Only docs a signed-out reader may read are
// indexable; every other page is noindex (a crawler is never signed in, and a gated doc redirects it
// to sign in anyway).

export function docMetadata(decision: DocDecision): Metadata {
  if (decision.kind !== 'read' && decision.kind !== 'forbidden') return { robots: { index: false, follow: false } }
  const { doc } = decision
  const isPublic = decision.kind === 'read' && doc.public
  const description = doc.excerpt ?? undefined
  return {
    title: doc.title,
    description,
    alternates: { canonical: `/docs/${doc.slug}` },
    // When a doc changed is the reader's business only if they may read it.
    openGraph: {
      type: 'article',
      title: doc.title,
      description,
      url: `/docs/${doc.slug}`,
      ...(decision.kind === 'read' && doc.updatedAt ? { modifiedTime: doc.updatedAt } : {}),
    },
    twitter: { card: 'summary', title: doc.title, description },
    robots: isPublic ? { index: true, follow: true } : { index: false, follow: false },
  }
}

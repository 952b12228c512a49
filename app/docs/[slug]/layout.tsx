import type { ReactNode } from 'react'
import { MissingList, RequirementList } from '@/app/components/requirements'
import { RuleExplainer } from '@/app/components/rule-explainer'
import { loadDocDecision } from './load'

/**
 * For a refused doc the page calls forbidden() (HTTP 403) and forbidden.tsx renders inside this
 * layout; the layout adds the teaser, which it may show because the viewer may see teasers.
 */
export default async function DocLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { audience, decision } = await loadDocDecision((await params).slug)
  if (decision.kind !== 'forbidden') return children
  const { doc, missing } = decision
  return (
    <article className="space-y-6" data-testid="locked-teaser">
      <header>
        <p className="text-sm font-medium text-amber-700">Locked</p>
        <h1 className="mt-1 text-3xl font-semibold tracking-tight">{doc.title}</h1>
        {doc.excerpt && <p className="mt-2 text-lg text-stone-600">{doc.excerpt}</p>}
        <div className="mt-3">
          <RequirementList requirements={doc.requirements} audience={doc.audience} />
        </div>
      </header>
      <div className="rounded-lg border border-amber-200 bg-amber-50 p-5">
        {children}
        <MissingList missing={missing} />
      </div>
      {audience.isEditor && <RuleExplainer access={doc.access} requirements={doc.requirements} audience={doc.audience} reader={audience.reader} />}
    </article>
  )
}

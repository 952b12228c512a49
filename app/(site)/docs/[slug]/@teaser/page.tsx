import { Breadcrumbs } from '@/app/components/docs/breadcrumbs'
import { MissingList, RequirementList } from '@/app/components/requirements'
import { RuleExplainer } from '@/app/components/rule-explainer'
import { getDoc, getNav } from '@/lib/content/docs'
import { breadcrumbsOf } from '@/lib/content/nav-tree'

/**
 * The locked teaser of a refused doc: title, excerpt, what is required and what is missing (and, for
 * editors, each clause of the rule). Shares the page's query (getDoc is cached per request); for any
 * other decision it renders nothing.
 */
export default async function DocTeaser({ params }: { params: Promise<{ slug: string }> }) {
  const { decision, audience } = await getDoc((await params).slug)
  if (decision.kind !== 'forbidden') return null
  const { doc, missing } = decision
  const { tree } = await getNav()
  return (
    <article className="mb-6 space-y-6" data-testid="locked-teaser">
      <header>
        <Breadcrumbs items={breadcrumbsOf(tree, doc.slug)} />
        <p className="text-sm font-medium text-locked">Locked</p>
        <h1 className="mt-1 text-3xl font-semibold tracking-tight">{doc.title}</h1>
        {doc.excerpt && <p className="mt-2 text-lg text-muted">{doc.excerpt}</p>}
        <div className="mt-3">
          <RequirementList requirements={doc.requirements} />
        </div>
      </header>
      <div className="rounded-lg border border-warn-line bg-warn-bg p-5">
        <MissingList missing={missing} />
      </div>
      {audience.isEditor && <RuleExplainer access={doc.access} requirements={doc.requirements} reader={audience.reader} />}
    </article>
  )
}

import Link from 'next/link'
import { describeMissing, missingRequirements } from '@/lib/content/decision'
import { getDocIndex } from '@/lib/content/docs'
import { RequirementList } from '../components/requirements'

export default async function HomePage() {
  const { readable, locked, audience } = await getDocIndex()
  return (
    <div className="space-y-10">
      <section>
        <h1 className="text-3xl font-semibold tracking-tight">Documentation</h1>
        <p className="mt-2 text-stone-600">
          {audience.reader
            ? 'Everything your roles, organization and plan open for you.'
            : 'Sign in to see the documents your organization has opened for you.'}
        </p>
      </section>

      <section aria-labelledby="readable-heading">
        <h2 id="readable-heading" className="sr-only">
          Documents you can read
        </h2>
        <ul className="grid gap-4 sm:grid-cols-2" data-testid="readable-docs">
          {readable.map((doc) => (
            <li key={doc._id} className="rounded-lg border border-stone-200 bg-white p-5 shadow-sm">
              <Link href={`/docs/${doc.slug}`} className="text-lg font-medium hover:underline">
                {doc.title}
              </Link>
              {doc.excerpt && <p className="mt-1 text-sm text-stone-600">{doc.excerpt}</p>}
              <div className="mt-3">
                <RequirementList requirements={doc.requirements} />
              </div>
            </li>
          ))}
        </ul>
      </section>

      {locked.length > 0 && (
        <section aria-labelledby="locked-heading">
          <h2 id="locked-heading" className="text-sm font-semibold uppercase tracking-wide text-stone-500">
            Locked
          </h2>
          <ul className="mt-3 grid gap-4 sm:grid-cols-2" data-testid="locked-docs">
            {locked.map((doc) => (
              <li key={doc._id} className="rounded-lg border border-dashed border-stone-300 p-5">
                <p className="flex items-center gap-1.5 font-medium text-stone-700">
                  <svg aria-hidden viewBox="0 0 20 20" className="size-4 fill-stone-400">
                    <path d="M10 2a4 4 0 0 0-4 4v2H5a1 1 0 0 0-1 1v8a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V9a1 1 0 0 0-1-1h-1V6a4 4 0 0 0-4-4Zm2 6H8V6a2 2 0 1 1 4 0v2Z" />
                  </svg>
                  <Link href={`/docs/${doc.slug}`} className="hover:underline">
                    {doc.title}
                  </Link>
                </p>
                {doc.excerpt && <p className="mt-1 text-sm text-stone-500">{doc.excerpt}</p>}
                <p className="mt-2 text-xs text-amber-800">{missingRequirements(doc.access, doc.requirements).map(describeMissing).join(' ')}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}

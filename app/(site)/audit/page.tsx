import type { Metadata } from 'next'
import { IntentLink } from '@/app/components/intent-link'
import { forbidden, redirect } from 'next/navigation'
import { AUDIT_DECISIONS, type AuditEvent } from '@/lib/audit/event'
import { auditHref, type AuditFilters } from '@/lib/audit/filters'
import { loadAuditView, type WhoResult } from '@/lib/audit/view'

export const metadata: Metadata = { title: 'Access audit', robots: { index: false, follow: false } }

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> }

const DECISION_LABELS: Record<AuditEvent['decision'], string> = {
  read: 'read',
  forbidden: 'refused (403)',
  notFound: 'not found (404)',
  signIn: 'sent to sign in',
  search: 'search',
  preview: 'preview',
  list: 'listing',
}

/** The access-decision trail and "who can read this doc", for editors (lib/audit/view.ts checks). */
export default async function AuditPage({ searchParams }: Props) {
  const view = await loadAuditView(await searchParams)
  if (view.kind === 'signIn') redirect('/sign-in?returnTo=%2Faudit')
  if (view.kind === 'forbidden') forbidden()
  const { filters, ignored } = view.query
  return (
    <section className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Access audit</h1>
        <p className="mt-1 text-sm text-muted">
          Recent access decisions — reads, refusals, hidden 404s, searches, Markdown, llms.txt, MCP calls and previews. Events name who and which doc, never
          document text or tokens; searches appear as a keyed hash. Each reader&apos;s newest {view.retention.maxEventsPerReader.toLocaleString('en')} events of
          the last {view.retention.retentionDays} days are kept, in a list of their own (signed-out requests share one), so no reader can push out
          another&apos;s; this view merges up to {view.retention.maxEvents.toLocaleString('en')} of them, shared fairly among readers. Filter by reader to see
          all of one reader&apos;s.
        </p>
      </div>

      <form action="/audit" method="get" className="grid gap-3 rounded-lg border border-line bg-surface p-4 sm:grid-cols-4" data-testid="audit-filters">
        <label className="text-sm font-medium text-muted">
          Reader (subject)
          <input name="reader" defaultValue={filters.reader ?? ''} className="mt-1 block w-full rounded-md border border-line bg-surface p-2 text-fg" />
        </label>
        <label className="text-sm font-medium text-muted">
          Doc (slug)
          <input name="doc" defaultValue={filters.doc ?? ''} className="mt-1 block w-full rounded-md border border-line bg-surface p-2 text-fg" />
        </label>
        <label className="text-sm font-medium text-muted">
          Decision
          <select name="decision" defaultValue={filters.decision ?? ''} className="mt-1 block w-full rounded-md border border-line bg-surface p-2 text-fg">
            <option value="">any</option>
            {AUDIT_DECISIONS.map((decision) => (
              <option key={decision} value={decision}>
                {DECISION_LABELS[decision]}
              </option>
            ))}
          </select>
        </label>
        <div className="flex items-end gap-2">
          <button type="submit" className="rounded-md bg-accent px-4 py-2 font-medium text-accent-fg hover:opacity-90">
            Filter
          </button>
          <IntentLink href="/audit" className="px-2 py-2 text-sm text-muted hover:text-fg">
            Clear
          </IntentLink>
        </div>
      </form>
      {ignored.length > 0 && (
        <p role="alert" className="rounded-md border border-warn-line bg-warn-bg p-3 text-sm text-warn-fg" data-testid="audit-ignored">
          Ignored {ignored.length === 1 ? 'a filter that is' : 'filters that are'} not well-formed: {ignored.join(', ')}.
        </p>
      )}

      {view.who && filters.doc && <WhoCanRead slug={filters.doc} who={view.who} />}

      <div className="space-y-3">
        <h2 className="text-lg font-semibold">Recent decisions</h2>
        {view.trail.kind === 'disabled' && (
          <p className="text-sm text-muted" data-testid="audit-disabled">
            The trail is not kept here: AUDIT_SINKS does not include <code>store</code>. Events go to the log drain (stdout) only.
          </p>
        )}
        {view.trail.kind === 'unavailable' && (
          <p role="alert" className="rounded-md border border-warn-line bg-warn-bg p-3 text-sm text-warn-fg" data-testid="audit-unavailable">
            The shared store could not be read just now, so the trail cannot be shown. Try again in a moment.
          </p>
        )}
        {view.trail.kind === 'ok' && <Trail listing={view.trail.listing} filters={filters} />}
      </div>
    </section>
  )
}

function WhoCanRead({ slug, who }: { slug: string; who: WhoResult }) {
  return (
    <div className="space-y-2 rounded-lg border border-line bg-surface p-4" data-testid="who-can-read">
      <h2 className="text-lg font-semibold">
        Who can read <code>{slug}</code>
      </h2>
      {who.kind === 'unavailable' && (
        <p role="alert" className="text-sm text-warn-fg">
          Sanity could not be asked just now.
        </p>
      )}
      {who.kind === 'ok' && who.docs.length === 0 && <p className="text-sm text-muted">No published doc has this slug.</p>}
      {who.kind === 'ok' &&
        who.docs.map((doc) => (
          <div key={doc.docId}>
            {who.docs.length > 1 && <p className="text-sm text-muted">{doc.docId}</p>}
            {doc.members.length === 0 ? (
              <p className="text-sm">No member profile passes this doc&apos;s rule.</p>
            ) : (
              <ul className="flex flex-wrap gap-2 text-sm" aria-label="Members who can read it">
                {doc.members.map((member) => (
                  <li key={member.id} className="rounded-full border border-line px-3 py-0.5">
                    {member.name ?? member.id}
                  </li>
                ))}
              </ul>
            )}
            {doc.truncated && <p className="text-sm text-muted">… and more; only the first {doc.members.length} are listed.</p>}
          </div>
        ))}
      <p className="text-xs text-muted">
        Computed by Sanity with the same access rule the reader&apos;s own queries use, from each member profile as it is now. Readers without a member profile
        (identity-provider claims only) are not listed.
      </p>
    </div>
  )
}

function Trail({
  listing,
  filters,
}: {
  listing: { events: AuditEvent[]; matched: number; retained: number; page: number; pageCount: number }
  filters: AuditFilters
}) {
  if (listing.events.length === 0) {
    return (
      <p className="text-sm text-muted" data-testid="audit-empty">
        No decisions match{listing.retained > 0 ? ` (of ${listing.retained} kept)` : ''}.
      </p>
    )
  }
  return (
    <>
      <p className="text-sm text-muted" data-testid="audit-count">
        {listing.matched} of {listing.retained} kept decisions match.
      </p>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="audit-trail">
          <thead className="border-b border-line text-muted">
            <tr>
              {['When (UTC)', 'Who', 'What', 'Decision', 'Via'].map((heading) => (
                <th key={heading} scope="col" className="py-2 pr-4 font-medium">
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {listing.events.map((event, i) => (
              <tr key={`${event.at}-${i}`} className="border-b border-line align-top" data-testid="audit-row">
                <td className="py-2 pr-4 whitespace-nowrap tabular-nums">{event.at.replace('T', ' ').slice(0, 19)}</td>
                <td className="py-2 pr-4">
                  {event.who.subject ? (
                    <IntentLink href={auditHref({ ...filters, reader: event.who.subject })} className="hover:underline">
                      {event.who.subject}
                    </IntentLink>
                  ) : (
                    <span className="text-muted">signed out</span>
                  )}
                  {event.who.provider && <span className="text-muted"> · {event.who.provider}</span>}
                  {event.who.previewing && <span className="block text-xs text-muted">previewing {event.who.previewing}</span>}
                </td>
                <td className="py-2 pr-4">
                  <What event={event} filters={filters} />
                </td>
                <td className="py-2 pr-4">
                  {DECISION_LABELS[event.decision]}
                  {event.failed && event.failed.length > 0 && <span className="block text-xs text-muted">failed: {event.failed.join(', ')}</span>}
                </td>
                <td className="py-2 pr-4">{event.via}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {listing.pageCount > 1 && (
        <nav aria-label="Audit pages" className="flex items-center gap-4 text-sm">
          {listing.page > 1 && <IntentLink href={auditHref(filters, listing.page - 1)}>← Newer</IntentLink>}
          <span className="text-muted">
            Page {listing.page} of {listing.pageCount}
          </span>
          {listing.page < listing.pageCount && <IntentLink href={auditHref(filters, listing.page + 1)}>Older →</IntentLink>}
        </nav>
      )}
    </>
  )
}

function What({ event, filters }: { event: AuditEvent; filters: AuditFilters }) {
  const { slug, queryHash, results } = event.what
  return (
    <>
      {slug && (
        <IntentLink href={auditHref({ ...filters, doc: slug })} className="hover:underline">
          {slug}
        </IntentLink>
      )}
      {queryHash && <span className="font-mono text-xs">query {queryHash.slice(0, 12)}…</span>}
      {results !== undefined && <span className="text-muted"> ({results} results)</span>}
      {!slug && !queryHash && results === undefined && <span className="text-muted">—</span>}
    </>
  )
}

import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { GRANT_DIMENSIONS, heldValues } from '@/lib/access/dimensions'
import { getViewer } from '@/lib/auth/dal'

export const metadata: Metadata = { title: 'Your account', robots: { index: false, follow: false } }

const ACCESS_SOURCE = { profile: 'your member profile (current)', token: 'your identity provider', none: 'nothing right now' } as const

export default async function AccountPage() {
  const viewer = await getViewer()
  // proxy.ts redirects too, but it is never the only check.
  if (!viewer) redirect('/sign-in?returnTo=%2Faccount')
  const rows: [id: string, label: string, value: string][] = [
    ['name', 'Name', viewer.name ?? '—'],
    ['email', 'Email', viewer.email ?? '—'],
    ['subject', 'Subject', viewer.subject],
    ...GRANT_DIMENSIONS.map((d): [string, string, string] => [d.grant, d.label, heldValues(viewer, d).join(', ') || 'none']),
    ['signed-in-with', 'Signed in with', viewer.provider],
    ['access-from', 'Access from', ACCESS_SOURCE[viewer.access.source]],
  ]
  return (
    <section className="space-y-6">
      <h1 className="text-3xl font-semibold tracking-tight">Your account</h1>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-8 gap-y-3 rounded-lg border border-line bg-surface p-6" data-testid="account-details">
        {rows.map(([id, label, value]) => (
          <div key={id} className="contents">
            <dt className="font-medium text-muted">{label}</dt>
            <dd data-testid={`account-${id}`}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}

import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { getViewer } from '@/lib/auth/dal'

export const metadata: Metadata = { title: 'Your account' }

export default async function AccountPage() {
  const viewer = await getViewer()
  // proxy.ts redirects too, but it is never the only check.
  if (!viewer) redirect('/sign-in?returnTo=%2Faccount')
  const rows: [string, string][] = [
    ['Name', viewer.name ?? '—'],
    ['Email', viewer.email ?? '—'],
    ['Subject', viewer.subject],
    ['Roles', viewer.roles.length > 0 ? viewer.roles.join(', ') : 'none'],
    ['Tenant', viewer.tenant ?? 'none'],
    ['Plan', viewer.plan ?? 'none'],
    ['Signed in with', viewer.provider],
    ['Access from', viewer.access.source === 'profile' ? 'your member profile (current)' : viewer.access.source === 'token' ? 'your identity provider' : 'nothing right now'],
  ]
  return (
    <section className="space-y-6">
      <h1 className="text-3xl font-semibold tracking-tight">Your account</h1>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-8 gap-y-3 rounded-lg border border-stone-200 bg-white p-6" data-testid="account-details">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-medium text-stone-500">{label}</dt>
            <dd data-testid={`account-${label.toLowerCase().replaceAll(' ', '-')}`}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}

import type { Viewer } from '@/lib/auth/viewer'

const time = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 16) + ' UTC'

/**
 * Tells a signed-in reader why they see less than before, instead of a silent empty list: their
 * access was removed or changed since they signed in, or could not be confirmed right now.
 */
export function AccessNotice({ viewer }: { viewer: Viewer }) {
  const { reason, changedAt } = viewer.access
  let message: string | null = null
  if (reason === 'profileRemoved') {
    message = `Your organization removed your access${changedAt !== null ? ` on ${time(changedAt)}` : ''}. You can still read what is open to every reader; if this is a mistake, ask your administrator.`
  } else if (reason === 'unconfirmed') {
    message =
      'Your access could not be confirmed with your organization just now, so only documents open to every signed-in reader are shown. Please try again in a moment.'
  } else if (changedAt !== null) {
    message = `Your access was updated on ${time(changedAt)}. What you can read now reflects the change.`
  }
  if (!message) return null
  return (
    <div className="border-b border-warn-line bg-warn-bg text-sm text-warn-fg" role="status" data-testid="access-notice" data-reason={reason ?? 'changed'}>
      <p className="mx-auto max-w-4xl px-6 py-2">{message}</p>
    </div>
  )
}

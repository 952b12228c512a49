import 'server-only'
import { createHmac } from 'node:crypto'
import type { Audience } from './dal'

/**
 * What the pages of a tab were rendered for, as an opaque token the browser can compare: who is
 * signed in (provider and subject), the grants content is read for (the previewed audience's while
 * previewing), draft mode, and whether the member's access changed or could not be confirmed. Same
 * session state, same marker — on every request and every instance — so tabs of one browser converge
 * instead of refreshing each other in a loop; any change to it (a sign-out, a sign-in as someone else,
 * a revocation a page rendered) is a new marker, which makes every open tab drop its prefetched pages
 * (lib/auth/ui/session-watch.tsx).
 *
 * An HMAC under the session secret: it is in the page and in localStorage, so it must name nobody —
 * no subject, email or grant is recoverable from it, and it cannot be computed for another person.
 */
export function sessionMarker({ viewer, reader, preview, drafts }: Audience, secret: string): string {
  const who = viewer && [viewer.provider, viewer.subject, viewer.access.reason, viewer.access.changedAt]
  return createHmac('sha256', secret)
    .update(JSON.stringify(['gatehouse-session-marker', who, reader, preview !== null, drafts]))
    .digest('base64url')
    .slice(0, 22)
}

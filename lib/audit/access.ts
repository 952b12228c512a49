import 'server-only'
import { getAudience, type Audience } from '@/lib/auth/dal'
import { getConfig } from '@/lib/config'

/** What the audit views answer: the trail and who-can-read for editors, nothing for anyone else. */
export type AuditAccess = 'editor' | 'signIn' | 'forbidden'

/**
 * Editors only: a signed-in viewer whose verified, current roles include EDITOR_ROLE. Stricter than
 * `Audience.isEditor`, which draft mode alone grants (the Studio's Presentation tool): the trail names
 * people, so it takes a person who holds the role. A preview changes what content is read for, never
 * who the viewer is, so it neither grants nor removes this.
 */
export function auditAccessOf(audience: Pick<Audience, 'viewer'>, editorRole: string): AuditAccess {
  if (!audience.viewer) return 'signIn'
  return audience.viewer.roles.includes(editorRole) ? 'editor' : 'forbidden'
}

/** The current request's access to the audit views (the data-access layer re-verifies the session). */
export async function auditAccess(): Promise<AuditAccess> {
  return auditAccessOf(await getAudience(), getConfig().editorRole)
}

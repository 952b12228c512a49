import type { Viewer } from '@/lib/auth/viewer'
import type { AccessClauses, Doc, Requirements } from './schema'

/** One unmet requirement, as the locked teaser explains it. */
export type Missing =
  | { kind: 'signIn' }
  | { kind: 'role'; anyOf: string[] }
  | { kind: 'tenant'; tenant: string | null }
  | { kind: 'plan'; anyOf: string[] }

export type DocDecision =
  | { kind: 'read'; doc: Doc }
  | { kind: 'signIn' }
  | { kind: 'forbidden'; doc: Doc; missing: Missing[] }
  | { kind: 'notFound' }

/** The requirements whose GROQ clause failed for this viewer. */
export function missingRequirements(access: AccessClauses, requirements: Requirements): Missing[] {
  const missing: Missing[] = []
  if (!access.audience) missing.push({ kind: 'signIn' })
  if (!access.role) missing.push({ kind: 'role', anyOf: requirements.roles })
  if (!access.tenant) missing.push({ kind: 'tenant', tenant: requirements.tenant })
  if (!access.plan) missing.push({ kind: 'plan', anyOf: requirements.plans })
  return missing
}

/**
 * What /docs/[slug] answers. The query has already withheld the body and any hidden doc the
 * viewer may not read; this only maps its result to read / sign in (307) / 403 / 404.
 */
export function decideDocAccess(doc: Doc | null, viewer: Viewer | null): DocDecision {
  if (!doc) return { kind: 'notFound' }
  if (doc.readable && doc.body) return { kind: 'read', doc }
  if (!viewer) return { kind: 'signIn' }
  return { kind: 'forbidden', doc, missing: missingRequirements(doc.access, doc.requirements) }
}

export function describeMissing(missing: Missing): string {
  switch (missing.kind) {
    case 'signIn':
      return 'Sign in to read this document.'
    case 'role':
      return `Requires one of these roles: ${missing.anyOf.join(', ')}.`
    case 'tenant':
      return missing.tenant ? `Only for members of the ${missing.tenant} organization.` : 'Only for members of another organization.'
    case 'plan':
      return `Requires one of these plans: ${missing.anyOf.join(', ')}.`
  }
}

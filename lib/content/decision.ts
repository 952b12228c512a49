import { DIMENSIONS, type DimensionName } from '@/lib/access/dimensions'
import type { AccessClauses, Doc, Requirements } from './schema'

/** One unmet requirement: the dimension whose clause failed, and what the document asks for. */
export type Missing = { dimension: DimensionName; required: string[] }

export type DocDecision = { kind: 'read'; doc: Doc } | { kind: 'signIn' } | { kind: 'forbidden'; doc: Doc; missing: Missing[] } | { kind: 'notFound' }

const dimension = (name: DimensionName) => DIMENSIONS.find((d) => d.name === name)!

/** The requirements whose GROQ clause failed for this reader, in the registry's order. */
export function missingRequirements(access: AccessClauses, requirements: Requirements): Missing[] {
  return DIMENSIONS.filter((d) => !access[d.name]).map((d) => ({ dimension: d.name, required: requirements[d.name] }))
}

/**
 * What /docs/[slug] answers. The query has already withheld the body and any hidden doc the reader
 * may not read; this only maps its result to read / sign in (307) / 403 / 404.
 */
export function decideDocAccess(doc: Doc | null, signedIn: boolean): DocDecision {
  if (!doc) return { kind: 'notFound' }
  if (doc.readable && doc.body) return { kind: 'read', doc }
  if (!signedIn) return { kind: 'signIn' }
  return { kind: 'forbidden', doc, missing: missingRequirements(doc.access, doc.requirements) }
}

export function describeMissing(missing: Missing): string {
  return dimension(missing.dimension).missing(missing.required)
}

/** The document's requirements in a few words each (chips), in the registry's order. */
export function describeRequirements(requirements: Requirements): string[] {
  return DIMENSIONS.map((d) => d.chip(requirements[d.name])).filter((chip): chip is string => chip !== null)
}

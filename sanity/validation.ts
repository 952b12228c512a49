// Studio validation rules, as plain functions so they are unit-tested (tests/validation.test.ts).
import { GRANT_DIMENSIONS } from '../lib/access/dimensions.ts'
// Studio validation never runs on API writes: the app validates what it reads as well (lib/content).

/** Patterns of credentials that must never be pasted into content (it is readable by every editor). */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/, 'a Stripe/Clerk secret key'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}/, 'a GitHub token'],
  [/\bSSWS\s+[A-Za-z0-9_-]{20,}/, 'an Okta API token'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'a JSON Web Token'],
]

/** The first secret-looking string anywhere in a value (documents, blocks, nested objects). */
export function findSecret(value: unknown, path = ''): { path: string; kind: string } | null {
  if (typeof value === 'string') {
    const hit = SECRET_PATTERNS.find(([pattern]) => pattern.test(value))
    return hit ? { path: path || '(value)', kind: hit[1] } : null
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findSecret(item, `${path}[${index}]`)
      if (found) return found
    }
    return null
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith('_')) continue
      const found = findSecret(item, path ? `${path}.${key}` : key)
      if (found) return found
    }
  }
  return null
}

export function noSecrets(doc: unknown): true | string {
  const found = findSecret(doc)
  return found ? `"${found.path}" looks like ${found.kind}. Never put credentials in content.` : true
}

/** A hidden doc without any requirement would be visible to every signed-in reader: not hidden at all. */
export function hiddenNeedsRequirement(doc: Record<string, unknown> | undefined): true | string {
  if (doc?.visibility !== 'hidden') return true
  const has = (v: unknown) => (Array.isArray(v) ? v.length > 0 : typeof v === 'string' && v.trim() !== '')
  return GRANT_DIMENSIONS.some((d) => has(doc[d.field]))
    ? true
    : `A hidden document needs at least one requirement (${GRANT_DIMENSIONS.map((d) => d.label.toLowerCase()).join(', ')}).`
}

/**
 * A requirement must name values that exist (role keys, plan slugs, …): `existing` asks the dataset
 * which of them do; `what` says what they are and where editors create them.
 */
export async function valuesExist(
  values: unknown,
  existing: (values: string[]) => Promise<string[]>,
  what: { noun: string; create: string },
): Promise<true | string> {
  if (!Array.isArray(values) || values.length === 0) return true
  const wanted = values.filter((v): v is string => typeof v === 'string')
  if (wanted.length !== values.length) return 'Values must be text.'
  const known = new Set(await existing(wanted))
  const missing = wanted.filter((value) => !known.has(value))
  return missing.length === 0 ? true : `No ${what.noun} ${missing.map((v) => `"${v}"`).join(', ')}. Create it under ${what.create} first.`
}

/**
 * A provider user id may belong to one member only: two profiles naming the same user would make the
 * user's access depend on which one the query finds first. `othersWith` asks the dataset for other
 * (published or draft) profiles holding the id.
 */
export async function loginIdUnique(
  provider: string,
  id: unknown,
  documentId: string | undefined,
  othersWith: (provider: string, id: string, self: string[]) => Promise<string[]>,
): Promise<true | string> {
  if (typeof id !== 'string' || id.trim() === '') return true
  const base = (documentId ?? '').replace(/^drafts\./, '')
  const others = await othersWith(provider, id, [base, `drafts.${base}`])
  return others.length === 0 ? true : `Another member (${others[0]}) already has the ${provider} user id "${id}".`
}

/**
 * What the Studio knows about a page's chosen parent: its section, whether it has a parent itself, and
 * whether the page being edited has children of its own (`selfHasChildren`).
 */
export type ParentFacts = { _id: string; section?: string | null; hasParent?: boolean | null; selfHasChildren?: boolean | null }

/** Why a parent page cannot be this page's parent (one level, same section, not itself), or null. */
export function parentProblem(doc: { _id: string; section?: { _ref?: string } }, parent: ParentFacts | null): string | null {
  if (!parent) return 'The parent page does not exist.'
  const id = (value: string) => value.replace(/^drafts\./, '')
  if (id(parent._id) === id(doc._id)) return 'A page cannot be its own parent.'
  if (parent.hasParent) return 'The parent page is nested itself: one level of nesting only.'
  if (parent.selfHasChildren) return 'This page has pages nested under it, so it cannot be nested itself: one level only.'
  if (parent.section !== doc.section?._ref) return 'The parent page must be in the same section.'
  return null
}

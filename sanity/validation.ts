// Studio validation rules, as plain functions so they are unit-tested (tests/validation.test.ts).
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

type AccessFields = { visibility?: unknown; requiredRoles?: unknown; tenantId?: unknown; plans?: unknown }

/** A hidden doc without any requirement would be visible to every signed-in reader: not hidden at all. */
export function hiddenNeedsRequirement(doc: AccessFields | Record<string, unknown> | undefined): true | string {
  if (doc?.visibility !== 'hidden') return true
  const has = (v: unknown) => (Array.isArray(v) ? v.length > 0 : typeof v === 'string' && v.trim() !== '')
  return has(doc.requiredRoles) || has(doc.tenantId) || has(doc.plans) ? true : 'A hidden document needs at least one requirement (role, organization or plan).'
}

/** Role keys must name existing accessRole documents; `existingKeys` asks the dataset. */
export async function rolesExist(keys: unknown, existingKeys: (keys: string[]) => Promise<string[]>): Promise<true | string> {
  if (!Array.isArray(keys) || keys.length === 0) return true
  const wanted = keys.filter((k): k is string => typeof k === 'string')
  if (wanted.length !== keys.length) return 'Role keys must be text.'
  const known = new Set(await existingKeys(wanted))
  const missing = wanted.filter((key) => !known.has(key))
  return missing.length === 0 ? true : `No access role with key ${missing.map((k) => `"${k}"`).join(', ')}. Create it under Access → Roles first.`
}

/** Same for plan slugs and accessPlan documents. */
export async function plansExist(slugs: unknown, existingSlugs: (slugs: string[]) => Promise<string[]>): Promise<true | string> {
  const result = await rolesExist(slugs, existingSlugs)
  return result === true ? true : result.replace('access role with key', 'plan with slug').replace('Access → Roles', 'Access → Plans')
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

import 'server-only'
import { z } from 'zod'
import { GRANT_DIMENSIONS } from '@/lib/access/dimensions'
import { auditAccess } from '@/lib/audit/access'
import { ruleWith, type ParamRef } from './access'
import { sanityClient } from './client'
import { SLUG_PATTERN } from './slug'

// "Who can read this doc", for editors: every memberProfile, each decided by Sanity through the same
// access rule the reader's own queries use (./access.ts), with the member's values in place of the
// query parameters. No second copy of the rule exists, so the answer cannot drift from what a member
// actually gets.

/**
 * A member's value for a clause, evaluated from inside a gatedPage filter nested in the member's
 * scope: `^.` is the member, one scope further (`^.^.`) when the clause refers to it from inside a
 * filter on the doc's own field (the anyOf clause: `requiredRoles[@ in …]`). The values are each
 * dimension's memberProfile projection (what MEMBER_GRANTS_PROJECTION reads for a signed-in member),
 * and every member is signed in when they read. A set drops references that no longer resolve (a
 * deleted role grants nothing), as the member's grants do.
 */
const memberValue: ParamRef = (name, inFilter) => {
  if (name === 'signedIn') return 'true'
  const dimension = GRANT_DIMENSIONS.find((d) => d.grant === name)
  if (!dimension) throw new Error(`no access dimension grants ${name}`)
  const value = `${inFilter ? '^.^.' : '^.'}${dimension.profile}`
  return dimension.kind === 'anyOf' ? `((${value})[defined(@)])` : `(${value})`
}

/** The rule for "the member in scope `^` may read the doc in scope `@`". */
export const MEMBER_CAN_READ = ruleWith(memberValue)

/** At most this many members are listed per doc (the query asks for one more, to say "more"). */
export const WHO_CAN_READ_MAX_MEMBERS = 200
/** At most this many published docs sharing one slug are answered. */
const MAX_DOCS = 5

/**
 * One query: the published doc(s) with `$slug`, and for each, the memberProfiles for which
 * `count(*[_type == "gatedPage" && _id == <this doc> && RULE]) > 0`, RULE referring to the member.
 * Scopes: in the members' filter `^` is the doc; in the nested gatedPage filter `^` is the member and
 * `^.^` the doc again.
 */
export const WHO_CAN_READ_QUERY = `*[_type == "gatedPage" && slug.current == $slug] | order(_id asc)[0...${MAX_DOCS}] {
  _id,
  "slug": slug.current,
  "members": *[_type == "memberProfile" && defined(loginIds) && count(*[_type == "gatedPage" && _id == ^.^._id && ${MEMBER_CAN_READ}]) > 0]
    | order(name asc, _id asc)[0...${WHO_CAN_READ_MAX_MEMBERS + 1}] { _id, name }
}`

const resultSchema = z.array(
  z.object({
    _id: z.string(),
    slug: z.string(),
    members: z.array(z.object({ _id: z.string(), name: z.string().nullable().optional() })),
  }),
)

export type DocReaders = {
  docId: string
  slug: string
  /** Members (memberProfiles) whose current profile passes the doc's rule, by name. */
  members: { id: string; name: string | null }[]
  /** More than WHO_CAN_READ_MAX_MEMBERS members can read it: only the first are listed. */
  truncated: boolean
}

/** The query's result, checked (Studio validation never runs on API writes). Throws on a malformed one. */
export function parseWhoCanRead(result: unknown): DocReaders[] {
  const parsed = resultSchema.safeParse(result ?? [])
  if (!parsed.success) throw new Error(`who-can-read: unexpected result (${parsed.error.issues[0]?.message ?? 'invalid'})`)
  return parsed.data.map((doc) => ({
    docId: doc._id,
    slug: doc.slug,
    members: doc.members.slice(0, WHO_CAN_READ_MAX_MEMBERS).map((m) => ({ id: m._id, name: m.name ?? null })),
    truncated: doc.members.length > WHO_CAN_READ_MAX_MEMBERS,
  }))
}

/**
 * Who can read the published doc(s) with this slug. Usually one doc; a slug two published docs share
 * (Studio validation forbids it, API writes can do it) lists each. Editors only: it names people, so
 * it re-checks the viewer itself rather than trusting its caller. Readers without a memberProfile
 * (IdP claims only) are not listed: their access is whatever their IdP says at sign-in. Nor is a
 * profile without login ids (nobody signs in as it, lib/content/members.ts). The answer is for the
 * page; a restricted section inside it has its own rule (the editors' explainer shows it).
 */
export async function whoCanRead(slug: string): Promise<DocReaders[]> {
  if ((await auditAccess()) !== 'editor') throw new Error('who-can-read is for editors only')
  if (!SLUG_PATTERN.test(slug)) return []
  const result = await sanityClient().fetch(WHO_CAN_READ_QUERY, { slug }, { perspective: 'published' })
  return parseWhoCanRead(result)
}

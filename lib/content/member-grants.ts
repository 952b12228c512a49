// What a memberProfile grants: its projection, shape and parsing. Pure (no client, no server-only):
// the sync targets import it in both runtimes, Sanity Functions included.
import { z } from 'zod'
import { GRANT_DIMENSIONS, NO_GRANTS, type GrantName, type Grants } from '@/lib/access/dimensions'

/** What a memberProfile grants, as every query that reads one projects it (one field per dimension). */
export const MEMBER_GRANTS_PROJECTION = `_id, _updatedAt, ${GRANT_DIMENSIONS.map((d) => `"${d.grant}": ${d.profile}`).join(', ')}`

/**
 * A member's current grants from their memberProfile, found by the provider's user id (`sub`) in
 * `loginIds.<provider>`. `select()` picks the field, so the query needs no string building from input.
 */
export const MEMBER_GRANTS_QUERY = `*[_type == "memberProfile" && defined(loginIds) && select(
  $provider == "local" => loginIds.local,
  $provider == "oidc" => loginIds.oidc,
  $provider == "okta" => loginIds.okta,
  $provider == "descope" => loginIds.descope,
  $provider == "clerk" => loginIds.clerk,
  $provider == "auth0" => loginIds.auth0
) == $subject] | order(_updatedAt desc)[0]{ ${MEMBER_GRANTS_PROJECTION} }`

// A reference to a deleted role (or plan, organization) resolves to null: it grants nothing.
const valueSet = z
  .array(z.string().nullable())
  .nullable()
  .optional()
  .transform((values) => [...new Set((values ?? []).filter((value): value is string => !!value))].sort())
const oneValue = z
  .string()
  .nullable()
  .optional()
  .transform((v) => v ?? null)

/** The projection's shape; extended by the `access` sync target with the profile's user ids. */
export const memberGrantsSchema = z.object({
  _id: z.string(),
  _updatedAt: z.string().nullable().optional(),
  ...(Object.fromEntries(GRANT_DIMENSIONS.map((d) => [d.grant, d.kind === 'anyOf' ? valueSet : oneValue])) as Record<
    GrantName,
    typeof valueSet | typeof oneValue
  >),
})

export type MemberGrants = { profileId: string; grants: Grants; updatedAt: number }

export function grantsOf(profile: z.output<typeof memberGrantsSchema>): MemberGrants {
  const grants = Object.fromEntries(GRANT_DIMENSIONS.map((d) => [d.grant, profile[d.grant]])) as Grants
  return { profileId: profile._id, grants, updatedAt: (profile._updatedAt && Date.parse(profile._updatedAt)) || Date.now() }
}

export function parseMemberGrants(result: unknown): MemberGrants | null {
  if (result === null || result === undefined) return null
  const parsed = memberGrantsSchema.safeParse(result)
  // A malformed profile grants nothing rather than falling back to the token's claims.
  if (!parsed.success) return { profileId: 'malformed', grants: NO_GRANTS, updatedAt: Date.now() }
  return grantsOf(parsed.data)
}

import 'server-only'
import { defineQuery } from 'groq'
import { z } from 'zod'
import type { AuthProviderId } from '@/lib/auth/viewer'
import { sanityClient } from './client'

/** What a memberProfile grants, as every query that reads one projects it. */
export const MEMBER_GRANTS_PROJECTION = `_id, _updatedAt, "roles": roles[]->key, "tenant": tenant->tenantId, "plan": plan->slug`

/**
 * A member's current grants from their memberProfile, found by the provider's user id (`sub`) in
 * `loginIds.<provider>`. `select()` picks the field, so the query needs no string building.
 */
export const MEMBER_GRANTS_QUERY = defineQuery(`*[_type == "memberProfile" && defined(loginIds) && select(
  $provider == "local" => loginIds.local,
  $provider == "oidc" => loginIds.oidc,
  $provider == "okta" => loginIds.okta,
  $provider == "descope" => loginIds.descope,
  $provider == "clerk" => loginIds.clerk,
  $provider == "auth0" => loginIds.auth0
) == $subject] | order(_updatedAt desc)[0]{ ${MEMBER_GRANTS_PROJECTION} }`)

/** The projection's shape; extended by the `access` sync target with the profile's user ids. */
export const memberGrantsSchema = z.object({
  _id: z.string(),
  _updatedAt: z.string().nullable().optional(),
  // A reference to a deleted role resolves to null: it grants nothing.
  roles: z
    .array(z.string().nullable())
    .nullable()
    .optional()
    .transform((roles) => [...new Set((roles ?? []).filter((role): role is string => !!role))].sort()),
  tenant: z.string().nullable().optional().transform((v) => v ?? null),
  plan: z.string().nullable().optional().transform((v) => v ?? null),
})

export type MemberGrants = { profileId: string; roles: string[]; tenant: string | null; plan: string | null; updatedAt: number }

export function grantsOf({ _id, _updatedAt, roles, tenant, plan }: z.output<typeof memberGrantsSchema>): MemberGrants {
  return { profileId: _id, roles, tenant, plan, updatedAt: (_updatedAt && Date.parse(_updatedAt)) || Date.now() }
}

export function parseMemberGrants(result: unknown): MemberGrants | null {
  if (result === null || result === undefined) return null
  const parsed = memberGrantsSchema.safeParse(result)
  // A malformed profile grants nothing rather than falling back to the token's claims.
  if (!parsed.success) return { profileId: 'malformed', roles: [], tenant: null, plan: null, updatedAt: Date.now() }
  return grantsOf(parsed.data)
}

/** The member's profile grants, or null when no memberProfile names this user. */
export async function getMemberGrants(provider: AuthProviderId, subject: string): Promise<MemberGrants | null> {
  const result = await sanityClient().fetch(MEMBER_GRANTS_QUERY, { provider, subject }, { cache: 'no-store', perspective: 'published' })
  return parseMemberGrants(result)
}

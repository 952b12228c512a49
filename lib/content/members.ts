import 'server-only'
import type { ProviderName } from '@/lib/auth/provider-names'
import { sanityClient } from './client'
import { MEMBER_GRANTS_QUERY, parseMemberGrants, type MemberGrants } from './member-grants'

/** The member's profile grants, or null when no memberProfile names this user. */
export async function getMemberGrants(provider: ProviderName, subject: string): Promise<MemberGrants | null> {
  const result = await sanityClient().fetch(MEMBER_GRANTS_QUERY, { provider, subject }, { perspective: 'published' })
  return parseMemberGrants(result)
}

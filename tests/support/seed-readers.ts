// The seeded readers as the app sees them, and GROQ over the seed with groq-js (the local lake's own
// engine): shared by the access-matrix tests and the docs-site tests.
import { evaluate, parse } from 'groq-js'
import { seededUsers } from '@/dev/idp/users'
import { applyMemberAccess } from '@/lib/auth/member-access'
import type { Viewer } from '@/lib/auth/viewer'
import { MEMBER_GRANTS_QUERY, parseMemberGrants } from '@/lib/content/member-grants'
import { loadSeed, readers, type Reader, type SeedDoc } from '../access-matrix'

export async function query(dataset: SeedDoc[], groq: string, params: Record<string, unknown>): Promise<unknown> {
  const value = await evaluate(parse(groq, { params }), { dataset, params })
  return value.get()
}

/**
 * Each reader as the app sees them: the local IdP's claims, then their seeded memberProfile (found by
 * the same GROQ query the app runs) applied on top, so the matrix holds for the profiles.
 */
const viewers = Object.fromEntries(
  await Promise.all(
    readers.map(async (reader): Promise<[Reader, Viewer | null]> => {
      if (reader === 'anon') return [reader, null]
      const user = seededUsers.find((u) => u.username === reader)!
      const identity = { ...user, subject: user.username, provider: 'local' as const, claimsIssuedAt: 0, sessionStartedAt: 0 }
      const grants = parseMemberGrants(await query(loadSeed(), MEMBER_GRANTS_QUERY, { provider: 'local', subject: user.username }))
      return [reader, applyMemberAccess(identity, grants ? { kind: 'profile', ...grants } : { kind: 'none' })]
    }),
  ),
) as Record<Reader, Viewer | null>

export const viewerOf = (reader: Reader): Viewer | null => viewers[reader]

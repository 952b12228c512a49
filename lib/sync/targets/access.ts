import { z } from 'zod'
import { publishMemberAccess } from '@/lib/auth/member-access'
import { PROVIDER_NAMES, type ProviderName } from '@/lib/auth/provider-names'
import { grantsOf, MEMBER_GRANTS_PROJECTION, memberGrantsSchema } from '@/lib/content/member-grants'
import { TargetUnavailable } from '../errors'
import { defineHandler, type SyncTarget } from '../target'

// memberProfile → Gatehouse's own record of the member's current access (lib/auth/member-access.ts)
// in the shared store, for every provider user id the profile names. It is what revokes a removed
// role, a downgraded plan or a changed tenant on the member's next request, whatever the provider
// and without a new sign-in. A deleted profile (or a user id removed from it) records a removal.

const ACCESS_PROFILE_QUERY = `*[_type == "memberProfile" && _id == $id][0]{ loginIds, ${MEMBER_GRANTS_PROJECTION} }`

const userId = z.string().regex(/^[\w@.|:+-]{1,128}$/)
const loginIds = z
  .object(
    Object.fromEntries(PROVIDER_NAMES.map((provider) => [provider, userId.nullable().optional()])) as Record<
      ProviderName,
      z.ZodOptional<z.ZodNullable<typeof userId>>
    >,
  )
  .nullable()
  .optional()
  .transform((ids) => Object.fromEntries(Object.entries(ids ?? {}).filter(([, id]) => !!id)) as Partial<Record<ProviderName, string>>)

const profile = memberGrantsSchema.extend({ loginIds })
const synced = z.object({ loginIds })

type Synced = z.output<typeof synced>

const entries = (ids: Synced['loginIds']) => Object.entries(ids) as [ProviderName, string][]

async function publishAll(work: Promise<void>[]): Promise<void> {
  try {
    await Promise.all(work)
  } catch (error) {
    throw new TargetUnavailable('The shared store could not be written', 5, error)
  }
}

export const accessTarget: SyncTarget = {
  handlers: {
    memberProfile: defineHandler({
      query: ACCESS_PROFILE_QUERY,
      doc: profile,
      gone: synced,
      record: (doc): Synced => ({ loginIds: doc.loginIds }),
      async apply(doc) {
        const grant = { kind: 'profile' as const, ...grantsOf(doc) }
        await publishAll(entries(doc.loginIds).map(([provider, id]) => publishMemberAccess(provider, id, grant)))
        // Provider names only: this summary shows up in Sanity's webhook log, user ids stay out of it.
        return { applied: entries(doc.loginIds).map(([provider]) => `${provider} user: ${JSON.stringify(grant.grants)}`) }
      },
      async remove(gone) {
        const at = Date.now()
        await publishAll(entries(gone.loginIds).map(([provider, id]) => publishMemberAccess(provider, id, { kind: 'removed', at })))
        return { applied: entries(gone.loginIds).map(([provider]) => `${provider} user: access removed`) }
      },
    }),
  },
}
